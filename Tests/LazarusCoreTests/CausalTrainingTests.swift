import Foundation
import LazarusCore
import LazarusSimulation
import Testing

@Suite("V1/V2 training, cross-fitting, gates, scorecard")
struct CausalTrainingTests {
    /// Logged loans: passing applicants (x₁ > 0) always approved, failing ones explored with p = 0.1.
    static func loans(_ n: Int = 4000) throws -> (DesignMatrix, [Double], [Double]) {
        var rng = SplitMix64(seed: 11)
        var rows: [[Double]] = []
        var labels: [Double] = []
        var propensities: [Double] = []
        while rows.count < n {
            let x1 = Double.random(in: -2...2, using: &rng)
            let x2 = Double.random(in: 0...1, using: &rng)
            let p = x1 > 0 ? 1.0 : 0.1
            guard Double.random(in: 0..<1, using: &rng) < p else { continue }
            let risk = 1 / (1 + exp(-(-1.5 - 0.8 * x1 + 0.6 * x1 * x1 + x2)))
            rows.append([x1, x2])
            labels.append(Double.random(in: 0..<1, using: &rng) < risk ? 1 : 0)
            propensities.append(p)
        }
        return (try DesignMatrix(names: ["x1", "x2"], rows: rows), labels, propensities)
    }

    @Test("V1 is the unweighted fit and V2 the fit weighted 1/propensity, on the same loans")
    func pair() throws {
        let (x, y, p) = try Self.loans()
        let pair = try CausalTraining.train(x, defaulted: y, propensities: p)
        #expect(pair.standard == (try LogisticRegression().fit(x, y)))
        #expect(pair.causal == (try LogisticRegression().fit(x, y, weights: p.map { 1 / $0 })))
        #expect(pair.weights.max() == 10)
        #expect(pair.standard.model.coefficients != pair.causal.model.coefficients)
    }

    @Test("stabilised weights leave V2's coefficients and sandwich errors unchanged; clipping caps them")
    func weighting() throws {
        let (x, y, p) = try Self.loans()
        let plain = try CausalTraining.train(x, defaulted: y, propensities: p)
        let stable = try CausalTraining.train(x, defaulted: y, propensities: p, weighting: .init(stabilized: true))
        for (a, b) in zip(plain.causal.model.coefficients, stable.causal.model.coefficients) {
            #expect(close(a, b, relative: 1e-9))
        }
        for (a, b) in zip(plain.causal.robustStandardErrors, stable.causal.robustStandardErrors) {
            #expect(close(a, b, relative: 1e-8))
        }
        let clipped = try CausalTraining.train(x, defaulted: y, propensities: p, weighting: .init(clipAt: 5))
        #expect(clipped.weights.max() == 5)
        #expect(throws: CoreError.self) { try CausalTraining.train(x, defaulted: y, propensities: p.map { _ in 0 }) }
        #expect(CausalTraining.effectiveSampleSize([1, 1, 1, 1]) == 4)
        #expect(CausalTraining.effectiveSampleSize([100, 1, 1, 1]) < 1.1)
    }

    @Test("cross-fitted predictions come from models that never saw the row")
    func crossFitting() throws {
        let (x, y, p) = try Self.loans(1200)
        let weights = p.map { 1 / $0 }
        let folds = (0..<x.rowCount).map { CrossFitting.fold(of: "app-\($0)", folds: 5) }
        let predictions = try CrossFitting.outOfFoldProbabilities(
            x, y, weights: weights, folds: folds, regression: LogisticRegression())
        // Refit fold 2's complement by hand and compare.
        let train = folds.indices.filter { folds[$0] != 2 }
        let model = try LogisticRegression().fit(x.rows(train), train.map { y[$0] }, weights: train.map { weights[$0] })
            .model
        for i in folds.indices where folds[i] == 2 {
            #expect(close(predictions[i], model.probability(x.row(i)), relative: 1e-12))
        }
        // In-sample predictions flatter the weighted model on the heavily weighted (explore) rows.
        let inSample = try LogisticRegression().fit(x, y, weights: weights).model.probabilities(x)
        let explore = p.indices.filter { p[$0] < 1 }
        func brier(_ q: [Double]) -> Double { explore.reduce(0) { $0 + (q[$1] - y[$1]) * (q[$1] - y[$1]) } }
        #expect(brier(inSample) < brier(predictions))
    }

    @Test("folds are stable and spread", arguments: [2, 5, 10])
    func folds(k: Int) {
        let fnvOfA: UInt64 = 0xAF63_DC4C_8601_EC8C  // FNV-1a of "a", the algorithm's published test vector
        #expect(CrossFitting.fold(of: "a", folds: k) == Int(fnvOfA % UInt64(k)))
        let counts = Dictionary(grouping: (0..<10_000).map { CrossFitting.fold(of: "sim-42-\($0)", folds: k) }) { $0 }
        #expect(counts.count == k)
        #expect(counts.values.allSatisfy { abs($0.count - 10_000 / k) < 10_000 / k / 5 })
    }

