import LazarusCore

/// The tables a simulated run produces, and the figures of its one-screen summary.
public struct SimulatedExperiment: Sendable {
    /// One row per application, in arrival order.
    public var decisions: [DecisionRow]
    /// Outcomes observed before the run's end, in observation order.
    public var outcomes: [OutcomeRow]
    /// Grants and resets of the loss budget.
    public var ledger: [LedgerEntry]
    /// The run's figures.
    public var summary: SimulationSummary
}

/// What a run did, for the summary screen and for tests.
public struct SimulationSummary: Sendable, Equatable {
    /// Decisions by variant and reason.
    public var decisions: [Key: Int] = [:]
    /// Explore loans granted.
    public var exploreLoans = 0
    /// Explore loans to applicants the production model rejected.
    public var exploreLoansToRejected = 0
    /// Explore loans whose default was observed.
    public var exploreDefaults = 0
    /// Explore loans to rejected applicants observed to repay: the "good loans found".
    public var goodLoansFound = 0
    /// Explore outcomes observed in the thin-file, high-income segment.
    public var thinFileHighEarnerExploreOutcomes = 0
    /// Exploration losses observed, all periods, in dollars.
    public var explorationLosses = 0.0
    /// Budget left in the last period at the end of the run.
    public var budgetRemaining = 0.0
    /// Budget granted in the last period.
    public var budgetGranted = 0.0
    /// Periods whose budget ran out.
    public var exhaustedPeriods = 0
    /// Approved loans still awaiting an outcome at the end, by variant.
    public var pending: [Variant: Int] = [:]
    /// Observed outcomes.
    public var observedOutcomes = 0

    /// A variant and reason.
    public struct Key: Hashable, Sendable, Comparable {
        public var variant: Variant
        public var reason: DecisionReason

        public static func < (lhs: Key, rhs: Key) -> Bool {
            (lhs.variant.rawValue, lhs.reason.rawValue) < (rhs.variant.rawValue, rhs.reason.rawValue)
        }
    }
}
