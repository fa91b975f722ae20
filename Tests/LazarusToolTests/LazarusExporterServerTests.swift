import Foundation
import LazarusCore
import LazarusTestSupport
import Testing

@testable import LazarusStore

/// The exporter as a running server: HTTP endpoints, incremental refresh, a real Prometheus scraping it.
@Suite("lazarus-exporter serving over HTTP", .serialized)
struct LazarusExporterServerTests {
    static func value(_ exposition: String, _ series: String) -> Double? {
        RunningExporter.value(exposition, series)
    }

    @Test("serves /metrics, /healthz, /readyz and /, and picks up appended rows exactly once")
    func endpointsAndIncrementalRefresh() throws {
        let directory = try TemporaryDirectory()
        let store = directory.store()
        #expect(
            try Tool(name: "lazarus-sim").run(["--store", store, "--applications", "4000", "--days", "8"]).status == 0)
        let exporter = try RunningExporter(store: store, directory: directory)
        #expect(try exporter.waitReady())
        #expect(try exporter.get("/healthz").status == 200)
        #expect(try exporter.get("/").body.contains("/metrics"))
        let first = try exporter.get("/metrics", headers: ["X-Prometheus-Scrape-Timeout-Seconds: 5"])
        #expect(first.status == 200)
        #expect(first.body.contains("lazarus_up 1"))
        let series = "lazarus_decisions_total{variant=\"exploit\",decision=\"approve\",reason=\"MODEL_QUALIFIED\"}"
        let before = try #require(Self.value(first.body, series))

