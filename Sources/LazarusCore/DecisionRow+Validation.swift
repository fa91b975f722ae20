/// Why a decision row breaks the contract of `lazarus_decisions`; the `reason` label of `lazarus_invalid_rows`.
public enum DecisionDefect: String, Sendable, CaseIterable {
    /// A column the metrics need is null (variant, approved, reason, propensity or score).
    case nullField = "null_field"
    /// `decided_at` is null, infinite, not a time, or outside the years 1900–9999.
    case badTimestamp = "bad_timestamp"
    /// The variant is not explore, exploit or compliance.
    case unknownVariant = "unknown_variant"
    /// The reason is not one the policy logs.
    case unknownReason = "unknown_reason"
    /// The variant or the approval contradicts the reason (``DecisionReason/variant``,
    /// ``DecisionReason/approves``): an explore row that rejects, an exploit row blocked for compliance.
    case inconsistentDecision = "inconsistent_decision"
    /// The propensity, the score or the loan amount is NaN or infinite.
    case nonFinite = "non_finite"
    /// The propensity is outside [0, 1], positive but below ``DecisionRow/minimumPropensity``, or an approval
    /// was logged with propensity 0.
    case propensityOutOfRange = "propensity_out_of_range"
    /// The score (a probability of repayment) is outside [0, 1], e.g. logged in percent.
    case scoreOutOfRange = "score_out_of_range"
    /// The loan amount is negative.
    case negativeAmount = "negative_amount"
    /// The loan amount is beyond any plausible loan (``DecisionRow/maximumAmount``).
    case implausibleAmount = "implausible_amount"
}

extension DecisionRow {
    /// The smallest positive propensity taken as logged: below it the weight 1/p exceeds 10⁹, which no
    /// epsilon-greedy policy logs, and its square overflows sums (and PostgreSQL's float8) long before p = 0.
    public static let minimumPropensity = 1e-9

    /// The largest loan amount or loss taken as logged, in dollars: beyond any consumer loan, and small
    /// enough that no sum of a table's amounts can overflow (two losses of 10³⁰⁸ made a counter +Inf).
    public static let maximumAmount = 1e9

    /// The first rule of the contract this row breaks, or `nil` for a valid row. Every reader of the
    /// decisions table (the exporter, the report) validates through here.
    public var defect: DecisionDefect? {
        guard let variant, let approved, let reason, let propensity, let score else { return .nullField }
        guard decidedAt.isPlausible else { return .badTimestamp }
        guard Variant(rawValue: variant) != nil else { return .unknownVariant }
        guard let logged = DecisionReason(rawValue: reason) else { return .unknownReason }
        guard propensity.isFinite, score.isFinite, (loanAmount ?? 0).isFinite else { return .nonFinite }
        guard (0...1).contains(propensity), !(approved && propensity == 0),
            propensity == 0 || propensity >= Self.minimumPropensity
        else { return .propensityOutOfRange }
        guard (0...1).contains(score) else { return .scoreOutOfRange }
        guard (loanAmount ?? 0) >= 0 else { return .negativeAmount }
        guard (loanAmount ?? 0) <= Self.maximumAmount else { return .implausibleAmount }
        // Last: a row whose values are unsound is named for them first.
        guard logged.variant.rawValue == variant, logged.approves == approved else { return .inconsistentDecision }
        return nil
    }
}

extension OutcomeRow {
    /// Why this outcome's loss cannot be counted (a `reason` of `lazarus_invalid_rows`), `nil` when it can:
    /// negative or not finite (`negative_amount`), or beyond ``DecisionRow/maximumAmount``
    /// (`implausible_amount`). A missing loss is 0. The one rule for the exporter and the report.
    public var lossDefect: String? {
        let loss = lossAmount ?? 0
        guard loss.isFinite, loss >= 0 else { return "negative_amount" }
        guard loss <= DecisionRow.maximumAmount else { return "implausible_amount" }
        return nil
    }
}

extension OutcomeRow {
    /// Why this outcome contradicts its (valid, approved) decision, a `reason` of `lazarus_invalid_rows`,
    /// `nil` when it does not: observed before the decision (`observed_before_decision`), a repaid loan with
    /// a loss (`repaid_with_loss`), or a loss larger than the loan (`loss_exceeds_loan`; a loan amount
    /// missing or 0 reads as not recorded). The one rule for the exporter and the report; the cold start's
    /// SQL spells the same (`ColdStartQueries.plainOutcome`).
    /// - Parameters:
    ///   - decidedAt: when its decision was made.
    ///   - loanAmount: the decision's loan amount, if recorded.
    public func contradiction(decidedAt: Timestamp, loanAmount: Double?) -> String? {
        let loss = lossAmount ?? 0
        guard observedAt >= decidedAt else { return "observed_before_decision" }
        guard defaulted == true || loss == 0 else { return "repaid_with_loss" }
        if let loan = loanAmount, loan > 0, loss > loan { return "loss_exceeds_loan" }
        return nil
    }
}
