/// The design's model blindness score on explore loans to rejected applicants, with its standard error.
///
/// With weights v = 1/propensity: A = Σv(p̂−y)²/Σv, ȳ = Σvy/Σv, score = min(1, A / (ȳ(1−ȳ))), i.e.
/// 1 − max(0, Brier skill score). 0 means the model sees the rejected region perfectly, 1 that it does
/// no better than a constant.
public struct BlindnessScore: Sendable, Equatable {
    /// The score, in [0, 1].
    public var score: Double
    /// Influence-function standard error of the unclipped ratio A / (ȳ(1−ȳ)).
    public var standardError: Double
    /// The weighted Brier score A.
    public var brier: Double
    /// The weighted default rate ȳ.
    public var baseRate: Double
    /// The loans behind the score.
    public var samples: Int

    /// Computes the score.
    /// - Parameters:
    ///   - probabilities: predicted default probabilities p̂.
    ///   - labels: observed defaults y (0/1).
    ///   - weights: v = 1/propensity.
    /// - Throws: ``CoreError``: `emptyData` without loans, `singleClass` when every loan has the same
    ///   outcome (ȳ(1−ȳ) = 0, no skill can be measured), `invalidInput` for malformed input.
    public init(probabilities p: [Double], labels y: [Double], weights v: [Double]) throws {
        try ModelEvaluation.check(p, y, v, probabilities: true, needBothClasses: true)
        let total = v.reduce(0, +)
        var brier = 0.0
        var events = 0.0
        for i in p.indices {
            brier += v[i] * (p[i] - y[i]) * (p[i] - y[i])
            events += v[i] * y[i]
        }
        brier /= total
        let base = events / total
        let spread = base * (1 - base)
        let ratio = brier / spread
        // Influence functions of A and ȳ, then of the ratio by the delta method.
        var variance = 0.0
        for i in p.indices {
            let influenceA = (p[i] - y[i]) * (p[i] - y[i]) - brier
            let influenceY = y[i] - base
            let influence = influenceA / spread - brier * (1 - 2 * base) * influenceY / (spread * spread)
            let share = v[i] / total
            variance += share * share * influence * influence
        }
        self.score = min(1, ratio)
        self.standardError = variance.squareRoot()
        self.brier = brier
        self.baseRate = base
        self.samples = p.count
    }
}
