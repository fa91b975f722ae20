import Foundation
import LazarusCore
import LazarusTestSupport
import Testing

@testable import LazarusStore

@Suite("lazarus-exporter --once, run as a user would")
struct LazarusExporterToolTests {
    let exporter = Tool(name: "lazarus-exporter")

    @Test(
        "a mistyped SQLite path is one line from the readers, and leaves no empty store behind",
        arguments: [
            ("lazarus-exporter", ["--once"]), ("lazarus-report", []), ("lazarus-store", ["summary", "--read-only"]),
        ])
    func missingStore(tool: String, arguments: [String]) throws {
        let directory = try TemporaryDirectory()
        let path = directory.url.appendingPathComponent("lazarus.sqlte").path
        let result = try Tool(name: tool).run(arguments + ["--store", "sqlite:\(path)"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("no SQLite store at '\(path)'"), "\(result.stderr)")
        #expect(result.stderr.filter { $0 == "\n" }.count == 1)
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test("amounts beyond any plausible loan are invalid rows, and the sums stay finite and served")
    func implausibleAmounts() throws {
        let directory = try TemporaryDirectory()
        let store = directory.store()
        #expect(
            try Tool(name: "lazarus-sim").run([
                "--store", store, "--applications", "3000", "--days", "45", "--epsilon", "0.2",
            ]).status == 0)
        let file = String(store.dropFirst("sqlite:".count))
        // Two explore defaults with a loss of 1e308 each: their sum overflowed to +Inf and the sample vanished.
        let sql = """
            UPDATE lazarus_outcomes SET loss_amount = 1e308 WHERE application_id IN (
                SELECT o.application_id FROM lazarus_outcomes o JOIN lazarus_decisions d USING (application_id)
                WHERE d.variant = 'explore' AND o.defaulted = 1 LIMIT 2);
            UPDATE lazarus_decisions SET loan_amount = 1e12 WHERE application_id = (
                SELECT application_id FROM lazarus_decisions WHERE variant = 'exploit' LIMIT 1);
            """
        #expect(try Tool(name: "/usr/bin/sqlite3").runAbsolute([file, sql]).status == 0)
        let result = try exporter.run(["--once", "--store", store])
        #expect(result.status == 0, "\(result.stderr)")
        let outcomes = "lazarus_invalid_rows{table=\"lazarus_outcomes\",reason=\"implausible_amount\"}"
        let decisions = "lazarus_invalid_rows{table=\"lazarus_decisions\",reason=\"implausible_amount\"}"
        #expect(RunningExporter.value(result.stdout, outcomes) == 2, "\(result.stdout)")
        #expect(RunningExporter.value(result.stdout, decisions) == 1)
        let losses = result.stdout.split(separator: "\n").filter {
            $0.hasPrefix("lazarus_exploration_losses_dollars_total")
        }
        #expect(!losses.isEmpty, "the losses counter must still be served")
        #expect(losses.allSatisfy { Double($0.split(separator: " ").last ?? "")?.isFinite == true })
    }

    @Test("one ledger or registry row with a time that is no time is counted, and the exporter stays up")
    func badSmallTableRows() throws {
        let directory = try TemporaryDirectory()
        let store = directory.store()
        #expect(
            try Tool(name: "lazarus-sim").run(["--store", store, "--applications", "3000", "--days", "8"]).status == 0)
        let file = String(store.dropFirst("sqlite:".count))
        let sql = """
            INSERT INTO lazarus_budget_ledger (at, kind, amount) VALUES ('yesterday', 'grant', 10);
            INSERT INTO lazarus_budget_ledger (at, kind, amount) VALUES ('2026-09-25T00:00:00.000000Z', 'grant', 'ten');
            INSERT INTO lazarus_models (version, kind, created_at, status, spec, metrics)
                VALUES ('old', 'v1', 'soon', 'retired', '{}', '{}');
            """
        #expect(try Tool(name: "/usr/bin/sqlite3").runAbsolute([file, sql]).status == 0)
        let result = try exporter.run(["--once", "--store", store])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("lazarus_up 1"))
        #expect(
            result.stdout.contains("lazarus_invalid_rows{table=\"lazarus_budget_ledger\",reason=\"bad_timestamp\"} 1"))
        #expect(
            result.stdout.contains("lazarus_invalid_rows{table=\"lazarus_budget_ledger\",reason=\"negative_amount\"} 1")
        )
        #expect(result.stdout.contains("lazarus_invalid_rows{table=\"lazarus_models\",reason=\"bad_timestamp\"} 1"))
    }

    @Test(
        "prints an exposition that promtool accepts",
        .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/promtool")))
    func promtoolClean() throws {
        let directory = try TemporaryDirectory()
        let store = directory.store()
        #expect(
            try Tool(name: "lazarus-sim").run(["--store", store, "--applications", "5000", "--days", "10"]).status == 0)
        let result = try exporter.run(["--once", "--store", store])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("lazarus_up 1"))
        #expect(result.stdout.contains("lazarus_decisions_total{variant=\"explore\",decision=\"approve\""))
        let file = directory.url.appendingPathComponent("metrics.prom").path
        try result.stdout.write(toFile: file, atomically: true, encoding: .utf8)
        // promtool reads the exposition on standard input.
        let check = try Tool(name: "/bin/sh").runAbsolute(["-c", "/usr/bin/promtool check metrics < '\(file)'"])
        #expect(check.status == 0, "promtool: \(check.stdout) \(check.stderr)")
        #expect(check.stdout.isEmpty && check.stderr.isEmpty, "promtool lint: \(check.stdout) \(check.stderr)")
    }

    @Test(
        "bad input is one clear line and a non-zero exit",
        arguments: [
            (["--once", "--store", "mysql://u:pw@h/x"], "scheme 'mysql' is not supported"),
            (["--store", "sqlite:/tmp/none.sqlite", "--listen", "localhost"], "--listen must be HOST:PORT"),
            (
                ["--store", "sqlite:/tmp/none.sqlite", "--refresh-interval", "0"],
                "--refresh-interval must be a positive"
            ),
            (["--once", "--store", "sqlite:/nonexistent-dir/x.sqlite"], "no SQLite store at"),
            (["--store", "sqlite:/tmp/none.sqlite", "--refresh-interval", "1e300"], "at most 86400"),
            (
                ["--once", "--store", "sqlite:/tmp/none.sqlite", "--default-ltv", "inf"],
                "default LTV must be a finite number"
            ),
        ])
    func badInput(arguments: [String], message: String) throws {
        let result = try exporter.run(arguments)
        #expect(result.status != 0)
        #expect(result.stderr.hasPrefix("lazarus-exporter: error: "))
        #expect(result.stderr.contains(message))
        #expect(result.stderr.filter { $0 == "\n" }.count == 1)
    }
}