        #expect(
            try Tool(name: "lazarus-sim").run(["--store", store, "--applications", "3000", "--days", "4", "--append"])
                .status == 0)
        let summary = try openStore(store).summary()
        let expected = Double(summary.decisionGroups.first { $0.reason == "MODEL_QUALIFIED" }?.count ?? 0)
        var after = before
        for _ in 0..<40 where after != expected {
            Thread.sleep(forTimeInterval: 0.25)
            after = Self.value(try exporter.get("/metrics").body, series) ?? after
        }
        #expect(after == expected, "incremental refresh must count the appended rows exactly once")
        #expect(after > before)
    }

    @Test("a database that is down: stays up, says lazarus_up 0, /readyz 503")
    func databaseDown() throws {
        let directory = try TemporaryDirectory()
        let exporter = try RunningExporter(store: "postgresql://lazarus:Secret1@127.0.0.1:1/x", directory: directory)
        Thread.sleep(forTimeInterval: 1.5)
        let metrics = try exporter.get("/metrics", headers: ["X-Prometheus-Scrape-Timeout-Seconds: 2"])
        #expect(metrics.status == 200)
        #expect(metrics.body.contains("lazarus_up 0"))
        // Each failed attempt is counted, so an alert can fire on a rate of failures, not only on lazarus_up.
        #expect((Self.value(metrics.body, "lazarus_refresh_failures_total") ?? 0) >= 1, "\(metrics.body)")
        #expect(metrics.body.contains("process_resident_memory_bytes "))
        // Any client can send the header: nonsense in it must not stop the exporter.
        for nonsense in ["inf", "1e300", "-5", "NaN", "soon"] {
            let answer = try exporter.get("/metrics", headers: ["X-Prometheus-Scrape-Timeout-Seconds: \(nonsense)"])
            #expect(answer.status == 200, "\(nonsense)")
        }
        #expect(try exporter.get("/readyz").status == 503)
        #expect(exporter.process.isRunning)
        let log = try String(contentsOf: exporter.log, encoding: .utf8)
        #expect(log.contains("refresh failed"))
        #expect(!log.contains("Secret1"))
    }

    @Test(
        "a PostgreSQL connection that is cut is reported, retried and recovered, counting nothing twice",
        .enabled(if: ProcessInfo.processInfo.environment["LAZARUS_TEST_POSTGRES_URL"] != nil))
    func postgresRecovery() throws {
        let schema = try SimulatedSchema(prefix: "exp")
        let (admin, tag) = (schema.admin, schema.name)
        let directory = try TemporaryDirectory()
        let exporter = try RunningExporter(store: schema.owner + "&application_name=\(tag)", directory: directory)
        #expect(try exporter.waitReady())
        let series =
            "lazarus_decisions_total{variant=\"explore\",decision=\"approve\",reason=\"PROJECT_LAZARUS_EXPLORE\"}"
        let before = try #require(Self.value(try exporter.get("/metrics").body, series))
        // What a database restart does to the exporter: its connection is gone.
        try ScratchStore.raw(
            admin, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '\(tag)'")
        var log = ""
        for _ in 0..<50 where !log.contains("refresh failed") {
            Thread.sleep(forTimeInterval: 0.2)
            _ = try? exporter.get("/metrics")
            log = try String(contentsOf: exporter.log, encoding: .utf8)
        }
        #expect(log.contains("refresh failed"))
        var body = ""
        for _ in 0..<50 where !body.contains("lazarus_up 1") {
            Thread.sleep(forTimeInterval: 0.2)
            body = (try? exporter.get("/metrics").body) ?? ""
        }
        #expect(body.contains("lazarus_up 1"), "the exporter must reconnect by itself")
        #expect(Self.value(body, series) == before)
    }

    @Test(
        "a hung query is cut by the statement timeout, counted as a failure, and the exporter recovers",
        .enabled(if: ProcessInfo.processInfo.environment["LAZARUS_TEST_POSTGRES_URL"] != nil))
    func hungQuery() throws {
        let schema = try SimulatedSchema(prefix: "hung")
        let directory = try TemporaryDirectory()
        // Refreshing every 0.5 s: the steady-state limit is its floor, 1 s.
        let exporter = try RunningExporter(store: schema.owner, directory: directory)
        #expect(try exporter.waitReady())
        // Another session holds a lock every read of the decisions waits for: without a limit the only
        // refresh worker would wait with it for ever.
        let locker = try openStore(schema.owner)
        try ScratchStore.raw(locker, "BEGIN")
        try ScratchStore.raw(locker, "LOCK TABLE lazarus_decisions IN ACCESS EXCLUSIVE MODE")
        var log = ""
        for _ in 0..<60 where !log.contains("statement timeout") {
            Thread.sleep(forTimeInterval: 0.25)
            _ = try? exporter.get("/metrics")
            log = exporter.logText
        }
        #expect(log.contains("canceling statement due to statement timeout"), "\(log)")
        let failing = try exporter.get("/metrics").body
        #expect((Self.value(failing, "lazarus_refresh_failures_total") ?? 0) >= 1)
        try ScratchStore.raw(locker, "COMMIT")
        let body = exporter.scrape { $0.contains("lazarus_up 1") }
        #expect(body.contains("lazarus_up 1"), "the exporter must recover once the lock is gone")
    }

    /// The samples computed from the tables: everything but the exporter's own three status families.
    static func dataSamples(_ exposition: String) -> [Substring] {
        let status = [
            "lazarus_up ", "lazarus_last_refresh_timestamp_seconds ", "lazarus_refresh_duration_seconds ",
            "lazarus_refresh_failures_total ", "process_",
        ]
        return exposition.split(separator: "\n").filter { line in
            !line.hasPrefix("#") && !status.contains { line.hasPrefix($0) }
        }
    }

    @Test(
        "a PostgreSQL server restart: last snapshot served with lazarus_up 0, then recovery, nothing counted twice",
        .enabled(if: ProcessInfo.processInfo.environment["LAZARUS_TEST_POSTGRES_URL"] != nil && OwnPostgres.isInstalled)
    )
    func postgresRestart() throws {
        let postgres = try OwnPostgres()
        let directory = try TemporaryDirectory()
        #expect(
            try Tool(name: "lazarus-sim").run(["--store", postgres.url, "--applications", "3000", "--days", "6"]).status
                == 0)
        let exporter = try RunningExporter(store: postgres.url, directory: directory)
        #expect(try exporter.waitReady())
        let served = try exporter.get("/metrics").body
        let before = Self.dataSamples(served)
        #expect(before.count > 30)

        try postgres.stopServer()
        let down = exporter.scrape { $0.contains("lazarus_up 0") }
        #expect(down.contains("lazarus_up 0"), "a refresh against a stopped server must say so")
        #expect(Self.dataSamples(down) == before, "the last snapshot is served while the database is down")
        let stamp = "lazarus_last_refresh_timestamp_seconds"
        let stampDown = Self.value(down, stamp)
        #expect(stampDown != nil)
        Thread.sleep(forTimeInterval: 1.5)
        let later = try exporter.get("/metrics", headers: ["X-Prometheus-Scrape-Timeout-Seconds: 2"]).body
        #expect(Self.value(later, stamp) == stampDown, "the snapshot's time must not advance while the store is down")
        #expect(try exporter.get("/healthz").status == 200)
        #expect(exporter.process.isRunning)

        try postgres.startServer()
        // The backoff may have grown to several seconds while the server was down.
        let up = exporter.scrape(tries: 240) { $0.contains("lazarus_up 1") }
        #expect(up.contains("lazarus_up 1"), "the exporter must reconnect by itself after the restart")
        #expect(Self.dataSamples(up) == before, "a reconnect must count nothing twice")

        // And it goes on reading only what is new.
        #expect(
            try Tool(name: "lazarus-sim").run([
                "--store", postgres.url, "--applications", "1000", "--days", "2", "--append",
            ]).status == 0)
        let total = Double(try openStore(postgres.url).summary().decisionGroups.reduce(0) { $0 + $1.count })
        var counted = 0.0
        for _ in 0..<60 where counted != total {
            Thread.sleep(forTimeInterval: 0.25)
            let body = (try? exporter.get("/metrics").body) ?? ""
            counted = Self.dataSamples(body).filter { $0.hasPrefix("lazarus_decisions_total{") }.reduce(0) {
                $0 + (Double($1.split(separator: " ").last ?? "") ?? 0)
            }
        }
        #expect(counted == total, "after the restart, appended decisions are counted exactly once")
        let log = try String(contentsOf: exporter.log, encoding: .utf8)
        #expect(log.contains("refresh failed"))
        // The cluster must outlive every read above, not only its last named use.
        withExtendedLifetime(postgres) {}
    }

    @Test(
        "a real Prometheus scrapes it and PromQL returns the store's numbers",
        .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/prometheus")))
    func prometheusScrape() throws {
        let directory = try TemporaryDirectory()
        let store = directory.store()
        #expect(
            try Tool(name: "lazarus-sim").run(["--store", store, "--applications", "3000", "--days", "8"]).status == 0)
        let exporter = try RunningExporter(store: store, directory: directory)
        #expect(try exporter.waitReady())
        let prometheus = try RunningPrometheus(
            config: """
                global: {scrape_interval: 1s, scrape_timeout: 1s}
                scrape_configs:
                  - job_name: lazarus
                    static_configs: [{targets: ['127.0.0.1:\(exporter.port)']}]
                """, directory: directory)
        let explore = Double(
            try openStore(store).summary().decisionGroups.filter { $0.variant == "explore" }.reduce(0) { $0 + $1.count }
        )
        let answer = prometheus.poll(#"sum(lazarus_decisions_total{variant="explore"})"#)
        #expect(answer.contains("\"\(Int(explore))\""), "Prometheus answered: \(answer)")
    }
}
