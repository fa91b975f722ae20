import Foundation
import LazarusCore
import Testing

@Suite("Model evaluation")
struct ModelEvaluationTests {
    static let fixture = try! Fixture.load("evaluation.json", as: Fixture.Evaluation.self)
    var f: Fixture.Evaluation { Self.fixture }

    @Test("AUC and DeLong's variance agree with scikit-learn and the direct O(n²) formula")
    func auc() throws {
        #expect(close(try ModelEvaluation.auc(scores: f.p, labels: f.y), f.auc, relative: 1e-12))
        let delong = try ModelEvaluation.delongAUC(scores: f.p, labels: f.y)
        #expect(close(delong.value, f.auc, relative: 1e-12))
        #expect(close(delong.standardError * delong.standardError, f.aucVar, relative: 1e-9))
        #expect(delong.confidenceInterval.contains(f.auc))
    }

    @Test("weighted AUC agrees with scikit-learn's sample_weight")
    func weightedAUC() throws {
        #expect(close(try ModelEvaluation.auc(scores: f.p, labels: f.y, weights: f.v), f.aucWeighted, relative: 1e-12))
    }

    @Test("AUC by hand: ties count one half")
    func aucByHand() throws {
        // Positives 0.8 and 0.5, negatives 0.5 and 0.2: pairs beaten 1 + 1 + 0.5 + 1 = 3.5 of 4.
        #expect(try ModelEvaluation.auc(scores: [0.8, 0.5, 0.5, 0.2], labels: [1, 1, 0, 0]) == 0.875)
    }

    @Test("blindness score and its standard error agree with the reference")
    func blindness() throws {
        let score = try BlindnessScore(probabilities: f.p, labels: f.y, weights: f.v)
        #expect(close(score.brier, f.blindness.a, relative: 1e-12))
        #expect(close(score.baseRate, f.blindness.ybar, relative: 1e-12))
        #expect(close(score.score, f.blindness.score, relative: 1e-12))
        #expect(close(score.standardError, f.blindness.se, relative: 1e-9))
        #expect(score.samples == f.y.count)
    }

    @Test("blindness by hand: a constant at the base rate scores 1, a perfect model 0")
    func blindnessByHand() throws {
        let y: [Double] = [1, 0, 0, 0]
        let constant = try BlindnessScore(probabilities: [0.25, 0.25, 0.25, 0.25], labels: y, weights: [1, 1, 1, 1])
        #expect(constant.score == 1)
        let perfect = try BlindnessScore(probabilities: [1, 0, 0, 0], labels: y, weights: [1, 1, 1, 1])
        #expect(perfect.score == 0)
        // A worse-than-constant model is clipped at 1.
        let worse = try BlindnessScore(probabilities: [0, 1, 1, 1], labels: y, weights: [1, 1, 1, 1])
        #expect(worse.score == 1)
        let error = #expect(throws: CoreError.self) {
            try BlindnessScore(probabilities: [0.1, 0.2], labels: [0, 0], weights: [1, 1])
        }
        #expect(error?.code == .singleClass)
    }

    @Test("expected calibration error and observed/expected agree with the reference")
    func calibration() throws {
        #expect(
            close(
                try ModelEvaluation.expectedCalibrationError(probabilities: f.p, labels: f.y, weights: f.v), f.ece,
                relative: 1e-12))
        #expect(
            close(
                try ModelEvaluation.observedExpectedRatio(probabilities: f.p, labels: f.y, weights: f.v), f.oe,
                relative: 1e-12))
    }

    @Test("PSI agrees with the reference; identical samples give 0")
    func psi() throws {
        #expect(
            close(
                try PopulationStability.index(reference: f.psiExpected, current: f.psiActual), f.psi, relative: 1e-10)
        )
        #expect(try PopulationStability.index(reference: f.psiExpected, current: f.psiExpected) == 0)
        #expect(throws: CoreError.self) { try PopulationStability.index(reference: [], current: [1]) }
    }

    @Test("off-policy IPS and self-normalised estimates agree with the reference")
    func offPolicy() throws {
        let o = f.offPolicy
        let decisions = o.propensity.indices.map {
            OffPolicyEstimator.Decision(
                propensity: o.propensity[$0], approved: o.approved[$0], candidateApproves: o.candidate[$0],
                defaulted: o.defaulted[$0], loss: o.loss[$0])
        }
        let result = try OffPolicyEstimator(lifetimeValue: o.ltv).estimate(decisions)
        #expect(close(result.profitIPS.value, o.profitIps, relative: 1e-10))
        #expect(close(result.profitIPS.standardError, o.profitIpsSe, relative: 1e-9))
        #expect(close(result.profitSelfNormalized.value, o.profitSnips, relative: 1e-10))
        #expect(close(result.profitSelfNormalized.standardError, o.profitSnipsSe, relative: 1e-9))
        #expect(close(result.defaultRate.value, o.defaultRate, relative: 1e-10))
        #expect(close(result.defaultRate.standardError, o.defaultRateSe, relative: 1e-9))
        #expect(close(result.approvalRate.value, o.approvalRate, relative: 1e-12))
        #expect(close(result.effectiveSampleSize, o.ess, relative: 1e-10))
        #expect(result.maxWeight == o.maxWeight)
    }

    @Test("off-policy by hand: the logging policy evaluated against itself recovers its own mean reward")
    func offPolicySelf() throws {
        // Three approved (p = 1), one explored (p = 0.5) and one rejected (p = 0.5).
        let decisions = [
            OffPolicyEstimator.Decision(
                propensity: 1, approved: true, candidateApproves: true, defaulted: false, loss: 0),
            .init(propensity: 1, approved: true, candidateApproves: true, defaulted: true, loss: 300),
            .init(propensity: 1, approved: true, candidateApproves: true, defaulted: false, loss: 0),
            .init(propensity: 0.5, approved: true, candidateApproves: false, defaulted: false, loss: 0),
            .init(propensity: 0.5, approved: false, candidateApproves: false, defaulted: false, loss: 0),
        ]
        let result = try OffPolicyEstimator(lifetimeValue: 500).estimate(decisions)
        // ρ = 1, 1, 1, 0, 2 and rewards 500, −300, 500, 500, 0: IPS = 700 / 5, SNIPS = 700 / 5.
        #expect(result.profitIPS.value == 140)
        #expect(result.profitSelfNormalized.value == 140)
        #expect(result.defaultRate.value == 1.0 / 3)
        #expect(result.approvalRate.value == 0.6)
        #expect(throws: CoreError.self) {
            try OffPolicyEstimator(lifetimeValue: 500).estimate([
                .init(propensity: 0, approved: true, candidateApproves: true, defaulted: false, loss: 0)
            ])
        }
    }
}
