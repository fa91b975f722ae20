import Foundation
import ServiceLifecycle

/// The background refresh: one refresh every `interval` seconds, so a scrape finds a fresh snapshot. A
/// `Service` of the exporter's service group, so a graceful shutdown stops it.
///
/// A refresh blocks on the database and cannot be interrupted; on shutdown the loop stops waiting for the
/// one in flight instead (it is abandoned with the process), so SIGTERM is not held up by a long read.
struct RefreshService: Service {
    let coordinator: ScrapeCoordinator
    /// Seconds between the end of one refresh and the start of the next.
    let interval: Double

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await Self.untilDoneOrCancelled(await coordinator.backgroundRefresh())
                try? await Task.sleep(for: .milliseconds(Int(interval * 1000)))
            }
        }
    }

    /// Waits for `task` to finish, or for the calling task to be cancelled, whichever comes first.
    static func untilDoneOrCancelled(_ task: Task<Void, Never>) async {
        let gate = Gate()
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                gate.arm(continuation)
                Task {
                    await task.value
                    gate.open()
                }
            }
        } onCancel: {
            gate.open()
        }
    }

    /// Resumes its continuation exactly once, whether `open` comes before or after `arm`.
    private final class Gate: @unchecked Sendable {
        private let lock = NSLock()
        private var continuation: CheckedContinuation<Void, Never>?
        private var isOpen = false

        func arm(_ continuation: CheckedContinuation<Void, Never>) {
            lock.lock()
            if isOpen {
                lock.unlock()
                continuation.resume()
                return
            }
            self.continuation = continuation
            lock.unlock()
        }

        func open() {
            lock.lock()
            isOpen = true
            let waiting = continuation
            continuation = nil
            lock.unlock()
            waiting?.resume()
        }
    }
}
