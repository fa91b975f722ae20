import Foundation
import LazarusTestSupport
import Testing

/// The files in `dashboards/`, checked against the real exporter: promtool's checks and unit tests, and
/// every panel's query answered by a real Prometheus scraping a real exporter with the rules loaded.
@Suite("dashboards and rules", .serialized)
struct DashboardTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let dashboards = repository.appendingPathComponent("dashboards")
    static let hasPrometheus =
        FileManager.default.isExecutableFile(atPath: "/usr/bin/prometheus")
        && FileManager.default.isExecutableFile(atPath: "/usr/bin/promtool")

    /// A simulated store with outcomes (they come 14 to 42 days after the loan) and one decision that breaks
    /// the contract, so that every panel has something to show.
    static func store(in directory: TemporaryDirectory) throws -> String {
        let store = directory.store()
        // 60 days, so that 18 of them are mature at the end (the performance window is 42), and more exploration
        // than the default, so that the mature rejected region holds enough loans for the model-quality panels.
        let sim = try Tool(name: "lazarus-sim").run([
            "--store", store, "--applications", "20000", "--days", "60", "--epsilon", "0.05",
        ])
        #expect(sim.status == 0, "\(sim.stderr)")
        let bad = """
            INSERT INTO lazarus_decisions (application_id, decided_at, variant, ingest_seq)
            VALUES ('bad-1', '2026-09-25T00:00:00.000000Z', 'mystery', 999999);
            """
        let sqlite = try Tool(name: "/usr/bin/sqlite3").runAbsolute([String(store.dropFirst("sqlite:".count)), bad])
        #expect(sqlite.status == 0, "\(sqlite.stderr)")
        return store
    }

    @Test(
        "check.sh passes on a real exposition: promtool checks, rule unit tests, names and layout",
        .enabled(if: hasPrometheus))
    func checkScript() throws {
        let directory = try TemporaryDirectory()
        let store = try Self.store(in: directory)
        let once = try Tool(name: "lazarus-exporter").run(["--once", "--store", store])
        #expect(once.status == 0)
        let exposition = directory.url.appendingPathComponent("scrape.prom")
        try once.stdout.write(to: exposition, atomically: true, encoding: .utf8)
        let check = try Tool(name: "/bin/bash").runAbsolute([
            Self.dashboards.appendingPathComponent("check.sh").path, exposition.path,
        ])
        #expect(check.status == 0, "\(check.stdout.suffix(2000))\n\(check.stderr)")
        #expect(check.stdout.contains("All dashboard checks passed"))
        #expect(check.stdout.contains("OK: 12 alerts"), "every alert needs its heading in dashboards/runbook.md")
    }

    /// Every PromQL expression of the dashboard's panels, with Grafana's variables filled in by the same
    /// code that `check.sh` parses them with (`check.py panel-queries`).
    static func panelQueries() throws -> [(title: String, expr: String)] {
        let run = try Tool(name: "/usr/bin/python3").runAbsolute([
            dashboards.appendingPathComponent("check.py").path, "panel-queries",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        let list = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: String]])
        return list.map { ($0["title"] ?? "?", $0["expr"] ?? "") }
    }

    @Test(
        "a real Prometheus with the rules loaded answers every panel's query from a real exporter",
        .enabled(if: hasPrometheus))
    func everyPanelHasData() throws {
        let directory = try TemporaryDirectory()
        let store = try Self.store(in: directory)
        let exporter = try RunningExporter(store: store, directory: directory)
        #expect(try exporter.waitReady())
        let dashboards = Self.dashboards.path
        let prometheus = try RunningPrometheus(
            config: """
                global: {scrape_interval: 1s, scrape_timeout: 1s, evaluation_interval: 1s}
                rule_files: ['\(dashboards)/lazarus-rules.yml', '\(dashboards)/lazarus-alerts.yml']
                scrape_configs:
                  - job_name: lazarus
                    static_configs: [{targets: ['127.0.0.1:\(exporter.port)']}]
                """, directory: directory)
        let query = prometheus.query
        // New decisions while Prometheus watches (after its first scrape), so that the rates over recent
        // windows have something; one day of them, so the newest decision is still weeks old.
        _ = prometheus.poll("lazarus_up")
        Thread.sleep(forTimeInterval: 1.5)
        let append = try Tool(name: "lazarus-sim").run([
            "--store", store, "--append", "--applications", "2000", "--days", "1",
        ])
        #expect(append.status == 0, "\(append.stderr)")
        let queries = try Self.panelQueries()
        #expect(queries.count >= 30)
        var missing = queries
        // Rates need two scrapes and rules an evaluation: ask again until every query answers, for 30 s.
        for _ in 0..<60 where !missing.isEmpty {
            Thread.sleep(forTimeInterval: 0.5)
            missing = missing.filter { !query($0.expr).contains("\"result\":[{") }
        }
        #expect(missing.isEmpty, "panels without data: \(missing.map { "\($0.title): \($0.expr)" })")
        // And the alert rules were loaded and evaluated: the simulated decisions are weeks old.
        var alerts = ""
        for _ in 0..<20 where !alerts.contains("LazarusNoNewDecisions") {
            Thread.sleep(forTimeInterval: 0.5)
            alerts = query("ALERTS{alertname=\"LazarusNoNewDecisions\"}")
        }
        #expect(alerts.contains("LazarusNoNewDecisions"), "\(alerts)")
    }
}
