import Foundation
import LazarusTestSupport
import Testing

/// `--version` on every executable: one line with the version, the git revision it was built from and the
/// Swift version, exit 0.
@Suite("--version")
struct VersionTests {
    static let executables = ["lazarus-sim", "lazarus-exporter", "lazarus-report", "lazarus-store", "lazarus-fuzz"]

    /// The revision and Swift version of a `--version` line, `nil` when it has another shape.
    static func parse(_ line: String, name: String) -> (revision: String, swift: String)? {
        let pattern =
            #"^\#(name) [0-9]+\.[0-9]+\.[0-9]+ \(revision ([0-9a-f]{12}(-dirty)?|unknown), Swift ([0-9]+(\.[0-9]+)+)\)$"#
        guard let match = line.range(of: pattern, options: .regularExpression), match == line.startIndex..<line.endIndex
        else { return nil }
        let revision = line.components(separatedBy: "(revision ")[1].components(separatedBy: ",")[0]
        let swift = line.components(separatedBy: "Swift ")[1].dropLast()
        return (revision, String(swift))
    }

    @Test("prints one line: version, revision, Swift version", arguments: executables)
    func version(name: String) throws {
        let result = try Tool(name: name).run(["--version"])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        let line = result.stdout.trimmingCharacters(in: .newlines)
        #expect(result.stdout.filter { $0 == "\n" }.count == 1)
        let parsed = try #require(Self.parse(line, name: name), "\(line)")
        // Built from this repository: the revision is one of its commits (git is how CI got the tree).
        if FileManager.default.fileExists(atPath: Repository.path(".git").path) {
            let commit = String(parsed.revision.prefix(12))
            let exists = try Tool(name: "/usr/bin/git").runAbsolute([
                "-C", Repository.root.path, "cat-file", "-e", "\(commit)^{commit}",
            ])
            #expect(exists.status == 0, "\(parsed.revision) is no commit of this repository")
        }
    }
}

@Suite("defaults that name files work from any working directory")
struct WorkingDirectoryTests {
    static let template = "templates/shadow-report.mustache"

    @Test("from /, the simulator, the exporter and the report use the store and template of the Lazarus home")
    func fromRoot() throws {
        let home = try TemporaryDirectory()
        try FileManager.default.createDirectory(
            at: home.url.appendingPathComponent("templates"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(
            at: home.url.appendingPathComponent("output"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: Repository.path(Self.template), to: home.url.appendingPathComponent(Self.template))
        let environment = ["LAZARUS_HOME": home.url.path]
        let sim = try Tool(name: "lazarus-sim").run(
            ["--applications", "3000", "--days", "20"], environment: environment, in: "/")
        #expect(sim.status == 0, "\(sim.stderr)")
        #expect(FileManager.default.fileExists(atPath: home.url.appendingPathComponent("output/lazarus.sqlite").path))
        let once = try Tool(name: "lazarus-exporter").run(["--once"], environment: environment, in: "/")
        #expect(once.status == 0, "\(once.stderr)")
        #expect(once.stdout.contains("lazarus_up 1"))
        let report = try Tool(name: "lazarus-report").run(
            ["--performance-window", "7", "--no-register"], environment: environment, in: "/")
        #expect(report.status == 0, "\(report.stderr)")
        let written = try FileManager.default.contentsOfDirectory(
            atPath: home.url.appendingPathComponent("output").path)
        #expect(written.contains { $0.hasPrefix("shadow-report-") && $0.hasSuffix(".pdf") }, "\(written)")
    }
}
