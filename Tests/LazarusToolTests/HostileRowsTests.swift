import Foundation
import LazarusCore
import LazarusExporter
import LazarusMetrics
import LazarusSimulation
import LazarusTestSupport
import Testing

@testable import LazarusStore

/// Rows another program could write, generated: random types, extreme and non-finite numbers, odd times and
/// odd text, into every table. Whatever lands, the exporter stays up with a clean, finite exposition that
/// the row-by-row rules reproduce, and the report renders or refuses in one line.
@Suite("Generated hostile rows in every table")
struct HostileRowsTests {
    /// SQL literals for one column kind, on one backend: what its type admits there, and on SQLite what
    /// its loose typing lets through as well.
    struct Values {
        var generator: SplitMix64
        let sqlite: Bool
        let recentDays: ClosedRange<Int>

        mutating func pick(_ choices: [String]) -> String { choices[Int(generator.next() % UInt64(choices.count))] }

        mutating func number() -> String {
            pick(
                ["0", "1", "-1", "0.5", "0.01", "1e-300", "1e-12", "1e17", "1e308", "-1e308", "NULL", "250", "999999"]
                    + (sqlite
                        ? ["'NaN'", "'abc'", "9e999", "-9e999", "x'00'"] : ["'NaN'", "'Infinity'", "'-Infinity'"]))
        }

        mutating func integer() -> String {
            pick(["0", "30", "-5", "700", "2147483647", "NULL"] + (sqlite ? ["30.5", "'abc'", "1e30"] : []))
        }

        mutating func boolean() -> String {
            sqlite ? pick(["0", "1", "NULL", "2", "0.5", "'yes'", "-1"]) : pick(["true", "false", "NULL"])
        }

        mutating func time() -> String {
            let day = Int(generator.next() % UInt64(recentDays.count)) + recentDays.lowerBound
            let recent = Timestamp(microseconds: Int64(day) * Timestamp.microsecondsPerDay + 36_000_000_000).iso8601
            let shared = [
                "'\(recent)'", "'\(recent)'", "'2031-05-01T00:00:00.000000Z'", "'1899-12-31T23:00:00.000000Z'",
                "'9999-12-31T23:59:59.999999Z'", "'1970-01-01T00:00:00.000000Z'",
            ]
            return pick(
                shared
                    + (sqlite
                        ? [
                            "'yesterday'", "'2026-02-30T10:00:00.000000Z'", "'\(recent.prefix(10)) 10:00:00'", "12345",
                            "''",
                        ]
                        : ["'infinity'", "'-infinity'", "'0001-01-01T00:00:00Z'", "'4000-01-01T00:00:00Z'"]))
        }

        mutating func text() -> String {
            pick([
                "'a'", "''", "'x\"\\y'", "'line\nbreak'", "'e\u{301}'", "'\(String(repeating: "v", count: 300))'",
                "'🦊'", "'\r\n'", "NULL",
            ])
        }
    }

    static func literal(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }

    /// Random rows for every table, one statement each (the database refuses some; those are left out).
    static func statements(_ values: inout Values, applications: [String], count: Int) -> [String] {
        let reasons = DecisionReason.allCases.map { "'\($0.rawValue)'" } + ["'GUT_FEELING'", "NULL"]
        var statements: [String] = []
        for index in 0..<count {
            let id = values.pick(["'hostile-\(index)'", literal(applications[index % applications.count])])
            switch values.generator.next() % 5 {
            case 0, 1:
                let row = [
                    id, values.time(), values.pick(["'exploit'", "'explore'", "'compliance'", "'mystery'", "NULL"]),
                    values.boolean(), values.pick(reasons), values.number(), values.number(), values.text(),
                    values.number(), values.integer(), values.number(), values.number(), values.integer(),
                    values.integer(), values.boolean(),
                ]
                statements.append(
                    """
                    INSERT INTO lazarus_decisions (application_id, decided_at, variant, approved, reason, propensity,
                        score, model_version, loan_amount, age, annual_income, debt_to_income, credit_score,
                        credit_history_months, recent_bankruptcy)
                    VALUES (\(row.joined(separator: ", ")))
                    """)
            case 2:
                let row = [id, values.time(), values.boolean(), values.number()]
                statements.append(
                    "INSERT INTO lazarus_outcomes (application_id, observed_at, defaulted, loss_amount) VALUES ("
                        + row.joined(separator: ", ") + ")")
            case 3:
                let row = [
                    values.time(), values.pick(["'grant'", "'reset'", "'bonus'", "''"]), values.number(), values.text(),
                ]
                statements.append(
                    "INSERT INTO lazarus_budget_ledger (at, kind, amount, note) VALUES (" + row.joined(separator: ", ")
                        + ")")
            default:
                let spec = values.pick([
                    "'{}'", "'not json'", #"'{"kind":"causal","model":{"intercept":1e308}}'"#, "'[]'",
                ])
                let row = [
                    values.text(), values.pick(["'causal'", "'standard'", "''"]), values.time(),
                    values.pick(["'draft'", "'shadow'", "'active'", "'retired'", "'weird'"]), spec, spec,
                ]
                statements.append(
                    "INSERT INTO lazarus_models (version, kind, created_at, status, spec, metrics) VALUES ("
                        + row.joined(separator: ", ") + ")")
            }
        }
        return statements
    }

