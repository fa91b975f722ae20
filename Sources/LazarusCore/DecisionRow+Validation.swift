/// Why a decision row breaks the contract of `lazarus_decisions`; the `reason` label of `lazarus_invalid_rows`.
public enum DecisionDefect: String, Sendable, CaseIterable {
    /// A column the metrics need is null (variant, approved, reason, propensity or score).
    case nullField = "null_field"
    /// The variant is not explore, exploit or compliance.
    case unknownVariant = "unknown_variant"
    /// The reason is not one the policy logs.
    case unknownReason = "unknown_reason"
    /// The propensity or the score is NaN or infinite.
    case nonFinite = "non_finite"
    /// The propensity is outside [0, 1], or an approval was logged with propensity 0.
    case propensityOutOfRange = "propensity_out_of_range"
    /// The loan amount is negative.
    case negativeAmount = "negative_amount"
}

extension DecisionRow {
    /// The first rule of the contract this row breaks, or `nil` for a valid row. Every reader of the
    /// decisions table (the exporter, the report) validates through here.
    public var defect: DecisionDefect? {
        guard let variant, approved != nil, let reason, let propensity, let score else { return .nullField }
        guard Variant(rawValue: variant) != nil else { return .unknownVariant }
        guard DecisionReason(rawValue: reason) != nil else { return .unknownReason }
        guard propensity.isFinite, score.isFinite else { return .nonFinite }
        guard (0...1).contains(propensity), !(approved == true && propensity == 0) else { return .propensityOutOfRange }
        guard (loanAmount ?? 0) >= 0 else { return .negativeAmount }
        return nil
    }
}
