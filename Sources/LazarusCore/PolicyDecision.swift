/// What the policy decided, and the probability with which it approves applicants like this one.
public struct PolicyDecision: Sendable, Equatable {
    /// The arm that decided.
    public var variant: Variant
    /// Whether the application is approved.
    public var approved: Bool
    /// Why.
    public var reason: DecisionReason
    /// The logging policy's true probability of approving this applicant: the weight's denominator.
    public var propensity: Double

    /// Creates a decision.
    public init(variant: Variant, approved: Bool, reason: DecisionReason, propensity: Double) {
        self.variant = variant
        self.approved = approved
        self.reason = reason
        self.propensity = propensity
    }
}