    @Test("quality gates pass and fail at their limits")
    func gates() throws {
        let gates = QualityGates()
        let population = (0..<200).map { i in [Double(i % 20), Double(i % 7)] }
        let old = LogisticModel(featureNames: ["a", "b"], intercept: -2, coefficients: [0.1, -0.5])
        let near = LogisticModel(featureNames: ["a", "b"], intercept: -2.1, coefficients: [0.12, -0.55])
        let close = try #require(QualityGates.compare(current: near, previous: old, population: population))
        let pass = gates.evaluate(rejectedAUC: 0.60, samples: 100, defaultRate: 0.05, comparison: close)
        #expect(pass.count == 6 && pass.allSatisfy { $0.passed })
        // b's weight flips sign: its points spread moves by twice its size.
        let flipped = LogisticModel(featureNames: ["a", "b"], intercept: -2, coefficients: [0.1, 0.5])
        let far = try #require(QualityGates.compare(current: flipped, previous: old, population: population))
        #expect(far.largestMove?.feature == "b" && abs(far.largestMove!.move - 2) < 1e-12)
        let fail = gates.evaluate(rejectedAUC: 0.5999, samples: 99, defaultRate: 0.51, comparison: far)
        #expect(fail.map(\.passed) == [false, false, false, false, false, false])
        #expect(gates.evaluate(rejectedAUC: nil, samples: 500, defaultRate: 0.1, comparison: nil)[0].passed == false)
        let fresh = gates.evaluate(rejectedAUC: 0.7, samples: 500, defaultRate: 0.1, comparison: nil)
        #expect(fresh.allSatisfy { $0.passed })
    }

    @Test("a coefficient near zero cannot flip the weight gate: its move is measured against the scorecard")
    func nearZeroCoefficient() throws {
        let population = (0..<200).map { i in [Double(i % 20), Double(i % 7), Double(i % 3)] }
        let old = LogisticModel(featureNames: ["a", "b", "c"], intercept: -2, coefficients: [0.1, -0.5, 1e-6])
        let new = LogisticModel(featureNames: ["a", "b", "c"], intercept: -2, coefficients: [0.1, -0.5, -1e-4])
        let comparison = try #require(QualityGates.compare(current: new, previous: old, population: population))
        // c's coefficient changed by a factor of −100 (the old gate's "−10,100 %"), worth no points.
        #expect(comparison.weightMoves[2].move < 0.01)
        #expect(abs(comparison.scoreCorrelation - 1) < 1e-6 && comparison.bandPSI < QualityGates().maximumBandPSI)
    }

    @Test("coefficient comparison, old → new with % change")
    func comparison() {
        let old = LogisticModel(featureNames: ["a", "b"], intercept: -2, coefficients: [1, -0.5])
        let new = LogisticModel(featureNames: ["a", "c"], intercept: -1, coefficients: [0.5, 2])
        let changes = CoefficientChange.compare(previous: old, current: new)
        #expect(changes.map(\.feature) == ["intercept", "a", "c", "b"])
        #expect(changes.map(\.relativeChange) == [0.5, -0.5, nil, 1])
    }

    @Test("scorecard points: 600 at 50:1, 20 more for each doubling of the odds")
    func scorecard() throws {
        let card = Scorecard()
        #expect(close(try #require(card.points(defaultProbability: 1.0 / 51)), 600, relative: 1e-12))
        #expect(close(try #require(card.points(defaultProbability: 1.0 / 101)), 620, relative: 1e-12))
        #expect(card.points(defaultProbability: 0) == nil)
        let model = LogisticModel(featureNames: ["a"], intercept: -3, coefficients: [0.5])
        let parts = card.contributions(model, features: [2])
        let total = parts.reduce(0) { $0 + $1.points }
        #expect(close(total, try #require(card.points(defaultProbability: model.probability([2]))), relative: 1e-12))
    }
}

@Suite("Model spec")
struct ModelSpecTests {
    @Test("a spec round-trips through JSON and records how V2 was weighted")
    func roundTrip() throws {
        let (x, y, p) = try CausalTrainingTests.loans(800)
        let pair = try CausalTraining.train(x, defaulted: y, propensities: p, weighting: .init(clipAt: 50))
        let window = Timestamp(seconds: 0)..<Timestamp(seconds: 86_400)
        let spec = ModelSpec(pair: pair, causal: true, window: window)
        #expect(spec.weighting == "inverse-propensity" && spec.clipWeightsAt == 50)
        #expect(spec.trainedFrom == "1970-01-01T00:00:00.000000Z")
        let decoded = try ModelSpec(json: try spec.json())
        #expect(decoded == spec)
        #expect(decoded.model.probability([0.5, 0.5]) == pair.causal.model.probability([0.5, 0.5]))
        #expect(throws: CoreError.self) { try ModelSpec(json: "{\"kind\": 1}") }
    }
}
