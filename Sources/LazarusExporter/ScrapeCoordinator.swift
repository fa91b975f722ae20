import Synchronization

/// Shares one refresh between concurrent scrapes and bounds how long a scrape waits for it.
actor ScrapeCoordinator {
    private let worker: RefreshWorker
    private var inFlight: Task<Void, Never>?

    init(worker: RefreshWorker) {
        self.worker = worker
    }

    /// Starts a refresh unless one is running, waits for it at most `deadline`, and returns what to serve:
    /// the fresh snapshot if the refresh finished in time, the last complete one otherwise.
    func scrape(deadline: Duration) async -> (text: String, ready: Bool) {
        let refresh = currentRefresh()
        // Whichever comes first: the refresh or the deadline. (A task group would wait for both: awaiting
        // a task's value cannot be cancelled.)
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let first = Mutex(true)
            let resume = { @Sendable in
                if first.withLock({ was in
                    defer { was = false }; return was
                }) {
                    continuation.resume()
                }
            }
            Task {
                await refresh.value
                resume()
            }
            Task {
                try? await Task.sleep(for: deadline)
                resume()
            }
        }
        return worker.snapshot()
    }

    /// A refresh in the background, for the periodic timer; concurrent with scrapes, still only one.
    func refreshInBackground() async {
        await currentRefresh().value
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
    }
}
