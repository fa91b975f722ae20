/// How well a model ranks the applicants production rejects, measured on the random approvals among them
/// (design.md, "Model quality on the rejected region"): within-region AUC and blindness = 1 − Gini.
///
/// The loans are the mature explore loans to applicants production rejected, with an outcome. Their
/// weights 1/propensity are all 1/ε while epsilon is constant, so the unweighted DeLong AUC and its
/// interval are the weighted ones. Blindness = 1 − max(0, 2·AUC − 1); its interval is the AUC's mapped
/// through the same (monotone) formula, never an estimate ± 1.96·SE clamped.
public struct RejectedRegionQuality: Sendable, Equatable, Codable {
    /// An estimate with its 95 % interval.
    public struct Interval: Sendable, Equatable, Codable {
        /// The point estimate.
        public var estimate: Double
        /// The interval's lower end.
        public var low: Double
        /// The interval's upper end.
        public var high: Double
    }

    /// The probability that a defaulting loan is ranked riskier than a repaying one (unclipped).
    public var rejectedAuc: Interval
    /// 1 − max(0, 2·AUC − 1): 1 cannot tell good from bad among those it rejects, 0 ranks them perfectly.
    public var blindness: Interval
    /// Loans behind the figures.
    public var samples: Int
    /// Defaults among them.
    public var defaults: Int

    /// Fewer loans than this and no figure is published.
    public static let minimumSamples = 30
    /// Fewer defaults than this and no figure is published.
    public static let minimumDefaults = 5

    /// Measures a model on the region's loans.
    /// - Parameters:
    ///   - risk: the model's predicted default probability (or any score, higher = riskier).
    ///   - defaulted: the outcomes.
    /// - Returns: `nil` with fewer than ``minimumSamples`` loans, fewer than ``minimumDefaults`` defaults, or
    ///   fewer than 2 repayments.
    public init?(risk: [Double], defaulted: [Bool]) {
        let defaults = defaulted.filter { $0 }.count
        guard risk.count == defaulted.count, risk.count >= Self.minimumSamples, defaults >= Self.minimumDefaults,
            let auc = try? ModelEvaluation.delongAUC(scores: risk, labels: defaulted.map { $0 ? 1 : 0 })
        else { return nil }
        let low = max(0, auc.confidenceInterval.lowerBound)
        let high = min(1, auc.confidenceInterval.upperBound)
        rejectedAuc = Interval(estimate: auc.value, low: low, high: high)
        blindness = Interval(
            estimate: Self.blindness(auc.value), low: Self.blindness(high), high: Self.blindness(low))
        samples = risk.count
        self.defaults = defaults
    }

    /// 1 − max(0, 2·AUC − 1).
    public static func blindness(_ auc: Double) -> Double { 1 - max(0, 2 * auc - 1) }
}
