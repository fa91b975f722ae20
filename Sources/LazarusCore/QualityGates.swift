import Foundation

/// The checks a new model must pass before it may shadow or replace the production one (design.md, "Model
/// lifecycle", seed 002): evidence that it sees the rejected region, enough data of a sane default rate, and,
/// against the version it replaces, a scorecard that did not lurch.
public struct QualityGates: Sendable, Equatable {
    /// Minimum within-region AUC on the explore loans to rejected applicants (``RejectedRegionQuality``).
    public var minimumAUC = 0.60
    /// Minimum labelled loans behind the fit.
    public var minimumSamples = 100
    /// Acceptable default rate of the labelled loans.
    public var defaultRateRange: ClosedRange<Double> = 0.05...0.50
    /// Maximum move of any feature's scorecard weight (see ``Comparison``).
    public var maximumWeightMove = 0.50
    /// Minimum correlation of the two versions' scores on the latest cohort.
    public var minimumScoreCorrelation = 0.8
    /// Maximum PSI of the score bands (the previous version's deciles) on the latest cohort.
    public var maximumBandPSI = 0.10

    /// The design's gates.
    public init() {}

    /// One gate's verdict.
    public struct Result: Sendable, Equatable, Codable {
        /// The gate's name.
        public var name: String
        /// Whether it passed.
        public var passed: Bool
        /// The measured value against the limit, in words.
        public var detail: String
        /// The measured value (`nil` when there is none to measure).
        public var value: Double?
    }

    /// A new version against the one it replaces, on the latest cohort's applicants.
    ///
    /// A feature's **scorecard weight** is its points spread: factor × coefficient × (95th − 5th percentile of
    /// the feature on the cohort), signed; its move is the change of that spread over the larger of the old
    /// spread and a tenth of the old scorecard's total spread, so that a feature worth almost nothing, whose
    /// coefficient can change sign on noise, cannot flip the gate. **Score correlation** is Pearson's, of the
    /// two versions' log-odds. **Band stability** is the PSI of the new version's scores over the deciles of
    /// the old version's.
    public struct Comparison: Sendable, Equatable, Codable {
        /// Each feature's weight move, in the current model's feature order.
        public var weightMoves: [WeightMove]
        /// Pearson correlation of the two versions' log-odds.
        public var scoreCorrelation: Double
        /// PSI of the score bands.
        public var bandPSI: Double

        /// One feature's scorecard weight, old → new.
        public struct WeightMove: Sendable, Equatable, Codable {
            public var feature: String
            /// Points spread over the 5th–95th percentile, old version.
            public var oldPoints: Double
            /// The same, new version.
            public var newPoints: Double
            /// |new − old| / max(|old|, total old spread / 10).
            public var move: Double
        }

        /// The largest move.
        public var largestMove: WeightMove? { weightMoves.max { $0.move < $1.move } }
    }

