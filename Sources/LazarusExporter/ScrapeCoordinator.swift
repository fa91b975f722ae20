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
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await refresh.value }
            group.addTask { try? await Task.sleep(for: deadline) }
            await group.next()
            group.cancelAll()
        }
        return await worker.snapshot()
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
