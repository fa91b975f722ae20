import LazarusCore
import LazarusStore

/// Every decision up to the report's end, with its outcome if observed by then: what the report knows.
public struct LoanHistory: Sendable {
    /// One decision, validated, with its outcome.
    public struct Loan: Sendable {
        public var id: String
        public var decidedAt: Timestamp
        public var variant: Variant
        public var approved: Bool
        public var propensity: Double
        /// The production model's probability of repayment.
        public var score: Double
        public var loanAmount: Double
        /// Model features in ``LoanHistory/featureNames`` order.
        public var features: [Double]
        /// When the outcome was observed, if it was before the report's end.
        public var observedAt: Timestamp?
        public var defaulted: Bool?
        public var loss: Double
    }

    /// The features the report's models use, in raw units. `recent_bankruptcy` is left out: the
    /// safety valve rejects every such applicant, so it is constant among loans and not identified.
    public static let featureNames = [
        "annual_income", "credit_history_months", "debt_to_income", "credit_score", "age",
    ]

    /// The decisions, in arrival order.
    public var loans: [Loan]
    /// The budget ledger up to the end.
    public var ledger: [LedgerEntry]
    /// Rows skipped because they break the contract (missing features, propensity out of range, …).
    public var skippedRows: Int
    /// Outcomes observed after the end (not yet known at the report's date).
    public var laterOutcomes: Int

    /// Reads what the store knew at `end`.
    /// - Parameters:
    ///   - store: the store.
    ///   - end: the report's end (exclusive).
    /// - Throws: ``StoreError``.
    public init(store: any Store, end: Timestamp) throws {
        var loans: [Loan] = []
        var index: [String: Int] = [:]
        var skipped = 0
        try store.streamDecisions(RowQuery(before: end)) { row in
            guard let loan = Self.validate(row) else {
                skipped += 1
                return
            }
            index[loan.id] = loans.count
            loans.append(loan)
        }
        var later = 0
        try store.streamOutcomes(.all) { outcome in
            guard outcome.observedAt < end else {
                later += 1
                return
            }
            // An unreadable time reads as the earliest instant: it must be skipped, not taken as observed.
            guard outcome.observedAt.isPlausible, let i = index[outcome.applicationID], loans[i].approved,
                let defaulted = outcome.defaulted, loans[i].observedAt == nil, (outcome.lossAmount ?? 0) >= 0,
                (outcome.lossAmount ?? 0).isFinite
            else {
                skipped += 1
                return
            }
            loans[i].observedAt = outcome.observedAt
            loans[i].defaulted = defaulted
            loans[i].loss = defaulted ? outcome.lossAmount ?? 0 : 0
        }
        self.loans = loans
        self.ledger = try store.ledger().filter { $0.at < end }
        self.skippedRows = skipped
        self.laterOutcomes = later
    }

    /// Builds a history from loans already in memory (for tests).
    public init(loans: [Loan], ledger: [LedgerEntry]) {
        self.loans = loans
        self.ledger = ledger
        self.skippedRows = 0
        self.laterOutcomes = 0
    }

    static func validate(_ row: DecisionRow) -> Loan? {
        let f = row.features
        guard row.defect == nil, let variant = row.variant.flatMap(Variant.init(rawValue:)),
            let approved = row.approved,
            let propensity = row.propensity, let score = row.score, let income = f.annualIncome,
            let history = f.creditHistoryMonths, let dti = f.debtToIncome, let creditScore = f.creditScore,
            let age = f.age, income.isFinite, dti.isFinite
        else { return nil }
        return Loan(
            id: row.applicationID, decidedAt: row.decidedAt, variant: variant, approved: approved,
            propensity: propensity, score: score, loanAmount: max(row.loanAmount ?? 0, 0),
            features: [income, Double(history), dti, Double(creditScore), Double(age)], observedAt: nil,
            defaulted: nil, loss: 0)
    }
}
