import Dispatch
import Synchronization

/// Independent computations run on every core, their results in order: the one place the estimators and the
/// report fan work out (the machine has two cores; the fits, the reads and the figures each use both).
public enum Concurrently {
    /// Runs `count` independent tasks and returns their results in task order, or rethrows the first error.
    public static func map<T: Sendable>(_ count: Int, _ task: @Sendable (Int) throws -> T) throws -> [T] {
        let results = Mutex<[Int: Result<T, any Error>]>([:])
        DispatchQueue.concurrentPerform(iterations: count) { index in
            let outcome = Result { try task(index) }
            results.withLock { $0[index] = outcome }
        }
        return try results.withLock { done in try (0..<count).map { try done[$0]!.get() } }
    }

    /// Runs two independent computations of different types, one per core; it throws only if they can.
    public static func both<A: Sendable, B: Sendable, E: Error>(
        _ a: @Sendable () throws(E) -> A, _ b: @Sendable () throws(E) -> B
    ) throws(E) -> (A, B) {
        let results = Mutex<(Result<A, E>?, Result<B, E>?)>((nil, nil))
        DispatchQueue.concurrentPerform(iterations: 2) { task in
            if task == 0 {
                let value = Result<A, E> { () throws(E) -> A in try a() }
                results.withLock { $0.0 = value }
            } else {
                let value = Result<B, E> { () throws(E) -> B in try b() }
                results.withLock { $0.1 = value }
            }
        }
        let (first, second) = results.withLock { $0 }
        return (try first!.get(), try second!.get())
    }
}
