/// The checks a new model must pass before it may shadow or replace the production one.
public struct QualityGates: Sendable, Equatable {
    /// Minimum AUC on the explore (unbiased) sample.
    public var minimumAUC = 0.60
    /// Minimum labelled loans behind the fit.
    public var minimumSamples = 100
    /// Acceptable default rate of the labelled loans.
    public var defaultRateRange: ClosedRange<Double> = 0.05...0.50
    /// Maximum relative change of any coefficient against the previous version.
    public var maximumCoefficientChange = 0.50

    /// The design's gates.
    public init() {}

    /// One gate's verdict.
    public struct Result: Sendable, Equatable {
        /// The gate's name.
        public var name: String
        /// Whether it passed.
        public var passed: Bool
        /// The measured value against the limit, in words.
        public var detail: String
    }

    /// Evaluates every gate.
    /// - Parameters:
    ///   - auc: the model's AUC on the explore sample.
    ///   - samples: labelled loans behind the fit.
    ///   - defaultRate: default rate of those loans.
    ///   - current: the new model.
    ///   - previous: the version it replaces, if any.
    /// - Returns: one result per gate, in a fixed order.
    public func evaluate(
        auc: Double, samples: Int, defaultRate: Double, current: LogisticModel, previous: LogisticModel?
    ) -> [Result] {
        var results = [
            Result(
                name: "AUC ≥ \(minimumAUC)", passed: auc >= minimumAUC, detail: "AUC \(Self.rounded(auc, 3))"),
            Result(
                name: "≥ \(minimumSamples) labelled samples", passed: samples >= minimumSamples,
                detail: "\(samples) samples"),
            Result(
                name:
                    "default rate \(Int(defaultRateRange.lowerBound * 100))–\(Int(defaultRateRange.upperBound * 100)) %",
                passed: defaultRateRange.contains(defaultRate), detail: "\(Self.rounded(defaultRate * 100, 1)) %"),
        ]
        let name = "coefficient change < \(Int(maximumCoefficientChange * 100)) %"
        if let previous {
            let changes = CoefficientChange.compare(previous: previous, current: current)
            let largest = changes.compactMap { $0.relativeChange.map(abs) }.max() ?? 0
            let appeared = changes.contains { $0.relativeChange == nil && $0.new != 0 }
            results.append(
                Result(
                    name: name, passed: largest < maximumCoefficientChange && !appeared,
                    detail: appeared
                        ? "a coefficient appeared from 0" : "largest change \(Self.rounded(largest * 100, 1)) %"))
        } else {
            results.append(Result(name: name, passed: true, detail: "no previous version"))
        }
        return results
    }

    static func rounded(_ value: Double, _ digits: Int) -> String {
        guard value.isFinite else { return "n/a" }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        return String((value * scale).rounded() / scale)
    }
}

/// One coefficient, old → new.
public struct CoefficientChange: Sendable, Equatable {
    /// The feature (or "intercept").
    public var feature: String
    /// The previous version's coefficient (0 when the feature is new).
    public var old: Double
    /// The new coefficient (0 when the feature was dropped).
    public var new: Double
    /// (new − old)/|old|; `nil` when old is 0.
    public var relativeChange: Double?

    /// Compares two models feature by feature, intercept first, then the union of features in the
    /// current model's order followed by those only the previous one had.
    public static func compare(previous: LogisticModel, current: LogisticModel) -> [CoefficientChange] {
        let old = Dictionary(uniqueKeysWithValues: zip(previous.featureNames, previous.coefficients))
        let new = Dictionary(uniqueKeysWithValues: zip(current.featureNames, current.coefficients))
        let names = current.featureNames + previous.featureNames.filter { new[$0] == nil }
        func change(_ feature: String, _ a: Double, _ b: Double) -> CoefficientChange {
            CoefficientChange(feature: feature, old: a, new: b, relativeChange: a == 0 ? nil : (b - a) / abs(a))
        }
        return [change("intercept", previous.intercept, current.intercept)]
            + names.map { change($0, old[$0] ?? 0, new[$0] ?? 0) }
    }
}