    /// `name{labels}` → value, of every sample line.
    static func samples(_ exposition: String) -> [String: String] {
        var samples: [String: String] = [:]
        for line in exposition.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " ") else { continue }
            samples[String(line[..<space])] = String(line[line.index(after: space)...])
        }
        return samples
    }

    static func sum(_ samples: [String: String], _ prefix: String) -> Double {
        samples.filter { $0.key.hasPrefix(prefix) }.values.reduce(0) { $0 + (Double($1) ?? .nan) }
    }

    @Test(
        "the exporter stays up and finite, its sums are the row-by-row ones, and the report renders or refuses",
        .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/promtool")),
        arguments: Backend.available, [UInt64(1), 2, 3])
    func hostileRows(backend: Backend, seed: UInt64) throws {
        let scratch = try ScratchStore(backend, migrated: true)
        let days = 30
        let sim = try Tool(name: "lazarus-sim").run([
            "--store", scratch.url, "--applications", "3000", "--days", String(days), "--seed", String(seed),
        ])
        #expect(sim.status == 0, "\(sim.stderr)")
        var applications: [String] = []
        try scratch.store.streamDecisions(
            .all,
            sequenced: { row, _ in
                if row.approved == true, applications.count < 400 { applications.append(row.applicationID) }
            })
        let first = Int(SimulationSettings.defaultStart.utcDay)
        var values = Values(
            generator: SplitMix64(seed: seed), sqlite: backend == .sqlite, recentDays: first...(first + days))
        // A running exporter's state, which reads the hostile rows incrementally.
        var state = ExperimentState(riskThreshold: 0.5, lifetimeValue: 500)
        try state.refresh(from: .store(scratch.store), now: Date().timeIntervalSince1970)
        var landed = 0
        for statement in Self.statements(&values, applications: applications, count: 300) {
            if (try? scratch.raw(statement)) != nil { landed += 1 }
        }
        #expect(landed > 100, "most generated rows must reach the tables, or the test tests little")

        // The exporter: up, promtool-clean, every value finite.
        let once = try Tool(name: "lazarus-exporter").run([
            "--once", "--store", scratch.url, "--risk-threshold", "0.5", "--default-ltv", "500",
        ])
        #expect(once.status == 0, "\(once.stderr)")
        let directory = try TemporaryDirectory()
        let file = directory.url.appendingPathComponent("metrics.prom").path
        try once.stdout.write(toFile: file, atomically: true, encoding: .utf8)
        let check = try Tool(name: "/bin/sh").runAbsolute(["-c", "/usr/bin/promtool check metrics < '\(file)'"])
        #expect(check.status == 0 && check.stdout.isEmpty && check.stderr.isEmpty, "\(check.stdout) \(check.stderr)")
        let served = Self.samples(once.stdout)
        let notFinite = served.filter { !(Double($0.value)?.isFinite ?? false) }
        #expect(notFinite.isEmpty, "\(notFinite)")

        // Every row is counted once, as a fact or as invalid.
        let invalid = { (table: String) in Self.sum(served, "lazarus_invalid_rows{table=\"\(table)\"") }
        #expect(
            Self.sum(served, "lazarus_decisions_total{") + invalid("lazarus_decisions")
                == Double(try scratch.count("lazarus_decisions")))
        #expect(
            Self.sum(served, "lazarus_outcomes_total{") + invalid("lazarus_outcomes")
                == Double(try scratch.count("lazarus_outcomes")))

        // The cold start aggregates in SQL; row by row, the Swift rules must give the same exposition.
        var aggregate = ExperimentAggregate(
            riskThreshold: 0.5, lifetimeValue: 500, horizon: .horizon(readerClock: Date().timeIntervalSince1970))
        try scratch.store.streamDecisions(.all, sequenced: { aggregate.ingest($0, sequence: $1) })
        try scratch.store.streamOutcomeMatches(.all) { row, decision, _ in aggregate.ingest(row, decision: decision) }
        aggregate.setLedger(try scratch.store.ledger())
        aggregate.setModels(try scratch.store.models())
        try state.refresh(from: .store(scratch.store), now: Date().timeIntervalSince1970)
        let incremental = Self.samples(Exposition.render(state.aggregate.dataFamilies()))
        let recomputed = Self.samples(Exposition.render(aggregate.dataFamilies()))
        #expect(Set(recomputed.keys) == Set(incremental.keys))
        for (key, value) in recomputed {
            let mine = Double(value) ?? .nan
            for (what, other) in [("served", served[key]), ("incremental", incremental[key])] {
                let theirs = Double(other ?? "") ?? .nan
                #expect(
                    abs(mine - theirs) <= 1e-9 * max(1, abs(mine)),
                    "\(key): row by row \(value), \(what) \(other ?? "none")")
            }
        }

        // The report renders, with finite numbers, or refuses in one line and writes nothing.
        let out = directory.url.appendingPathComponent("out").path
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let report = try Tool(name: "lazarus-report").run([
            "--store", scratch.url, "--out", out, "--template", LazarusReportToolTests.template,
            "--performance-window", "7",
        ])
        let files = try FileManager.default.contentsOfDirectory(atPath: out)
        if report.status == 0 {
            #expect(files.count == 2, "\(files)")
            let json = try #require(files.first { $0.hasSuffix(".json") })
            let text = try String(contentsOfFile: "\(out)/\(json)", encoding: .utf8)
            #expect(!text.contains("NaN") && !text.contains("Infinity") && !text.contains("nan"))
        } else {
            #expect(report.stderr.hasPrefix("lazarus-report: error: "), "\(report.stderr)")
            #expect(report.stderr.filter { $0 == "\n" }.count == 1, "\(report.stderr)")
            #expect(files.isEmpty, "\(files)")
        }
    }
}
