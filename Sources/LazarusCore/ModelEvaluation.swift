import Foundation

/// How well predicted probabilities match outcomes: discrimination, calibration, blindness, stability.
///
/// Pure functions of arrays. Every function refuses (with a typed error) what would give NaN.
public enum ModelEvaluation {
    /// An estimate with its standard error and a 95 % normal confidence interval.
    public struct Estimate: Sendable, Equatable {
        /// The point estimate.
        public var value: Double
        /// Its standard error.
        public var standardError: Double
        /// value ± 1.959964 × standard error.
        public var confidenceInterval: ClosedRange<Double> {
            (value - 1.959963984540054 * standardError)...(value + 1.959963984540054 * standardError)
        }

        /// Creates an estimate.
        public init(value: Double, standardError: Double) {
            self.value = value
            self.standardError = standardError
        }
    }

    /// Area under the ROC curve with weights: the weighted probability that a random positive scores
    /// above a random negative, ties counting one half (the weighted Mann–Whitney statistic).
    /// - Parameters:
    ///   - scores: higher means more likely positive.
    ///   - labels: 0 or 1.
    ///   - weights: non-negative (default 1).
    /// - Throws: ``CoreError`` when lengths differ, a value is non-finite, or a class has no weight.
    public static func auc(scores: [Double], labels: [Double], weights: [Double]? = nil) throws -> Double {
        let w = weights ?? [Double](repeating: 1, count: scores.count)
        try check(scores, labels, w)
        let order = scores.indices.sorted { scores[$0] < scores[$1] }
        var negativesBelow = 0.0
        var sum = 0.0
        var start = 0
        while start < order.count {
            var end = start
            var groupPositive = 0.0
            var groupNegative = 0.0
            while end < order.count, scores[order[end]] == scores[order[start]] {
                let i = order[end]
                if labels[i] == 1 { groupPositive += w[i] } else { groupNegative += w[i] }
                end += 1
            }
            sum += groupPositive * (negativesBelow + 0.5 * groupNegative)
            negativesBelow += groupNegative
            start = end
        }
        let positives = zip(labels, w).reduce(0) { $0 + ($1.0 == 1 ? $1.1 : 0) }
        return sum / (positives * negativesBelow)
    }

    /// Unweighted AUC with DeLong's variance (DeLong, DeLong & Clarke-Pearson, 1988), by midranks.
    /// - Throws: ``CoreError`` as ``auc(scores:labels:weights:)``, or when a class has fewer than 2 rows.
    public static func delongAUC(scores: [Double], labels: [Double]) throws -> Estimate {
        try check(scores, labels, [Double](repeating: 1, count: scores.count))
        let positives = scores.indices.filter { labels[$0] == 1 }.map { scores[$0] }
        let negatives = scores.indices.filter { labels[$0] == 0 }.map { scores[$0] }
        guard positives.count >= 2, negatives.count >= 2 else {
            throw CoreError(.emptyData, "DeLong's variance needs at least two rows of each outcome")
        }
        let all = midranks(positives + negatives)
        let positiveRanks = midranks(positives)
        let negativeRanks = midranks(negatives)
        let m = Double(positives.count)
        let n = Double(negatives.count)
        // Placement values: the share of the other class each row beats (ties one half).
        let v10 = (0..<positives.count).map { (all[$0] - positiveRanks[$0]) / n }
        let v01 = (0..<negatives.count).map { 1 - (all[positives.count + $0] - negativeRanks[$0]) / m }
        let auc = v10.reduce(0, +) / m
        let variance = sampleVariance(v10) / m + sampleVariance(v01) / n
        return Estimate(value: auc, standardError: variance.squareRoot())
    }

    /// Expected calibration error: Σ over equal-width probability bins of (bin weight share) ×
    /// |observed rate − mean prediction|.
    /// - Parameter bins: number of bins on [0, 1] (default 10).
    /// - Throws: ``CoreError`` for mismatched or non-finite input, or probabilities outside [0, 1].
    public static func expectedCalibrationError(
        probabilities p: [Double], labels y: [Double], weights: [Double]? = nil, bins: Int = 10
    ) throws -> Double {
        let w = weights ?? [Double](repeating: 1, count: p.count)
        try check(p, y, w, probabilities: true, needBothClasses: false)
        var weight = [Double](repeating: 0, count: bins)
        var observed = [Double](repeating: 0, count: bins)
        var predicted = [Double](repeating: 0, count: bins)
        for i in p.indices {
            let bin = min(Int(p[i] * Double(bins)), bins - 1)
            weight[bin] += w[i]
            observed[bin] += w[i] * y[i]
            predicted[bin] += w[i] * p[i]
        }
        let total = weight.reduce(0, +)
        return (0..<bins).filter { weight[$0] > 0 }.reduce(0) {
            $0 + weight[$1] / total * abs(observed[$1] - predicted[$1]) / weight[$1]
        }
    }

    /// Observed over expected events: Σ w y / Σ w p̂ (1 is perfectly calibrated in aggregate).
    /// - Throws: ``CoreError`` when the expected count is 0 or input is malformed.
    public static func observedExpectedRatio(
        probabilities p: [Double], labels y: [Double], weights: [Double]? = nil
    ) throws -> Double {
        let w = weights ?? [Double](repeating: 1, count: p.count)
        try check(p, y, w, probabilities: true, needBothClasses: false)
        let expected = zip(p, w).reduce(0) { $0 + $1.0 * $1.1 }
        guard expected > 0 else { throw CoreError(.emptyData, "no events are expected, so O/E is undefined") }
        return zip(y, w).reduce(0) { $0 + $1.0 * $1.1 } / expected
    }

    static func check(
        _ p: [Double], _ y: [Double], _ w: [Double], probabilities: Bool = false, needBothClasses: Bool = true
    ) throws {
        guard p.count == y.count, p.count == w.count else {
            throw CoreError(
                .invalidInput, "\(p.count) predictions, \(y.count) labels and \(w.count) weights do not match")
        }
        guard !p.isEmpty else { throw CoreError(.emptyData, "there are no rows to evaluate") }
        guard p.allSatisfy(\.isFinite), w.allSatisfy({ $0.isFinite && $0 >= 0 }) else {
            throw CoreError(.invalidInput, "predictions and weights must be finite, weights non-negative")
        }
        guard y.allSatisfy({ $0 == 0 || $0 == 1 }) else { throw CoreError(.invalidInput, "labels must be 0 or 1") }
        if probabilities, !p.allSatisfy({ (0...1).contains($0) }) {
            throw CoreError(.invalidInput, "probabilities must lie in [0, 1]")
        }
        let positive = zip(y, w).reduce(0) { $0 + ($1.0 == 1 ? $1.1 : 0) }
        let total = w.reduce(0, +)
        guard total > 0 else { throw CoreError(.emptyData, "every row has weight 0") }
        if needBothClasses, positive == 0 || positive == total {
            throw CoreError(.singleClass, "both outcomes are needed to measure discrimination")
        }
    }

    /// Ranks 1…n with ties given their average rank.
    static func midranks(_ values: [Double]) -> [Double] {
        let order = values.indices.sorted { values[$0] < values[$1] }
        var ranks = [Double](repeating: 0, count: values.count)
        var start = 0
        while start < order.count {
            var end = start
            while end < order.count, values[order[end]] == values[order[start]] { end += 1 }
            let rank = Double(start + end + 1) / 2
            for k in start..<end { ranks[order[k]] = rank }
            start = end
        }
        return ranks
    }

    static func sampleVariance(_ values: [Double]) -> Double {
        let mean = values.reduce(0, +) / Double(values.count)
        return values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)
    }
}
