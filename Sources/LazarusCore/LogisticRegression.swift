import Foundation

/// Weighted logistic regression by Newton–Raphson (IRLS), unpenalised maximum likelihood by default.
///
/// Internally the features are centred and scaled (for conditioning); coefficients, intercept and both
/// covariance matrices are reported in raw feature units. Failures are typed errors, never NaN.
public struct LogisticRegression: Sendable {
    /// Fit options.
    public struct Options: Sendable, Equatable {
        /// L2 penalty λ on the raw-unit coefficients (not the intercept): the fit minimises
        /// −Σ wᵢ ℓᵢ + λ/2 ‖β‖², i.e. scikit-learn's `C = 1/λ`. 0 is unpenalised.
        public var l2: Double
        /// Newton iterations before giving up.
        public var maxIterations: Int
        /// Converged when the largest step on the standardised coefficients is below this.
        public var tolerance: Double
        /// Whether to compute the robust (sandwich) covariance, one more pass over the data. Off, the fit's
        /// `robustCovariance` is empty (size 0): for fits only used to predict, such as cross-fitting folds.
        public var robustCovariance: Bool

        /// Creates options.
        public init(l2: Double = 0, maxIterations: Int = 100, tolerance: Double = 1e-11, robustCovariance: Bool = true)
        {
            self.l2 = l2
            self.maxIterations = maxIterations
            self.tolerance = tolerance
            self.robustCovariance = robustCovariance
        }
    }

    /// The options.
    public let options: Options

    /// Creates an estimator.
    public init(options: Options = Options()) {
        self.options = options
    }

    /// A coefficient this large on a standardised feature (an odds ratio of e⁴⁰ per standard deviation)
    /// only arises when the likelihood keeps growing as coefficients diverge: separation.
    static let separationBound = 40.0

    /// Fits P(y = 1 | x) = logistic(b₀ + bᵀx).
    /// - Parameters:
    ///   - x: the features.
    ///   - y: the labels, 0 or 1, one per row.
    ///   - weights: non-negative row weights (default 1).
    ///   - start: a model to start from (e.g. the full-data fit, for cross-fitting); by default the
    ///     intercept-only optimum. The optimum does not depend on it, only the number of iterations.
    /// - Returns: the fit, in raw feature units.
    /// - Throws: ``CoreError``: `invalidInput`, `emptyData`, `singleClass`, `perfectSeparation`,
    ///   `singularDesign` or `didNotConverge`.
    public func fit(
        _ x: DesignMatrix, _ y: [Double], weights: [Double]? = nil, start: LogisticModel? = nil
    ) throws -> LogisticFit {
        let n = x.rowCount
        let w = weights ?? [Double](repeating: 1, count: n)
        try Self.validate(x, y, w, l2: options.l2)
        let scaling = Standardization(x, weights: w)
        let p = x.columnCount + 1
        var beta = [Double](repeating: 0, count: p)
        if let start, start.coefficients.count == p - 1, start.featureNames == x.names {
            // Raw βⱼ = bⱼ / sⱼ and β₀ = b₀ − Σ bⱼ mⱼ / sⱼ, inverted.
            beta[0] = start.intercept
            for j in 1..<p {
                beta[j] = start.coefficients[j - 1] * scaling.scale[j - 1]
                beta[0] += start.coefficients[j - 1] * scaling.mean[j - 1]
            }
        } else {
            // The weighted base rate: the intercept-only optimum.
            let positive = zip(y, w).reduce(0) { $0 + $1.0 * $1.1 }
            let total = w.reduce(0, +)
            beta[0] = log(positive / (total - positive))
        }
        // λ/2 Σ βⱼ² on raw coefficients is λ/(2 sⱼ²) Σ bⱼ² on the standardised ones (βⱼ = bⱼ / sⱼ).
        let penalty = (0..<p).map { $0 == 0 ? 0 : options.l2 / (scaling.scale[$0 - 1] * scaling.scale[$0 - 1]) }

        // One pass over the data per iteration: it gives the objective that accepts the step just taken
        // and the gradient and Hessian of the next one.
        var current = Self.evaluate(x, y, w, beta, scaling, penalty)
        var iterations = 0
        var converged = false
        while iterations < options.maxIterations {
            iterations += 1
            let step = try current.hessian.solve(current.gradient)
            var factor = 1.0
            var candidate = beta
            var next = current
            // Step halving keeps every iteration an ascent, as IRLS can overshoot far from the optimum.
            for _ in 0..<40 {
                candidate = zip(beta, step).map { $0 + factor * $1 }
                next = Self.evaluate(x, y, w, candidate, scaling, penalty)
                if next.objective >= current.objective - 1e-12 * abs(current.objective) { break }
                factor /= 2
            }
            let largestStep = step.map { abs($0 * factor) }.max() ?? 0
            beta = candidate
            current = next
            if beta.dropFirst().contains(where: { abs($0) > Self.separationBound }) {
                throw CoreError(
                    .perfectSeparation,
                    "the features separate defaults from repayments (almost) perfectly; coefficients would be infinite")
            }
            if largestStep < options.tolerance {
                converged = true
                break
            }
        }
        guard converged else {
            throw CoreError(.didNotConverge, "the logistic fit did not converge in \(options.maxIterations) iterations")
        }
        return try Self.finish(
            x, y, w, beta, scaling, hessian: current.hessian, iterations: iterations, logLikelihood: current.objective,
            robust: options.robustCovariance)
    }

