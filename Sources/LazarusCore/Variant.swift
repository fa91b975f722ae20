/// The arm of the policy that produced a decision.
public enum Variant: String, Sendable, CaseIterable {
    /// A random approval of an applicant the model would reject, paid for from the loss budget.
    case explore
    /// The model's own decision.
    case exploit
    /// A rejection by the safety valve, before any model or exploration.
    case compliance
}

/// Why the policy decided as it did; the values logged in `lazarus_decisions.reason`.
public enum DecisionReason: String, Sendable, CaseIterable {
    /// Safety valve: under 18 or a recent bankruptcy.
    case complianceBlock = "COMPLIANCE_BLOCK"
    /// Approved at random by exploration.
    case explore = "PROJECT_LAZARUS_EXPLORE"
    /// The model's score passed the threshold.
    case modelQualified = "MODEL_QUALIFIED"
    /// The model's score failed the threshold.
    case modelHighRisk = "MODEL_HIGH_RISK"
    /// The model's score failed and no exploration budget was left.
    case budgetExhausted = "BUDGET_EXHAUSTED"
}

extension DecisionReason {
    /// The arm that logs this reason: the policy's reasons each belong to one.
    public var variant: Variant {
        switch self {
        case .complianceBlock: .compliance
        case .explore: .explore
        case .modelQualified, .modelHighRisk, .budgetExhausted: .exploit
        }
    }

    /// Whether a decision with this reason approves: exploration and a passing score do.
    public var approves: Bool { self == .explore || self == .modelQualified }
}
