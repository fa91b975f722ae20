import LazarusCore

/// Server-side aggregates of a store, for the summary command and the exporter's cold start.
public struct StoreSummary: Sendable, Equatable {
    /// The schema version in place.
    public var schemaVersion: Int
    /// Rows in `lazarus_decisions`.
    public var decisionCount: Int
    /// Rows in `lazarus_outcomes`.
    public var outcomeCount: Int
    /// Rows in `lazarus_budget_ledger`.
    public var ledgerCount: Int
    /// Rows in `lazarus_models`.
    public var modelCount: Int
    /// The oldest and newest `decided_at`, `nil` without decisions.
    public var decidedRange: ClosedRange<Timestamp>?
    /// The oldest and newest `observed_at`, `nil` without outcomes.
    public var observedRange: ClosedRange<Timestamp>?
    /// Decisions grouped by variant, approval and reason.
    public var decisionGroups: [DecisionGroup]
    /// Outcomes grouped by the variant of their decision and whether they defaulted.
    public var outcomeGroups: [OutcomeGroup]

    /// Decisions sharing a variant, an approval flag and a reason, as stored (possibly null).
    public struct DecisionGroup: Sendable, Hashable {
        public var variant: String?
        public var approved: Bool?
        public var reason: String?
        public var count: Int
    }

    /// Outcomes sharing their decision's variant (`nil` when no decision matches) and a default flag.
    public struct OutcomeGroup: Sendable, Hashable {
        public var variant: String?
        public var defaulted: Bool?
        public var count: Int
        /// Sum of `loss_amount` in dollars (nulls count as 0).
        public var lossDollars: Double
    }
}
