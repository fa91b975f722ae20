import Foundation

/// Runs a built Lazarus executable as a user would, capturing its exit status and output.
public struct Tool {
    public let name: String

    /// The tool named `name`: a built product, or a program by absolute path for ``runAbsolute(_:environment:)``.
    public init(name: String) { self.name = name }

    /// How a run ended and what it printed.
    public struct Result {
        public let status: Int32
        public let stdout: String
        public let stderr: String
    }

    /// The directory of the built products: the test bundle sits beside the executables.
    public static var productsDirectory: URL {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
    }

    /// Runs the built product with `arguments`, only `environment` (and PATH) set, in `directory` (by default
    /// the test's working directory).
    public func run(
        _ arguments: [String], environment: [String: String] = [:], in directory: String? = nil
    ) throws
        -> Result
    {
        try run(Self.productsDirectory.appendingPathComponent(name), arguments, environment, directory)
    }

    /// Runs a program named by its absolute path (`name`), not a built product.
    public func runAbsolute(_ arguments: [String], environment: [String: String] = [:]) throws -> Result {
        try run(URL(fileURLWithPath: name), arguments, environment, nil)
    }

    private func run(
        _ executable: URL, _ arguments: [String], _ environment: [String: String], _ directory: String?
    )
        throws -> Result
    {
        let process = Process()
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        process.executableURL = executable
        process.arguments = arguments
        // Only what the test sets, plus PATH: the developer's own LAZARUS_* variables must not leak in.
        var env = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
        env.merge(environment) { $1 }
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // A tool that hangs must fail its test, not hang the suite: stop it after two minutes.
        let watchdog = DispatchWorkItem { [process] in if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + 120, execute: watchdog)
        defer { watchdog.cancel() }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }
}

/// A temporary directory removed when the value goes away.
public final class TemporaryDirectory {
    public let url: URL

    public init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("lazarus-tool-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// An SQLite store URL of a file in the directory.
    public func store(_ name: String = "store.sqlite") -> String { "sqlite:\(url.path)/\(name)" }
}
