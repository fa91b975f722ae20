import Foundation
import LazarusTestSupport
import Testing

/// The whole `--once` exposition of the default simulated store (seed 42), diffed against a committed
/// golden file, as node_exporter's end-to-end test does: any change to a name, a label, a value or the
/// order of the families shows up here.
///
/// An intended change regenerates the file with one command, then the diff is reviewed in git:
///
///     LAZARUS_REGENERATE_GOLDEN=1 swift test --filter GoldenExpositionTests
@Suite("the golden exposition")
struct GoldenExpositionTests {
    static let golden = Repository.path("Tests/LazarusToolTests/Golden/seed-42.prom")

    /// Series whose values are the moment and the length of this refresh: their values are replaced.
    static let volatile = ["lazarus_last_refresh_timestamp_seconds", "lazarus_refresh_duration_seconds"]

    /// The exposition with the volatile values replaced by `VOLATILE`.
    static func normalized(_ exposition: String) -> String {
        exposition.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            guard let name = Self.volatile.first(where: { line.hasPrefix($0 + " ") }) else { return String(line) }
            return "\(name) VOLATILE"
        }.joined(separator: "\n")
    }

    @Test("the README explains every reason of lazarus_invalid_rows the exporter serves")
    func invalidReasonsDocumented() throws {
        let readme = try String(contentsOf: Repository.path("README.md"), encoding: .utf8)
        let rows = readme.split(separator: "\n").filter { $0.hasPrefix("| ") && $0.contains("`") }
        let golden = try String(contentsOf: Self.golden, encoding: .utf8)
        let reasons = golden.split(separator: "\n").filter { $0.hasPrefix("lazarus_invalid_rows{") }
        #expect(reasons.count > 20)
        for line in reasons {
            let reason = line.split(separator: "\"")[3]
            let table = line.split(separator: "\"")[1].replacingOccurrences(of: "lazarus_", with: "")
                .replacingOccurrences(of: "budget_", with: "")
            let documented = rows.contains { row in
                let cells = row.split(separator: "|")
                return cells.count >= 2 && cells[1].contains("`\(reason)`")
                    && (cells[0].contains(table) || cells[0].contains("every table"))
            }
            #expect(documented, "\(table) \(reason)")
        }
    }

    @Test("lazarus-exporter --once on the seed-42 store equals the golden file")
    func onceMatchesGolden() throws {
        let directory = try TemporaryDirectory()
        let store = directory.store()
        let sim = try Tool(name: "lazarus-sim").run(["--store", store, "--seed", "42"])
        #expect(sim.status == 0, "\(sim.stderr)")
        let once = try Tool(name: "lazarus-exporter").run(["--once", "--store", store])
        #expect(once.status == 0, "\(once.stderr)")
        let actual = Self.normalized(once.stdout)
        if ProcessInfo.processInfo.environment["LAZARUS_REGENERATE_GOLDEN"] == "1" {
            try actual.write(to: Self.golden, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: Self.golden, encoding: .utf8)
        guard actual != expected else { return }
        let file = directory.url.appendingPathComponent("actual.prom")
        try actual.write(to: file, atomically: true, encoding: .utf8)
        let diff = try Tool(name: "/usr/bin/diff").runAbsolute(["-u", Self.golden.path, file.path]).stdout
        Issue.record(
            "the exposition differs from the golden file (regenerate with LAZARUS_REGENERATE_GOLDEN=1 if intended):\n\(diff.prefix(4000))"
        )
    }
}