    /// Compares two versions on a population of applicants.
    /// - Parameters:
    ///   - current: the new model.
    ///   - previous: the version it replaces.
    ///   - population: the latest cohort's features, in `current.featureNames` order.
    /// - Returns: `nil` without applicants, when the previous version needs a feature the current one lacks, or
    ///   when a score is constant (no correlation).
    public static func compare(
        current: LogisticModel, previous: LogisticModel, population: [[Double]], scorecard: Scorecard = Scorecard()
    ) -> Comparison? {
        let columns = previous.featureNames.compactMap { current.featureNames.firstIndex(of: $0) }
        guard population.count >= 2, columns.count == previous.featureNames.count else { return nil }
        func spread(_ j: Int) -> Double {
            let values = population.map { $0[j] }.sorted()
            let at = { (q: Double) in values[min(values.count - 1, Int(q * Double(values.count)))] }
            return at(0.95) - at(0.05)
        }
        let spreads = current.featureNames.indices.map(spread)
        let oldCoefficient = Dictionary(uniqueKeysWithValues: zip(previous.featureNames, previous.coefficients))
        let oldPoints = current.featureNames.indices.map {
            scorecard.factor * (oldCoefficient[current.featureNames[$0]] ?? 0) * spreads[$0]
        }
        let newPoints = current.featureNames.indices.map { scorecard.factor * current.coefficients[$0] * spreads[$0] }
        let floor = oldPoints.reduce(0) { $0 + abs($1) } / 10
        let moves = current.featureNames.indices.map { j in
            Comparison.WeightMove(
                feature: current.featureNames[j], oldPoints: oldPoints[j], newPoints: newPoints[j],
                move: abs(newPoints[j] - oldPoints[j]) / max(abs(oldPoints[j]), floor, 1e-12))
        }
        func logOdds(_ model: LogisticModel, _ x: [Double]) -> Double {
            zip(model.coefficients, x).reduce(model.intercept) { $0 + $1.0 * $1.1 }
        }
        let new = population.map { logOdds(current, $0) }
        let old = population.map { row in logOdds(previous, columns.map { row[$0] }) }
        let n = Double(new.count)
        let (mn, mo) = (new.reduce(0, +) / n, old.reduce(0, +) / n)
        var (snn, soo, sno) = (0.0, 0.0, 0.0)
        for i in new.indices {
            snn += (new[i] - mn) * (new[i] - mn)
            soo += (old[i] - mo) * (old[i] - mo)
            sno += (new[i] - mn) * (old[i] - mo)
        }
        guard snn > 0, soo > 0, let psi = try? PopulationStability.index(reference: old, current: new) else {
            return nil
        }
        return Comparison(weightMoves: moves, scoreCorrelation: sno / (snn * soo).squareRoot(), bandPSI: psi)
    }

    /// Evaluates every gate.
    /// - Parameters:
    ///   - rejectedAUC: the within-region AUC on the explore loans to rejected applicants (`nil` below the
    ///     evidence floor: the gate fails, as there is no evidence the model sees the region).
    ///   - samples: labelled loans behind the fit.
    ///   - defaultRate: default rate of those loans.
    ///   - comparison: against the version it replaces, `nil` when there is none.
    /// - Returns: one result per gate, in a fixed order: the three evidence gates, then the three comparisons.
    public func evaluate(
        rejectedAUC: Double?, samples: Int, defaultRate: Double, comparison: Comparison?
    )
        -> [Result]
    {
        var results = [
            Result(
                name: "within-region AUC ≥ \(minimumAUC)", passed: (rejectedAUC ?? 0) >= minimumAUC,
                detail: rejectedAUC.map { "AUC \(Self.rounded($0, 3))" } ?? "too few loans or defaults to measure",
                value: rejectedAUC),
            Result(
                name: "≥ \(minimumSamples) labelled loans", passed: samples >= minimumSamples,
                detail: "\(samples) loans", value: Double(samples)),
            Result(
                name:
                    "default rate \(Int(defaultRateRange.lowerBound * 100))–\(Int(defaultRateRange.upperBound * 100)) %",
                passed: defaultRateRange.contains(defaultRate), detail: "\(Self.rounded(defaultRate * 100, 1)) %",
                value: defaultRate),
        ]
        let names = [
            "weight moves < \(Int(maximumWeightMove * 100)) %", "score correlation > \(minimumScoreCorrelation)",
            "band PSI < \(maximumBandPSI)",
        ]
        guard let comparison else {
            return results + names.map { Result(name: $0, passed: true, detail: "no previous version", value: nil) }
        }
        let largest = comparison.largestMove
        results += [
            Result(
                name: names[0], passed: (largest?.move ?? 0) < maximumWeightMove,
                detail: largest.map { "largest: \($0.feature), \(Self.rounded($0.move * 100, 0)) %" } ?? "no feature",
                value: largest?.move),
            Result(
                name: names[1], passed: comparison.scoreCorrelation > minimumScoreCorrelation,
                detail: "r = \(Self.rounded(comparison.scoreCorrelation, 3))", value: comparison.scoreCorrelation),
            Result(
                name: names[2], passed: comparison.bandPSI < maximumBandPSI,
                detail: "PSI \(Self.rounded(comparison.bandPSI, 3))", value: comparison.bandPSI),
        ]
        return results
    }

    static func rounded(_ value: Double, _ digits: Int) -> String {
        guard value.isFinite else { return "n/a" }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let r = (value * scale).rounded() / scale
        return digits == 0 ? String(Int(r)) : String(r)
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
