/// What the coordinator drives: a refresh, and the snapshot it leaves to serve.
protocol SnapshotRefresher: Sendable {
    /// Brings the snapshot up to date.
    func refresh() async
    /// What to serve now, and whether the cold start has completed; never waits for a refresh.
    func snapshot() -> (text: String, ready: Bool)
}

extension RefreshWorker: SnapshotRefresher {}

/// Shares one refresh between concurrent scrapes and bounds how long a scrape waits for it.
///
/// Scrapes wait as continuations resumed either by the refresh finishing or by one ticker that expires
/// deadlines every `tick`. No timer is made per scrape: a cancelled `Task.sleep` keeps its timer until
/// its deadline, which under 20,000 scrapes a second with a 10 s deadline held hundreds of megabytes.
actor ScrapeCoordinator {
    private struct Waiter {
        /// When the ticker answers it without a fresh snapshot; `nil`: only the refresh finishing (or the
        /// waiting task's cancellation) does.
        var deadline: ContinuousClock.Instant?
        var continuation: CheckedContinuation<Void, Never>
    }

    private let worker: any SnapshotRefresher
    private let tick: Duration
    private var inFlight: Task<Void, Never>?
    private var waiters: [Int: Waiter] = [:]
    private var nextWaiter = 0
    private var ticker: Task<Void, Never>?

    init(worker: any SnapshotRefresher, tick: Duration = .milliseconds(25)) {
        self.worker = worker
        self.tick = tick
    }

    deinit { ticker?.cancel() }

    /// Starts a refresh unless one is running, waits for it at most `deadline`, and returns what to serve:
    /// the fresh snapshot if the refresh finished in time, the last complete one otherwise.
    func scrape(deadline: Duration) async -> (text: String, ready: Bool) {
        startTicker()
        _ = currentRefresh()
        let id = nextWaiter
        nextWaiter += 1
        // The body runs on this actor before any other of its work, so the refresh cannot finish unseen.
        await withCheckedContinuation { continuation in
            waiters[id] = Waiter(deadline: .now + deadline, continuation: continuation)
        }
        return worker.snapshot()
    }

    /// A refresh in the background, for the periodic timer; concurrent with scrapes, still only one.
    /// Returns when it finishes, or at once when the calling task is cancelled (a graceful shutdown): the
    /// refresh blocks on the database and cannot be interrupted, so it is not waited for then.
    func refreshInBackground() async {
        _ = currentRefresh()
        let id = nextWaiter
        nextWaiter += 1
        await withTaskCancellationHandler {
            // As in `scrape`, the body runs on this actor before the cancellation's `release` can.
            await withCheckedContinuation { continuation in
                waiters[id] = Waiter(deadline: nil, continuation: continuation)
            }
        } onCancel: {
            Task { await self.release(id) }
        }
    }

    /// Answers one waiter now, if it is still waiting.
    private func release(_ id: Int) {
        waiters.removeValue(forKey: id)?.continuation.resume()
    }

    private func currentRefresh() -> Task<Void, Never> {
        if let inFlight { return inFlight }
        let task = Task { [worker] in
            await worker.refresh()
            self.finished()
        }
        inFlight = task
        return task
    }

    private func finished() {
        inFlight = nil
        let done = waiters
        waiters = [:]
        done.values.forEach { $0.continuation.resume() }
    }

    private func startTicker() {
        guard ticker == nil else { return }
        ticker = Task { [weak self, tick] in
            while !Task.isCancelled {
                try? await Task.sleep(for: tick)
                await self?.expire()
            }
        }
    }

    /// Answers the scrapes whose deadline has passed with the last complete snapshot.
    private func expire() {
        let now = ContinuousClock.now
        for (id, waiter) in waiters where waiter.deadline.map({ $0 <= now }) ?? false {
            waiters[id] = nil
            waiter.continuation.resume()
        }
    }
}