    static func validate(_ x: DesignMatrix, _ y: [Double], _ w: [Double], l2: Double) throws {
        guard y.count == x.rowCount, w.count == x.rowCount else {
            throw CoreError(
                .invalidInput, "\(x.rowCount) rows of features, \(y.count) labels and \(w.count) weights do not match")
        }
        guard x.rowCount > 0 else { throw CoreError(.emptyData, "there are no labelled rows to fit") }
        guard y.allSatisfy({ $0 == 0 || $0 == 1 }) else { throw CoreError(.invalidInput, "labels must be 0 or 1") }
        guard w.allSatisfy({ $0.isFinite && $0 >= 0 }) else {
            throw CoreError(.invalidInput, "weights must be finite and non-negative")
        }
        guard l2.isFinite, l2 >= 0 else { throw CoreError(.invalidInput, "the L2 penalty must be finite and ≥ 0") }
        let total = w.reduce(0, +)
        guard total > 0 else { throw CoreError(.emptyData, "every row has weight 0") }
        let positive = zip(y, w).reduce(0) { $0 + $1.0 * $1.1 }
        guard positive > 0, positive < total else {
            throw CoreError(.singleClass, "every labelled row has the same outcome; a logistic model cannot be fitted")
        }
    }

    @inline(__always) static func sigmoid(_ eta: Double) -> Double {
        eta >= 0 ? 1 / (1 + exp(-eta)) : exp(eta) / (1 + exp(eta))
    }

    /// The penalised log-likelihood, its gradient and its negative Hessian at `beta`, in one pass.
    static func evaluate(
        _ x: DesignMatrix, _ y: [Double], _ w: [Double], _ beta: [Double], _ s: Standardization, _ penalty: [Double]
    ) -> (objective: Double, gradient: [Double], hessian: SymmetricMatrix) {
        let p = beta.count
        var objective = 0.0
        var gradient = [Double](repeating: 0, count: p)
        var hessian = SymmetricMatrix(size: p)
        var z = [Double](repeating: 1, count: p)
        for i in 0..<x.rowCount where w[i] > 0 {
            s.standardizedRow(x, row: i, into: &z)
            var eta = 0.0
            for j in 0..<p { eta += beta[j] * z[j] }
            // One exponential serves both the likelihood and the mean.
            let e = exp(-abs(eta))
            objective += w[i] * (y[i] * eta - (max(eta, 0) + log1p(e)))
            let mu = eta >= 0 ? 1 / (1 + e) : e / (1 + e)
            let residual = w[i] * (y[i] - mu)
            let curvature = w[i] * mu * (1 - mu)
            for j in 0..<p {
                gradient[j] += residual * z[j]
                let cz = curvature * z[j]
                for k in j..<p { hessian[j, k] += cz * z[k] }
            }
        }
        for j in 1..<p {
            objective -= 0.5 * penalty[j] * beta[j] * beta[j]
            gradient[j] -= penalty[j] * beta[j]
            hessian[j, j] += penalty[j]
        }
        hessian.symmetrizeFromUpper()
        return (objective, gradient, hessian)
    }
}
