import Foundation
import LazarusCore
import LazarusTestSupport
import Testing

@testable import LazarusStore

@Suite("lazarus-sim, run as a user would")
struct LazarusSimToolTests {
    let sim = Tool(name: "lazarus-sim")

    @Test(
        "bad input gives one clear line on stderr, a non-zero exit, and no store",
        arguments: [
            (["--epsilon", "1.5"], "epsilon must be between 0 and 1"),
            (["--epsilon", "abc"], "'abc' is invalid"),
            (["--initial-loss-budget", "-5"], "must be a finite number of dollars, 0 or more"),
            (["--applications", "0"], "number of applications must be positive"),
            (["--days", "0"], "number of days"),
            (["--budget-period", "week"], "budget period must be 'once' or 'day'"),
            (["--append", "--replace"], "cannot be used together"),
            (["--start", "2026-13-01"], "--start must be a date"),
            (["--no-such-flag"], "Unknown option"),
            (["--truth", "/nonexistent-dir/truth.csv"], "cannot write the truth file"),
            (["--start", "2026-02-30"], "--start must be a date"),
            (["--start", "9999-12-30"], "within the years 1900-9999"),
            (["--applications", "-5"], "number of applications must be positive"),
            (["--applications", "10000000000"], "must be at most 50000000"),
        ])
    func badInput(arguments: [String], message: String) throws {
        let directory = try TemporaryDirectory()
        let result = try sim.run(arguments + ["--store", directory.store()])
        #expect(result.status != 0)
        #expect(result.stderr.hasPrefix("lazarus-sim: error: "))
        #expect(result.stderr.contains(message))
        #expect(result.stderr.filter { $0 == "\n" }.count == 1)
        #expect(result.stdout.isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path).isEmpty)
    }

