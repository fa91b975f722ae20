/// One row of `lazarus_decisions` exactly as stored.
///
/// Columns that a lender's own writer could leave empty or fill with unexpected text are optional
/// or raw strings here: the store reads what is there, and validation (which the exporter counts as
/// `lazarus_invalid_rows`) happens in the domain code, not in the reader.
public struct DecisionRow: Hashable, Sendable {
    /// The application's identifier, the table's primary key.
    public var applicationID: String
    /// When the decision was made (UTC).
    public var decidedAt: Timestamp
    /// `explore`, `exploit` or `compliance` (see ``Variant``); raw so that unknown values can be counted.
    public var variant: String?
    /// Whether the application was approved.
    public var approved: Bool?
    /// Why, e.g. `MODEL_QUALIFIED` (see ``DecisionReason``).
    public var reason: String?
    /// The logging policy's probability of approving this applicant, in [0, 1].
    public var propensity: Double?
    /// The production model's predicted probability of repayment.
    public var score: Double?
    /// The production model's version.
    public var modelVersion: String?
    /// Principal requested, in dollars.
    public var loanAmount: Double?
    /// The applicant features the models use.
    public var features: ApplicantFeatures

    /// Creates a decision row.
    public init(
        applicationID: String, decidedAt: Timestamp, variant: String?, approved: Bool?, reason: String?,
        propensity: Double?, score: Double?, modelVersion: String?, loanAmount: Double?,
        features: ApplicantFeatures
    ) {
        self.applicationID = applicationID
        self.decidedAt = decidedAt
        self.variant = variant
        self.approved = approved
        self.reason = reason
        self.propensity = propensity
        self.score = score
        self.modelVersion = modelVersion
        self.loanAmount = loanAmount
        self.features = features
    }
}

/// The applicant features stored beside each decision, one column each.
public struct ApplicantFeatures: Hashable, Sendable {
    /// Age in years.
    public var age: Int?
    /// Annual income in dollars.
    public var annualIncome: Double?
    /// Monthly debt payments over monthly income, a ratio.
    public var debtToIncome: Double?
    /// Bureau credit score (300–850).
    public var creditScore: Int?
    /// Length of the credit file in months.
    public var creditHistoryMonths: Int?
    /// A bankruptcy in the recent past.
    public var recentBankruptcy: Bool?

    /// Creates a feature set; every feature may be missing in a lender's data.
    public init(
        age: Int? = nil, annualIncome: Double? = nil, debtToIncome: Double? = nil, creditScore: Int? = nil,
        creditHistoryMonths: Int? = nil, recentBankruptcy: Bool? = nil
    ) {
        self.age = age
        self.annualIncome = annualIncome
        self.debtToIncome = debtToIncome
        self.creditScore = creditScore
        self.creditHistoryMonths = creditHistoryMonths
        self.recentBankruptcy = recentBankruptcy
    }
}
