import Foundation

/// A real Prometheus (Debian's package) on a free loopback port, with its data in a test's directory,
/// stopped when released.
public final class RunningPrometheus {
    public let process = Process()
    public let port: Int

    public static let isInstalled = FileManager.default.isExecutableFile(atPath: "/usr/bin/prometheus")

    /// Starts Prometheus with `config` (the body of prometheus.yml).
    public init(config: String, directory: TemporaryDirectory) throws {
        port = try freePort()
        let file = directory.url.appendingPathComponent("prometheus.yml")
        try config.write(to: file, atomically: true, encoding: .utf8)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/prometheus")
        process.arguments = [
            "--config.file=\(file.path)", "--storage.tsdb.path=\(directory.url.path)/tsdb",
            "--web.listen-address=127.0.0.1:\(port)",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    deinit {
        process.terminate()
        process.waitUntilExit()
    }

    /// The JSON answer of an instant query, or "" when Prometheus does not answer.
    public func query(_ expr: String) -> String {
        (try? Tool(name: "/usr/bin/curl").runAbsolute([
            "-s", "-m", "5", "-G", "--data-urlencode", "query=\(expr)", "http://127.0.0.1:\(port)/api/v1/query",
        ]).stdout) ?? ""
    }

    /// Asks `expr` every half second until it has a result, for at most `seconds`; returns the last answer.
    public func poll(_ expr: String, seconds: Double = 30) -> String {
        var answer = ""
        for _ in 0..<Int(seconds * 2) {
            answer = query(expr)
            if answer.contains("\"result\":[{") { break }
            Thread.sleep(forTimeInterval: 0.5)
        }
        return answer
    }
}
