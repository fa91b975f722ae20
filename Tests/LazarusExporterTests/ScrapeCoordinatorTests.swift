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

    /// A refresh that finishes only when the test opens the gate: the coordinator's deadline logic in
    /// isolation, independent of how busy the machine is (CI runs every suite at once on two cores).
    final class GatedRefresher: SnapshotRefresher, @unchecked Sendable {
        private let state = Mutex((open: false, waiting: [CheckedContinuation<Void, Never>](), ready: false))

        func refresh() async {
            await withCheckedContinuation { continuation in
                let now = state.withLock { state -> Bool in
                    if !state.open { state.waiting.append(continuation) }
                    return state.open
                }
                if now { continuation.resume() }
            }
            state.withLock { $0.ready = true }
        }

        func open() {
            let waiting = state.withLock { state in
                state.open = true
                defer { state.waiting = [] }
                return state.waiting
            }
            waiting.forEach { $0.resume() }
        }

        func snapshot() -> (text: String, ready: Bool) {
            let ready = state.withLock { $0.ready }
            return (ready ? "lazarus_up 1\n" : "lazarus_up 0\n", ready)
        }
    }

    @Test("a scrape whose deadline passes serves the last complete snapshot", .timeLimit(.minutes(1)))
    func deadline() async throws {
        let gate = GatedRefresher()
        let coordinator = ScrapeCoordinator(worker: gate, tick: .milliseconds(10))
        let clock = ContinuousClock()
        let started = clock.now
        let first = await coordinator.scrape(deadline: .milliseconds(100))
        #expect(clock.now - started >= .milliseconds(100))
        #expect(!first.ready)
        #expect(first.text == "lazarus_up 0\n")
        // The refresh it started goes on; the next scrape shares it rather than starting another.
        gate.open()
        let later = await coordinator.scrape(deadline: .seconds(600))
        #expect(later.ready)
        #expect(later.text == "lazarus_up 1\n")
    }

    @Test(
        "a scrape answers as soon as the refresh finishes, not at its deadline or the next tick",
        .timeLimit(.minutes(1)))
    func early() async throws {
        let gate = GatedRefresher()
        // Neither the deadline nor the ticker can answer within the test's time limit: only the refresh can.
        let coordinator = ScrapeCoordinator(worker: gate, tick: .seconds(3_600))
        let scrape = Task { await coordinator.scrape(deadline: .seconds(3_600)) }
        try await Task.sleep(for: .milliseconds(200))
        gate.open()
        let answer = await scrape.value
        #expect(answer.ready)
    }
}
