/// The settings of the decision policy, with the design's defaults.
public struct PolicySettings: Sendable, Equatable {
    /// Share of eligible applicants approved at random while budget remains (`LAZARUS_EPSILON`).
    public var epsilon: Double
    /// Scores (predicted probability of repayment) above this are approved (`LAZARUS_RISK_THRESHOLD`).
    public var riskThreshold: Double

    /// Creates settings, checking that they are possible.
    /// - Parameters:
    ///   - epsilon: exploration rate in [0, 1].
    ///   - riskThreshold: score threshold in [0, 1].
    /// - Throws: ``CoreError`` with code `invalidSetting` for a value outside its range, or not finite.
    public init(epsilon: Double = 0.01, riskThreshold: Double = 0.5) throws {
        guard epsilon.isFinite, (0...1).contains(epsilon) else {
            throw CoreError(.invalidSetting, "epsilon must be between 0 and 1, got \(epsilon)")
        }
        guard riskThreshold.isFinite, (0...1).contains(riskThreshold) else {
            throw CoreError(.invalidSetting, "risk threshold must be between 0 and 1, got \(riskThreshold)")
        }
        self.epsilon = epsilon
        self.riskThreshold = riskThreshold
    }
}
