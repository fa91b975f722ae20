import Foundation

/// A fitted logistic regression in raw feature units, with naive and robust (HC0) covariances.
public struct LogisticFit: Sendable, Equatable {
    /// The model: names, intercept, coefficients.
    public var model: LogisticModel
    /// Covariance of (intercept, coefficients) from the inverse Hessian: right for unweighted or frequency
    /// weights, wrong for inverse-probability weights.
    public var naiveCovariance: SymmetricMatrix
    /// The sandwich A⁻¹BA⁻¹, A = X′diag(w·μ(1−μ))X, B = Σ wᵢ²(yᵢ−μᵢ)² xᵢxᵢ′: right under IPW.
    public var robustCovariance: SymmetricMatrix
    /// Newton iterations used.
    public var iterations: Int
    /// The (penalised) weighted log-likelihood at the optimum.
    public var logLikelihood: Double
    /// Rows with positive weight.
    public var rows: Int
    /// Sum of the weights.
    public var weightSum: Double

    /// Standard errors of (intercept, coefficients) from the naive covariance.
    public var naiveStandardErrors: [Double] { Self.diagonalRoots(naiveCovariance) }
    /// Standard errors of (intercept, coefficients) from the sandwich (HC0).
    public var robustStandardErrors: [Double] { Self.diagonalRoots(robustCovariance) }

    static func diagonalRoots(_ m: SymmetricMatrix) -> [Double] { (0..<m.size).map { max(m[$0, $0], 0).squareRoot() } }
}

/// A logistic model in raw feature units: P(y = 1 | x) = logistic(intercept + Σ coefficientⱼ xⱼ).
public struct LogisticModel: Sendable, Equatable, Codable {
    /// Feature names, in coefficient order.
    public var featureNames: [String]
    /// The intercept.
    public var intercept: Double
    /// One coefficient per feature, in raw units (per dollar, per month, …).
    public var coefficients: [Double]

    /// Creates a model.
    public init(featureNames: [String], intercept: Double, coefficients: [Double]) {
        self.featureNames = featureNames
        self.intercept = intercept
        self.coefficients = coefficients
    }

    /// The predicted probability for one row of features (in `featureNames` order).
    public func probability(_ features: [Double]) -> Double {
        features.withUnsafeBufferPointer { probability($0) }
    }

    /// The predicted probability for one row of a design matrix.
    public func probability(_ features: ArraySlice<Double>) -> Double {
        features.withUnsafeBufferPointer { probability($0) }
    }

    // Concrete, not generic: this runs once per applicant per model, and an unspecialised generic
    // across modules costs more than the arithmetic.
    private func probability(_ features: UnsafeBufferPointer<Double>) -> Double {
        var eta = intercept
        for j in 0..<min(coefficients.count, features.count) { eta += coefficients[j] * features[j] }
        return LogisticRegression.sigmoid(eta)
    }

    /// Predicted probabilities for every row of a design matrix.
    public func probabilities(_ x: DesignMatrix) -> [Double] {
        (0..<x.rowCount).map { probability(x.row($0)) }
    }
}

extension LogisticRegression {
    /// Covariances at the optimum, then everything mapped back to raw units.
    static func finish(
        _ x: DesignMatrix, _ y: [Double], _ w: [Double], _ beta: [Double], _ s: Standardization,
        hessian: SymmetricMatrix, iterations: Int, logLikelihood: Double, robust: Bool = true
    ) throws -> LogisticFit {
        let p = beta.count
        var meat = SymmetricMatrix(size: p)
        var z = [Double](repeating: 1, count: p)
        var rows = 0
        for i in 0..<x.rowCount where robust && w[i] > 0 {
            rows += 1
            s.standardizedRow(x, row: i, into: &z)
            var eta = 0.0
            for j in 0..<p { eta += beta[j] * z[j] }
            let score = w[i] * (y[i] - sigmoid(eta))
            let squared = score * score
            for j in 0..<p {
                let sz = squared * z[j]
                for k in j..<p { meat[j, k] += sz * z[k] }
            }
        }
        meat.symmetrizeFromUpper()
        let bread = try hessian.inverse()
        let toRaw = s.toRaw
        let naive = bread.transformed(by: toRaw)
        if !robust { rows = w.filter { $0 > 0 }.count }
        let robustCovariance =
            robust ? meat.transformed(by: bread.values).transformed(by: toRaw) : SymmetricMatrix(size: 0)
        let rawBeta = (0..<p).map { i in (0..<p).reduce(0.0) { $0 + toRaw[i * p + $1] * beta[$1] } }
        let model = LogisticModel(
            featureNames: x.names, intercept: rawBeta[0], coefficients: Array(rawBeta.dropFirst()))
        guard rawBeta.allSatisfy(\.isFinite), naive.values.allSatisfy(\.isFinite),
            robustCovariance.values.allSatisfy(\.isFinite)
        else { throw CoreError(.singularDesign, "the fit produced non-finite estimates; the design is degenerate") }
        return LogisticFit(
            model: model, naiveCovariance: naive, robustCovariance: robustCovariance, iterations: iterations,
            logLikelihood: logLikelihood, rows: rows, weightSum: w.reduce(0, +))
    }
}
