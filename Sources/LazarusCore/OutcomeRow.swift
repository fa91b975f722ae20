/// One row of `lazarus_outcomes`: what became of an approved loan, observed later.
public struct OutcomeRow: Hashable, Sendable {
    /// The decision this outcome belongs to.
    public var applicationID: String
    /// When the outcome was observed (UTC).
    public var observedAt: Timestamp
    /// Whether the loan defaulted.
    public var defaulted: Bool?
    /// Dollars lost; 0 when repaid.
    public var lossAmount: Double?

    /// Creates an outcome row.
    public init(applicationID: String, observedAt: Timestamp, defaulted: Bool?, lossAmount: Double?) {
        self.applicationID = applicationID
        self.observedAt = observedAt
        self.defaulted = defaulted
        self.lossAmount = lossAmount
    }
}
