import Synchronization

/// A loss budget in memory, for the simulator and tests; safe to share between threads.
public final class InMemoryLossBudget: LossBudget, Sendable {
    private let current: Mutex<BudgetState>

    /// Creates a budget with its first period's grant.
    /// - Parameter dollars: the initial grant, ≥ 0.
    /// - Throws: ``CoreError`` for a negative or non-finite amount.
    public init(granting dollars: Double) throws {
        current = Mutex(BudgetState(granted: try Self.validated(dollars, "the loss budget"), spent: 0))
    }

    public func hasRemaining() -> Bool { current.withLock { $0.remaining > 0 } }

    public func state() -> BudgetState { current.withLock { $0 } }

    @discardableResult public func spend(_ dollars: Double) throws -> BudgetSpend {
        let amount = try Self.validated(dollars, "a loss")
        return current.withLock { state in
            let before = state.remaining
            state.spent += amount
            return BudgetSpend(before: before, after: state.remaining)
        }
    }

    public func startPeriod(granting dollars: Double) throws {
        let amount = try Self.validated(dollars, "the loss budget")
        current.withLock { $0 = BudgetState(granted: amount, spent: 0) }
    }
}
