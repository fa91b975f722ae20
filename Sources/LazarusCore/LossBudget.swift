/// The exploration loss budget of the current period, shared by every decider.
///
/// Exploration may happen while the remaining budget is positive; the budget goes down only when an
/// explore loan's default is observed. Implementations make each call atomic: concurrent spends are
/// never lost, and exactly one spend sees the budget cross from positive to exhausted.
public protocol LossBudget: AnyObject {
    /// Whether budget remains (remaining > 0) at this moment.
    /// - Throws: ``CoreError`` or a store error when the budget cannot be read.
    func hasRemaining() throws -> Bool

    /// The budget's state now.
    /// - Throws: as ``hasRemaining()``.
    func state() throws -> BudgetState

    /// Records an observed exploration loss.
    /// - Parameter dollars: the loss, ≥ 0.
    /// - Returns: the remaining budget just before and just after this spend.
    /// - Throws: ``CoreError`` with code `invalidSetting` for a negative or non-finite amount.
    @discardableResult func spend(_ dollars: Double) throws -> BudgetSpend

    /// Starts a new period: earlier grants and losses stop counting, and `dollars` is granted.
    /// - Parameter dollars: the new period's grant, ≥ 0.
    /// - Throws: ``CoreError`` with code `invalidSetting` for a negative or non-finite amount.
    func startPeriod(granting dollars: Double) throws
}

/// A budget's totals in the current period.
public struct BudgetState: Sendable, Equatable {
    /// Dollars granted in the period.
    public var granted: Double
    /// Exploration losses observed in the period.
    public var spent: Double
    /// Granted minus spent; may go below zero, as a loss already made cannot be refused.
    public var remaining: Double { granted - spent }

    /// Creates a state.
    public init(granted: Double, spent: Double) {
        self.granted = granted
        self.spent = spent
    }
}

/// The remaining budget on either side of one spend.
public struct BudgetSpend: Sendable, Equatable {
    /// Remaining dollars just before the spend.
    public var before: Double
    /// Remaining dollars just after it.
    public var after: Double

    /// Whether this spend is the one that exhausted the budget.
    public var exhausted: Bool { before > 0 && after <= 0 }

    /// Creates a spend record.
    public init(before: Double, after: Double) {
        self.before = before
        self.after = after
    }
}

extension LossBudget {
    /// Checks a dollar amount given to a budget.
    /// - Parameters:
    ///   - dollars: the amount.
    ///   - what: how to name it in the error.
    /// - Returns: the amount, when finite and non-negative.
    /// - Throws: ``CoreError`` with code `invalidSetting` otherwise.
    public static func validated(_ dollars: Double, _ what: String) throws -> Double {
        guard dollars.isFinite, dollars >= 0 else {
            throw CoreError(.invalidSetting, "\(what) must be a finite, non-negative number of dollars, got \(dollars)")
        }
        return dollars
    }
}

extension BudgetState {
    /// The design's budget rule, replayed from the tables: the grants since the last reset, minus the
    /// losses of explore loans observed since that reset, counting only what happened before `moment`.
    /// - Parameters:
    ///   - ledger: valid ledger entries (`grant`/`reset`), in any order.
    ///   - exploreLosses: when each explore default was observed, and its loss.
    ///   - moment: replay up to (not including) this instant; `nil` for everything.
    /// - Returns: the state of the period current at `moment`.
    public static func replay(
        ledger: [LedgerEntry], exploreLosses: [(at: Timestamp, loss: Double)], before moment: Timestamp? = nil
    ) -> BudgetState {
        let end = moment ?? Timestamp(microseconds: .max)
        // Entries that cannot count (``LedgerEntry/defect``) are left out, as the exporter leaves them out.
        let entries = ledger.filter { $0.at < end && $0.defect == nil }
        let periodStart =
            entries.filter { $0.kind == LedgerEntry.Kind.reset.rawValue }.map(\.at).max()
            ?? Timestamp(microseconds: .min)
        let granted = entries.filter { $0.kind == LedgerEntry.Kind.grant.rawValue && $0.at >= periodStart }
            .reduce(0) { $0 + $1.amount }
        let spent = exploreLosses.filter { $0.at < end && $0.at >= periodStart }.reduce(0) { $0 + $1.loss }
        return BudgetState(granted: granted, spent: spent)
    }
}
