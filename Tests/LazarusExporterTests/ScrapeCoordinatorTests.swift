import Foundation
import LazarusCore
import LazarusSimulation
import LazarusStore
import Logging
import Synchronization
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

    /// A refresh that takes as long as the test says: the coordinator's deadline logic in isolation.
    final class SlowRefresher: SnapshotRefresher, @unchecked Sendable {
        let delay: Duration
        private let state = Mutex((text: "lazarus_up 0\n", ready: false, refreshes: 0))

        init(delay: Duration) { self.delay = delay }

        func refresh() async {
            try? await Task.sleep(for: delay)
            state.withLock { $0 = (text: "lazarus_up 1\n", ready: true, refreshes: $0.refreshes + 1) }
        }

        func snapshot() -> (text: String, ready: Bool) { state.withLock { ($0.text, $0.ready) } }
    }

    @Test("a scrape whose deadline passes serves the last complete snapshot, within a tick of the deadline")
    func deadline() async throws {
        let coordinator = ScrapeCoordinator(worker: SlowRefresher(delay: .seconds(2)), tick: .milliseconds(10))
        let clock = ContinuousClock()
        let started = clock.now
        let first = await coordinator.scrape(deadline: .milliseconds(100))
        let waited = clock.now - started
        #expect(!first.ready)
        #expect(first.text == "lazarus_up 0\n")
        #expect(waited >= .milliseconds(100) && waited < .milliseconds(1_000), "\(waited)")
        // The refresh it started still completes, and the next scrape shares it rather than starting another.
        let later = await coordinator.scrape(deadline: .seconds(30))
        #expect(later.ready)
        #expect(later.text == "lazarus_up 1\n")
    }

    @Test("a scrape answers as soon as the refresh finishes, long before its deadline")
    func early() async throws {
        let coordinator = ScrapeCoordinator(worker: SlowRefresher(delay: .milliseconds(50)), tick: .seconds(5))
        let clock = ContinuousClock()
        let started = clock.now
        let answer = await coordinator.scrape(deadline: .seconds(30))
        #expect(answer.ready)
        #expect(clock.now - started < .seconds(2))
    }
}
