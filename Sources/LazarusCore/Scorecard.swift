import Foundation

/// Scorecard points for a default-probability model, as credit teams read them.
///
/// points = offset + factor × ln(odds of repayment), factor = PDO / ln 2, offset = base − factor × ln(base odds).
public struct Scorecard: Sendable, Equatable {
    /// Points to double the odds of repayment.
    public var pointsToDoubleOdds: Double
    /// The score at which the odds of repayment equal `baseOdds`.
    public var baseScore: Double
    /// The odds (repaid : defaulted) at `baseScore`.
    public var baseOdds: Double

    /// Creates a scorecard (the common 20 points to double the odds, 600 points at 50 : 1 by default).
    public init(pointsToDoubleOdds: Double = 20, baseScore: Double = 600, baseOdds: Double = 50) {
        self.pointsToDoubleOdds = pointsToDoubleOdds
        self.baseScore = baseScore
        self.baseOdds = baseOdds
    }

    /// Points per unit of log-odds.
    public var factor: Double { pointsToDoubleOdds / log(2) }
    /// The score at even odds.
    public var offset: Double { baseScore - factor * log(baseOdds) }

    /// The score of a default probability.
    /// - Parameter defaultProbability: in (0, 1).
    /// - Returns: the points, or `nil` at 0 or 1 (infinite odds).
    public func points(defaultProbability p: Double) -> Double? {
        guard p > 0, p < 1 else { return nil }
        return offset + factor * log((1 - p) / p)
    }

    /// Each feature's share of the score for one applicant: −factor × coefficient × value (a default
    /// model's positive coefficient lowers the score). The intercept's share is offset − factor × intercept.
    public func contributions(_ model: LogisticModel, features: [Double]) -> [(feature: String, points: Double)] {
        [("intercept", offset - factor * model.intercept)]
            + zip(model.featureNames, zip(model.coefficients, features)).map { ($0, -factor * $1.0 * $1.1) }
    }
}
