import ServiceLifecycle

/// The background refresh: one refresh every `interval` seconds, so a scrape finds a fresh snapshot. A
/// `Service` of the exporter's service group, so a graceful shutdown stops it without waiting for a refresh
/// in flight (see ``ScrapeCoordinator/refreshInBackground()``).
struct RefreshService: Service {
    let coordinator: ScrapeCoordinator
    /// Seconds between the end of one refresh and the start of the next.
    let interval: Double

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await coordinator.refreshInBackground()
                try? await Task.sleep(for: .milliseconds(Int(interval * 1000)))
            }
        }
    }
}
