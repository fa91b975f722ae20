#if !LAZARUS_FUZZ
import ArgumentParser
import LazarusBuildInfo
import Foundation

/// Without the fuzzer, the same checks over saved inputs: the seed corpus and every crash once found,
/// run by the test suite so that a fixed bug stays fixed.
@main
struct LazarusFuzzCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lazarus-fuzz",
        abstract: "Runs a fuzz target's checks over saved inputs (files, or every file of a directory).",
        discussion: """
            Built with `swift build --sanitize=fuzzer -Xswiftc -DLAZARUS_FUZZ`, this is a libFuzzer binary \
            instead; see Fuzz/README.md.
            """,
        version: BuildInfo.versionLine("lazarus-fuzz"))

    @Argument(help: "store-url or web-config.")
    var target: String

    @Argument(help: "Input files or directories.")
    var inputs: [String]

    func run() throws {
        guard let target = FuzzTarget(rawValue: target) else {
            throw ValidationError("the target must be one of \(FuzzTarget.allCases.map(\.rawValue)), got '\(target)'")
        }
        var checked = 0
        for file in try files() {
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: file)))
            if let broken = target.check(bytes) { throw BrokenProperty(description: "\(file): \(broken)") }
            checked += 1
        }
        print("\(target.rawValue): \(checked) inputs, every property held")
    }

    /// An input that broke a property: one line, exit status 1, no usage text.
    struct BrokenProperty: Error, CustomStringConvertible {
        var description: String
    }

    private func files() throws -> [String] {
        try inputs.flatMap { input -> [String] in
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: input, isDirectory: &isDirectory) else {
                throw ValidationError("no such file or directory: '\(input)'")
            }
            guard isDirectory.boolValue else { return [input] }
            return try FileManager.default.contentsOfDirectory(atPath: input).sorted().map { "\(input)/\($0)" }
        }
    }
}
#endif