@Suite("readers on a read-only PostgreSQL role, made with the README's own statements")
struct ReadOnlyRoleTests {
    /// The SQL block after `<!-- read-only-role -->` in the README, as statements.
    static func readmeStatements() throws -> [String] {
        let readme = try String(contentsOf: Repository.path("README.md"), encoding: .utf8)
        let marked = try #require(readme.range(of: "<!-- read-only-role -->\n```sql\n"))
        let end = try #require(readme[marked.upperBound...].range(of: "```"))
        return readme[marked.upperBound..<end.lowerBound].split(separator: ";").map {
            $0.trimmingCharacters(in: .whitespacesAndNewlines)
        }.filter { !$0.isEmpty }
    }

    @Test(
        "the exporter and lazarus-report --no-register need SELECT on the design's tables only; a missing grant is one line",
        .enabled(if: ProcessInfo.processInfo.environment["LAZARUS_TEST_POSTGRES_URL"] != nil))
    func readOnlyRole() throws {
        let base = try #require(ProcessInfo.processInfo.environment["LAZARUS_TEST_POSTGRES_URL"])
        let suffix = UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12)
        let schema = "ro_\(suffix)"
        let role = "reader_\(suffix)"
        let admin = try openStore(base)
        try ScratchStore.raw(admin, "CREATE SCHEMA \(schema)")
        defer {
            _ = try? ScratchStore.raw(admin, "DROP SCHEMA \(schema) CASCADE")
            _ = try? ScratchStore.raw(admin, "DROP OWNED BY \(role)")
            _ = try? ScratchStore.raw(admin, "DROP ROLE IF EXISTS \(role)")
        }
        let owner = base + "?options=-csearch_path%3D\(schema)"
        let sim = try Tool(name: "lazarus-sim").run(["--store", owner, "--applications", "3000", "--days", "20"])
        #expect(sim.status == 0, "\(sim.stderr)")
        // The README's statements, only the role's name and the schema made the test's own.
        let statements = try Self.readmeStatements()
        #expect(statements.count == 3)
        let tablesOwner = try openStore(owner)
        for statement in statements {
            try ScratchStore.raw(
                tablesOwner,
                statement.replacingOccurrences(of: "lazarus_reader", with: role)
                    .replacingOccurrences(of: "SCHEMA public", with: "SCHEMA \(schema)"))
        }
        let reader = owner.replacingOccurrences(of: "postgresql://postgres@", with: "postgresql://\(role):change-me@")
        let exporter = try Tool(name: "lazarus-exporter").run(["--once", "--store", reader])
        #expect(exporter.status == 0, "\(exporter.stderr)")
        #expect(exporter.stdout.contains("lazarus_up 1"))
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("ro-\(suffix)").path
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: out) }
        let report = try Tool(name: "lazarus-report").run(
            ["--store", reader, "--no-register", "--out", out, "--performance-window", "7"])
        #expect(report.status == 0, "\(report.stderr)")
        #expect(!report.stdout.contains("registered"))
        #expect(try openStore(owner).models().isEmpty)
        // Without --no-register the report needs to write: refused in one line, and no file left behind.
        let registering = try Tool(name: "lazarus-report").run(
            ["--store", reader, "--out", out + "/again", "--performance-window", "7"])
        #expect(registering.status != 0)
        #expect(registering.stderr.filter { $0 == "\n" }.count == 1, "\(registering.stderr)")
        // A grant taken away: one line naming the table and the grant, not "add the columns".
        try ScratchStore.raw(tablesOwner, "REVOKE SELECT ON lazarus_outcomes FROM \(role)")
        let revoked = try Tool(name: "lazarus-exporter").run(["--once", "--store", reader])
        #expect(revoked.status != 0)
        #expect(
            revoked.stderr
                == "lazarus-exporter: error: the database role may not read lazarus_outcomes: run `GRANT SELECT ON lazarus_outcomes TO <the role>` as the tables' owner\n"
        )
        // The server says why it is not ready, instead of "cold start in progress" for ever.
        let directory = try TemporaryDirectory()
        let server = try RunningExporter(store: reader, directory: directory)
        var readiness = (status: 0, body: "")
        for _ in 0..<100 {
            readiness = (try? server.get("/readyz")) ?? (0, "")
            if readiness.body.hasPrefix("not ready") { break }
            Thread.sleep(forTimeInterval: 0.1)
        }
        #expect(readiness.status == 503)
        #expect(readiness.body.hasPrefix("not ready: the database role may not read lazarus_outcomes"), "\(readiness)")
        // And it really is read-only: a write through that role is refused.
        let writer = try openStore(reader)
        #expect(throws: StoreError.self) {
            try writer.appendLedger([LedgerEntry(at: Timestamp(seconds: 0), kind: .grant, amount: 1)])
        }
    }
}
