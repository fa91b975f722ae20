import Foundation
import LazarusCore
import LazarusSimulation
import LazarusStore
import Logging
import Testing

@testable import LazarusExporter

@Suite("Scrape coordination")
struct ScrapeCoordinatorTests {
    static func store() throws -> (URL, StoreURL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lazarus-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = StoreURL.sqlite(path: directory.appendingPathComponent("s.sqlite").path)
        let store = try openStore(url)
        try store.migrate()
        let run = try ExperimentSimulator(
            settings: SimulationSettings(applications: 20_000, days: 10, seed: 2, policy: PolicySettings())
        ).run()
        try store.writeExperiment(decisions: run.decisions, outcomes: run.outcomes, ledger: run.ledger, mode: .new)
        return (directory, url)
    }

    @Test("concurrent scrapes share one refresh")
    func concurrentScrapesShareOneRefresh() async throws {
        let (directory, url) = try Self.store()
        defer { try? FileManager.default.removeItem(at: directory) }
        let worker = RefreshWorker(url: url, riskThreshold: 0.5, lifetimeValue: 500, logger: Logger(label: "test"))
        let coordinator = ScrapeCoordinator(worker: worker)
        let texts = await withTaskGroup(of: String.self) { group in
            for _ in 0..<20 { group.addTask { await coordinator.scrape(deadline: .seconds(30)).text } }
            return await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(await worker.refreshAttempts() <= 2, "twenty simultaneous scrapes must not mean twenty refreshes")
        #expect(texts.allSatisfy { $0.contains("lazarus_up 1") })
    }

    @Test("a scrape whose deadline passes serves the last complete snapshot")
    func deadline() async throws {
        let (directory, url) = try Self.store()
        defer { try? FileManager.default.removeItem(at: directory) }
        let worker = RefreshWorker(url: url, riskThreshold: 0.5, lifetimeValue: 500, logger: Logger(label: "test"))
        let coordinator = ScrapeCoordinator(worker: worker)
        // The cold start cannot finish in a millisecond: the scrape answers anyway, with lazarus_up 0 alone.
        let first = await coordinator.scrape(deadline: .milliseconds(1))
        #expect(!first.ready)
        #expect(first.text.contains("lazarus_up 0"))
        #expect(!first.text.contains("lazarus_decisions_total"))
        await coordinator.refreshInBackground()
        let later = await coordinator.scrape(deadline: .seconds(30))
        #expect(later.ready)
        #expect(later.text.contains("lazarus_decisions_total"))
    }
}
