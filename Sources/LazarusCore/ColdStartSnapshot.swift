/// What a cold start reads in one database snapshot: the plain rows (valid exploit and compliance
/// decisions and their outcomes, nearly all of a table) aggregated by the database, and every other
/// row (explore loans, invalid rows, outcomes without a decision) as rows, for row-by-row handling.
///
/// The two parts partition the tables: a row is in exactly one of them. The plain predicate is a
/// strict subset of ``DecisionRow/defect`` being `nil`, so the database never counts a row the
/// exporter would have refused.
public struct ColdStartSnapshot: Sendable {
    /// Plain decisions with the same variant, decision and reason.
    public struct DecisionGroup: Sendable, Equatable {
        public var variant: String
        public var approved: Bool
        public var reason: String
        public var count: Int
        public var first: Timestamp
        public var last: Timestamp

        /// Creates a group.
        public init(variant: String, approved: Bool, reason: String, count: Int, first: Timestamp, last: Timestamp) {
            self.variant = variant
            self.approved = approved
            self.reason = reason
            self.count = count
            self.first = first
            self.last = last
        }
    }

    /// Outcomes of plain approved decisions with the same variant and outcome, with their 1/propensity
    /// weights summed.
    public struct OutcomeGroup: Sendable, Equatable {
        public var variant: String
        public var defaulted: Bool
        public var count: Int
        public var weightSum: Double
        public var weightSquares: Double
        public var weightMax: Double

        /// Creates a group.
        public init(
            variant: String, defaulted: Bool, count: Int, weightSum: Double, weightSquares: Double, weightMax: Double
        ) {
            self.variant = variant
            self.defaulted = defaulted
            self.count = count
            self.weightSum = weightSum
            self.weightSquares = weightSquares
            self.weightMax = weightMax
        }
    }

    /// A plain eligible applicant picked by the per-day sample (the same hash as row-by-row reading).
    public struct SampledApplicant: Sendable, Equatable {
        public var day: Int64
        public var hash: Int64
        public var score: Double
        /// annual_income, credit_history_months, debt_to_income, credit_score, age.
        public var features: [Double]

        /// Creates a sampled applicant.
        public init(day: Int64, hash: Int64, score: Double, features: [Double]) {
            self.day = day
            self.hash = hash
            self.score = score
            self.features = features
        }
    }

    /// Ingest sequences at the snapshot: every row at or below `floor` was read, and the `recent` values
    /// above it (so that rows still uncommitted in that range are read later, and the rest not twice).
    public struct Sequences: Sendable, Equatable {
        public var floor: Int64?
        public var recent: [Int64]

        /// Creates a sequence position.
        public init(floor: Int64?, recent: [Int64]) {
            self.floor = floor
            self.recent = recent
        }
    }

    public var decisionGroups: [DecisionGroup] = []
    public var outcomeGroups: [OutcomeGroup] = []
    /// The day numbers of the oldest and newest `decided_at` of all rows.
    public var dayRange: ClosedRange<Int64>?
    public var sample: [SampledApplicant] = []
    public var otherDecisions: [(row: DecisionRow, sequence: Int64)] = []
    public var otherOutcomes: [(row: OutcomeRow, decision: DecisionRow?, sequence: Int64)] = []
    public var decisionSequences = Sequences(floor: nil, recent: [])
    public var outcomeSequences = Sequences(floor: nil, recent: [])

    /// Creates empty totals.
    public init() {}
}