    @Test("--truth writes every applicant's potential outcome beside the store, and refuses the store itself")
    func truth() throws {
        let directory = try TemporaryDirectory()
        let truth = directory.url.appendingPathComponent("truth.csv").path
        let result = try sim.run([
            "--store", directory.store(), "--applications", "3000", "--days", "20", "--truth", truth,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = try String(contentsOfFile: truth, encoding: .utf8).split(separator: "\n")
        #expect(lines.first == "application_id,true_default_probability,would_default,loss_if_default")
        #expect(lines.count == 3001)
        let store = try openStore(directory.store())
        var decided = 0
        try store.streamDecisions(.all) { _ in decided += 1 }
        #expect(decided == 3000)
        // Every observed outcome is the applicant's potential outcome.
        var truthByID: [Substring: (Bool, Double)] = [:]
        for line in lines.dropFirst() {
            let fields = line.split(separator: ",")
            truthByID[fields[0]] = (fields[2] == "1", Double(fields[3])!)
        }
        var checked = 0
        try store.streamOutcomes(.all) { outcome in
            let (wouldDefault, loss) = truthByID[Substring(outcome.applicationID)]!
            #expect(outcome.defaulted == wouldDefault)
            if wouldDefault { #expect(outcome.lossAmount == loss) }
            checked += 1
        }
        #expect(checked > 200)
        let refused = try sim.run([
            "--store", directory.store("other.sqlite"), "--applications", "10",
            "--truth", directory.url.appendingPathComponent("other.sqlite").path,
        ])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("--truth must name a file beside the store"))
    }

    @Test(
        "bad stores and variables are one line too, and never show a password",
        arguments: [
            (["--store", "mysql://root:Pa55word@db/x"], [String: String](), "scheme 'mysql' is not supported"),
            (["--store", "postgresql://lazarus:Pa55word@127.0.0.1:1/x"], [:], "cannot connect to PostgreSQL"),
            (["--store", "postgresql://u:Sec/Pa55word@127.0.0.1:5432/db"], [:], "percent-encode them"),
            (["--store", "postgres://u:Pa55word@x@127.0.0.1:1/db"], [:], "percent-encode them"),
            (["--store", "sqlite:/nonexistent-dir/x.sqlite"], [:], "cannot open SQLite store"),
            ([], ["LAZARUS_EPSILON": "abc", "LAZARUS_STORE": "sqlite:/nonexistent-dir/x"], "LAZARUS_EPSILON='abc'"),
            ([], ["LAZARUS_STORE": "oracle://scott:Pa55word@db"], "scheme 'oracle' is not supported"),
        ])
    func badStores(arguments: [String], environment: [String: String], message: String) throws {
        let result = try sim.run(arguments + ["--applications", "10"], environment: environment)
        #expect(result.status != 0)
        #expect(result.stderr.contains(message))
        #expect(!result.stderr.contains("Pa55word"))
        #expect(result.stderr.filter { $0 == "\n" }.count == 1)
    }

    @Test("--help answers on stdout with status 0")
    func help() throws {
        let result = try sim.run(["--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("--budget-period"))
        #expect(result.stdout.contains("LAZARUS_EPSILON"))
    }

    @Test("off a terminal it prints the summary and nothing else")
    func summaryOnly() throws {
        let directory = try TemporaryDirectory()
        let result = try sim.run(["--store", directory.store(), "--applications", "3000", "--days", "10"])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        #expect(result.stdout.contains("Simulated 3,000 applications over 10 days"))
        #expect(result.stdout.contains("explore loans"))
        #expect(result.stdout.contains("budget left"))
        #expect(result.stdout.contains("pending outcomes"))
    }

    @Test(
        "on a terminal it draws a progress bar",
        .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
    func progressOnTerminal() throws {
        let directory = try TemporaryDirectory()
        let binary = Tool.productsDirectory.appendingPathComponent("lazarus-sim").path
        // script(1) gives the command a pseudo-terminal, as a person's shell would.
        let command = "\(binary) --store \(directory.store()) --applications 5000 --days 3"
        let result = try Tool(name: "/usr/bin/script").runAbsolute(["-qec", command, "/dev/null"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("simulating"))
        #expect(result.stdout.contains("100% 5,000/5,000"))
        #expect(result.stdout.contains("writing"))
        #expect(result.stdout.contains("Simulated 5,000 applications"))
    }

    @Test("a populated store is refused unless --append or --replace, and experiments never mix")
    func populatedStore() throws {
        let directory = try TemporaryDirectory()
        let store = directory.store()
        let base = ["--store", store, "--applications", "2000", "--days", "5"]
        #expect(try sim.run(base).status == 0)
        let before = try snapshot(store)

        let refused = try sim.run(base + ["--seed", "9"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("already holds an experiment (2000 decisions"))
        #expect(try snapshot(store) == before)

        #expect(try sim.run(base + ["--append"]).status == 0)
        let appended = try openStore(store).summary()
        #expect(appended.decisionCount == 4000)
        #expect(appended.decidedRange!.lowerBound == before.summary.decidedRange!.lowerBound)
        // The appended run starts the day after the first one ended, with a new budget period.
        #expect(try openStore(store).ledger().filter { $0.kind == "reset" }.count == 4 + 5)

        #expect(try sim.run(base + ["--replace", "--applications", "1500"]).status == 0)
        #expect(try openStore(store).summary().decisionCount == 1500)
    }

    @Test("an appended run that would pass the end of year 9999 is refused in one line and writes nothing")
    func appendPastYear9999() throws {
        let directory = try TemporaryDirectory()
        let store = directory.store()
        let base = ["--store", store, "--applications", "500", "--days", "5"]
        #expect(try sim.run(base + ["--start", "9999-12-27"]).status == 0)
        let before = try snapshot(store)
        // It once started on 10000-01-01, written as 0000-01-01.
        let refused = try sim.run(base + ["--append"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("within the years 1900-9999"))
        #expect(refused.stderr.split(separator: "\n").count == 1)
        #expect(try snapshot(store) == before)
    }

    @Test("the same seed gives identical table contents; another seed does not")
    func deterministic() throws {
        let directory = try TemporaryDirectory()
        let arguments = ["--applications", "4000", "--days", "7", "--seed", "123"]
        for name in ["a.sqlite", "b.sqlite"] {
            #expect(try sim.run(arguments + ["--store", directory.store(name)]).status == 0)
        }
        #expect(
            try sim.run([
                "--applications", "4000", "--days", "7", "--seed", "124", "--store", directory.store("c.sqlite"),
            ]).status == 0)
        let a = try snapshot(directory.store("a.sqlite"))
        #expect(a == (try snapshot(directory.store("b.sqlite"))))
        #expect(a != (try snapshot(directory.store("c.sqlite"))))
    }

    @Test(
        "fills PostgreSQL the same way",
        .enabled(if: ProcessInfo.processInfo.environment["LAZARUS_TEST_POSTGRES_URL"] != nil))
    func postgres() throws {
        let base = try #require(ProcessInfo.processInfo.environment["LAZARUS_TEST_POSTGRES_URL"])
        let schema = "sim_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let admin = try openStore(base)
        try ScratchStore.raw(admin, "CREATE SCHEMA \(schema)")
        defer { _ = try? ScratchStore.raw(admin, "DROP SCHEMA \(schema) CASCADE") }
        let url = base + "?options=-csearch_path%3D\(schema)"
        let directory = try TemporaryDirectory()
        let arguments = ["--applications", "3000", "--days", "6", "--seed", "5"]
        #expect(try sim.run(arguments + ["--store", url]).status == 0)
        #expect(try sim.run(arguments + ["--store", directory.store()]).status == 0)
        #expect(try snapshot(url) == (try snapshot(directory.store())))
    }

    /// Everything an experiment wrote, read back through the store API.
    struct Snapshot: Equatable {
        var summary: StoreSummary
        var decisions: [DecisionRow]
        var outcomes: [OutcomeRow]
        var ledger: [LedgerEntry]
    }

    func snapshot(_ url: String) throws -> Snapshot {
        let store = try openStore(url)
        var decisions: [DecisionRow] = []
        var outcomes: [OutcomeRow] = []
        try store.streamDecisions(.all) { decisions.append($0) }
        try store.streamOutcomes(.all) { outcomes.append($0) }
        var summary = try store.summary()
        summary.decisionGroups.sort { "\($0)" < "\($1)" }
        summary.outcomeGroups.sort { "\($0)" < "\($1)" }
        return Snapshot(
            summary: summary, decisions: decisions.sorted { $0.applicationID < $1.applicationID },
            outcomes: outcomes.sorted { $0.applicationID < $1.applicationID }, ledger: try store.ledger())
    }
}
