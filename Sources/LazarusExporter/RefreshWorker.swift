import Dispatch
import Foundation
import LazarusCore
import LazarusMetrics
import LazarusStore
import Logging
import Synchronization

/// The exporter's state and its one database connection, touched only on one serial queue.
///
/// `@unchecked Sendable` because every mutable property is read and written on `queue` alone: the
/// store's connection is not thread-safe, and blocking C calls must not run on Swift's cooperative pool.
final class RefreshWorker: @unchecked Sendable {
    private let queue = DispatchQueue(label: "lazarus.exporter.refresh")
    private let url: StoreURL
    private let logger: Logger
    private var store: (any Store)?
    private var state: ExperimentState
    private var body = ""
    private var renderedRevision = -1
    private var status = RefreshStatus(up: false, lastRefresh: nil, duration: nil)
    private var ready = false
    /// What scrapes serve: published at the end of each refresh, readable while the next one runs.
    private let published = Mutex(
        (text: Exposition.render([RefreshWorker.down, RefreshStatus.failuresFamily(0)]), ready: false))
    /// Why the exporter is not ready, while the cold start has not succeeded: the last failure's one line.
    private let blocker = Mutex<String?>(nil)
    /// The PostgreSQL statement timeout of steady-state refreshes, and of the cold start (which reads
    /// everything: 35 s for 10 million rows here). After a failure the next attempt gets twice the limit,
    /// up to the cold start's, so a large catch-up after an outage still finishes; a success restores it.
    private let statementSeconds: Double
    static let coldStartStatementSeconds = 600.0
    private var statementLimit: Double
    /// The limit this exporter set on the open connection (`nil`: none, or one set elsewhere).
    private var limitInForce: Double?
    private var nextAttempt = Date.distantPast
    private var attempts = 0
    private var backoff = 1.0

    static let down = MetricFamily(
        "lazarus_up", .gauge, "1 when the last refresh from the store succeeded, 0 otherwise.", [.init(0)])

    init(
        url: StoreURL, riskThreshold: Double, lifetimeValue: Double,
        performanceWindowDays: Int = Maturity.defaultWindowDays, statementSeconds: Double = 12, logger: Logger
    ) {
        self.statementSeconds = statementSeconds
        self.statementLimit = statementSeconds
        self.url = url
        self.logger = logger
        self.state = ExperimentState(
            riskThreshold: riskThreshold, lifetimeValue: lifetimeValue, performanceWindowDays: performanceWindowDays)
    }

    /// The exposition served now, and whether the first full pass has completed. Never waits for a
    /// refresh in progress: that is what lets a scrape answer within its deadline.
    func snapshot() -> (text: String, ready: Bool) {
        published.withLock { $0 }
    }

    /// Why `/readyz` is 503: the last refresh's error while no cold start has succeeded, `nil` while the first
    /// one is still running (or once ready). The message is the store's, which never carries a password.
    func notReadyReason() -> String? {
        blocker.withLock { $0 }
    }

    /// How many refreshes have reached the store (for tests and logs).
    func refreshAttempts() async -> Int {
        await withCheckedContinuation { continuation in queue.async { continuation.resume(returning: self.attempts) } }
    }

    /// Brings the aggregates up to date with what was added since the last refresh.
    func refresh() async {
        await withCheckedContinuation { continuation in
            queue.async {
                self.refreshOnQueue()
                continuation.resume()
            }
        }
    }

    private func refreshOnQueue() {
        // After a failure, wait before hammering a database that is down or restarting.
        guard Date() >= nextAttempt else { return }
        attempts += 1
        let started = Date()
        do {
            if store == nil {
                // Never creating: a deleted SQLite store is reported, not replaced by an empty one.
                let opened = try openStore(url, creating: false)
                try opened.verifySchema()
                let asked = ready ? statementLimit : Self.coldStartStatementSeconds
                // Remembered only when it is ours to change: a limit from the URL or the role stands.
                let granted = try opened.limitStatements(toSeconds: asked)
                limitInForce = granted == asked ? granted : nil
                store = opened
            }
            guard let store else { return }
            // The state applies what it read only when every read succeeded: a failure halfway must not
            // leave rows counted that the next refresh would read again.
            let counts = try state.refresh(from: .store(store), now: Date().timeIntervalSince1970)
            let duration = Date().timeIntervalSince(started)
            status = RefreshStatus(
                up: true, lastRefresh: Date().timeIntervalSince1970, duration: duration, failures: status.failures)
            ready = true
            blocker.withLock { $0 = nil }
            statementLimit = statementSeconds
            if let limit = limitInForce, limit > statementSeconds {
                limitInForce = try store.limitStatements(toSeconds: statementSeconds)
            }
            backoff = 1
            logger.debug(
                "refresh",
                metadata: [
                    "decisions": "\(counts.decisions)", "outcomes": "\(counts.outcomes)",
                    "cold_start": "\(counts.coldStart)", "held_sequences": "\(state.heldSequences)",
                    "seconds": "\(duration)",
                ])
        } catch {
            status.up = false
            status.failures += 1
            store = nil
            if ready { statementLimit = min(statementLimit * 2, Self.coldStartStatementSeconds) }
            nextAttempt = Date().addingTimeInterval(backoff)
            backoff = min(backoff * 2, 30)
            let message = (error as? UserFacingError)?.message ?? "\(error)"
            logger.warning("refresh failed", metadata: ["error": "\(message)", "retry_in_seconds": "\(backoff / 2)"])
            if !ready { blocker.withLock { $0 = message } }
        }
        // The tables' families are rendered again only when a refresh changed them: an idle scrape renders
        // three lines, however large the experiment.
        if ready, renderedRevision != state.revision {
            body = Exposition.render(state.aggregate.dataFamilies())
            renderedRevision = state.revision
        }
        let text =
            ready
            ? Exposition.render(ExperimentAggregate.statusFamilies(status)) + body
            : Exposition.render([Self.down, RefreshStatus.failuresFamily(status.failures)])
        published.withLock { $0 = (text, ready) }
    }
}
