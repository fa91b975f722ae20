/// V1 and V2 as the design defines them: the same labelled loans, V1 unweighted, V2 weighted 1/propensity.
public enum CausalTraining {
    /// How V2's inverse-propensity weights are treated; recorded in the model spec.
    public struct Weighting: Sendable, Equatable, Codable {
        /// Weights above this are clipped to it (`nil`: no clipping, the design's default).
        public var clipAt: Double?
        /// Divide the weights by their mean: leaves coefficients and sandwich errors unchanged and
        /// puts naive errors on the scale of the sample size.
        public var stabilized: Bool

        /// Creates a weighting.
        public init(clipAt: Double? = nil, stabilized: Bool = false) {
            self.clipAt = clipAt
            self.stabilized = stabilized
        }

        /// The weights for the given propensities.
        /// - Throws: ``CoreError`` with code `invalidInput` for a propensity outside (0, 1] or a bad clip.
        public func weights(propensities: [Double]) throws -> [Double] {
            guard propensities.allSatisfy({ $0.isFinite && $0 > 0 && $0 <= 1 }) else {
                throw CoreError(.invalidInput, "labelled loans need a propensity in (0, 1] to be weighted")
            }
            if let clipAt {
                guard clipAt.isFinite, clipAt >= 1 else { throw CoreError(.invalidInput, "clip must be ≥ 1") }
            }
            var weights = propensities.map { min(1 / $0, clipAt ?? .infinity) }
            if stabilized {
                let mean = weights.reduce(0, +) / Double(weights.count)
                weights = weights.map { $0 / mean }
            }
            return weights
        }
    }

    /// The two fits and the weights V2 used.
    public struct Pair: Sendable, Equatable {
        /// V1, standard: unweighted.
        public var standard: LogisticFit
        /// V2, causal: inverse-propensity weighted.
        public var causal: LogisticFit
        /// V2's weights, one per loan.
        public var weights: [Double]
        /// How they were made.
        public var weighting: Weighting
    }

    /// Trains V1 and V2 on the same labelled loans.
    /// - Parameters:
    ///   - x: the loans' features.
    ///   - defaulted: 1 for a default, 0 for a repayment.
    ///   - propensities: the logged propensity of each loan's approval, in (0, 1].
    ///   - weighting: clipping and stabilisation of V2's weights.
    ///   - regression: the estimator (unpenalised by default).
    /// - Throws: ``CoreError`` from the weights or either fit.
    public static func train(
        _ x: DesignMatrix, defaulted: [Double], propensities: [Double], weighting: Weighting = Weighting(),
        regression: LogisticRegression = LogisticRegression()
    ) throws -> Pair {
        guard propensities.count == x.rowCount else {
            throw CoreError(.invalidInput, "one propensity per labelled loan is needed")
        }
        let weights = try weighting.weights(propensities: propensities)
        let standard = try regression.fit(x, defaulted)
        let causal = try regression.fit(x, defaulted, weights: weights)
        return Pair(standard: standard, causal: causal, weights: weights, weighting: weighting)
    }

    /// Kish's effective sample size (Σw)²/Σw².
    public static func effectiveSampleSize(_ weights: [Double]) -> Double {
        let sum = weights.reduce(0, +)
        let squares = weights.reduce(0) { $0 + $1 * $1 }
        return squares > 0 ? sum * sum / squares : 0
    }
}
