import Foundation
import LazarusCore

extension ShadowReportBuilder {
    /// Logged decisions before the end, without approved loans still pending, for off-policy estimates.
    /// - Parameter approves: the candidate's decision for each loan, aligned with `loans`.
    func offPolicyDecisions(_ loans: [Loan], approves: [Bool], losses: Bool) -> [OffPolicyEstimator.Decision] {
        var decisions: [OffPolicyEstimator.Decision] = []
        decisions.reserveCapacity(loans.count)
        for (loan, approve) in zip(loans, approves) where !(loan.approved && loan.defaulted == nil) {
            decisions.append(
                OffPolicyEstimator.Decision(
                    propensity: loan.propensity, approved: loan.approved,
                    candidateApproves: loan.variant != .compliance && approve, defaulted: loan.defaulted == true,
                    loss: losses ? loan.loss : 0))
        }
        return decisions
    }

    struct PolicyValue {
        var defaultRate: ModelEvaluation.Estimate?
        var profit: Double?
        var revenuePerThousand: Double?
        var lossPerThousand: Double?
    }

    /// Default rate, profit, revenue and loss of a candidate, estimated off-policy (self-normalised).
    /// - Parameter approves: the candidate's decision for each loan, aligned with `loans`.
    func policyValue(_ loans: [Loan], approves: [Bool]) -> PolicyValue {
        let withLosses = offPolicyDecisions(loans, approves: approves, losses: true)
        let withoutLosses = offPolicyDecisions(loans, approves: approves, losses: false)
        guard let full = try? OffPolicyEstimator(lifetimeValue: lifetimeValue).estimate(withLosses),
            let revenue = try? OffPolicyEstimator(lifetimeValue: lifetimeValue).estimate(withoutLosses),
            let loss = try? OffPolicyEstimator(lifetimeValue: 0).estimate(withLosses)
        else { return PolicyValue() }
        return PolicyValue(
            defaultRate: full.defaultRate, profit: full.profitSelfNormalized.value,
            revenuePerThousand: revenue.profitSelfNormalized.value * 1000,
            lossPerThousand: -loss.profitSelfNormalized.value * 1000)
    }

    func productionSummary(_ labelled: [Loan], loans: [Loan], share: Double) -> ShadowReport.ModelSummary {
        let explore = labelled.filter { $0.variant == .explore }
        let auc = try? ModelEvaluation.delongAUC(
            scores: explore.map { 1 - $0.score }, labels: explore.map { $0.defaulted == true ? 1 : 0 })
        let value = policyValue(loans, approves: loans.map { $0.score > policy.riskThreshold })
        return ShadowReport.ModelSummary(
            name: "Production", version: nil, auc: auc?.value, aucLow: auc?.confidenceInterval.lowerBound,
            aucHigh: auc?.confidenceInterval.upperBound, approvalRate: share, defaultRate: value.defaultRate?.value,
            defaultRateLow: value.defaultRate?.confidenceInterval.lowerBound,
            defaultRateHigh: value.defaultRate?.confidenceInterval.upperBound, profitPerApplicant: value.profit,
            expectedRevenue: value.revenuePerThousand, expectedLoss: value.lossPerThousand,
            blindness: productionBlindness(labelled)?.score, gates: [])
    }

    func modelSummary(
        _ name: String, _ fit: LogisticFit, cross: [Double], cutoff: Double, labelled: [Loan], loans: [Loan],
        labelledIndex: [String: Int], share: Double, previous: LogisticModel?
    ) -> ShadowReport.ModelSummary {
        let exploreIndexes = labelled.indices.filter { labelled[$0].variant == .explore }
        let labels = exploreIndexes.map { labelled[$0].defaulted == true ? 1.0 : 0 }
        let auc = try? ModelEvaluation.delongAUC(scores: exploreIndexes.map { cross[$0] }, labels: labels)
        // A labelled loan is judged by the model that did not see it; other applicants by the full model.
        let approves = loans.map { loan in
            (labelledIndex[loan.id].map { cross[$0] } ?? fit.model.probability(loan.features)) <= cutoff
        }
        let value = policyValue(loans, approves: approves)
        let rejected = exploreIndexes.filter { labelled[$0].score <= policy.riskThreshold }
        let blindness = try? BlindnessScore(
            probabilities: rejected.map { cross[$0] }, labels: rejected.map { labelled[$0].defaulted == true ? 1 : 0 },
            weights: rejected.map { 1 / labelled[$0].propensity })
        let weightSum = fit.weightSum
        let trainingDefaultRate =
            labelled.isEmpty
            ? 0
            : zip(
                labelled,
                name.hasPrefix("V2")
                    ? labelled.map { 1 / $0.propensity } : [Double](repeating: 1, count: labelled.count)
            )
            .reduce(0) { $0 + ($1.0.defaulted == true ? $1.1 : 0) } / weightSum
        let gates = QualityGates().evaluate(
            auc: auc?.value ?? 0, samples: fit.rows, defaultRate: trainingDefaultRate, current: fit.model,
            previous: previous)
        return ShadowReport.ModelSummary(
            name: name, version: nil, auc: auc?.value, aucLow: auc?.confidenceInterval.lowerBound,
            aucHigh: auc?.confidenceInterval.upperBound, approvalRate: share, defaultRate: value.defaultRate?.value,
            defaultRateLow: value.defaultRate?.confidenceInterval.lowerBound,
            defaultRateHigh: value.defaultRate?.confidenceInterval.upperBound, profitPerApplicant: value.profit,
            expectedRevenue: value.revenuePerThousand, expectedLoss: value.lossPerThousand, blindness: blindness?.score,
            gates: gates.map { .init(name: $0.name, passed: $0.passed, detail: $0.detail) })
    }

    /// Income × credit history, other features held at the medians of the applicants production rejected
    /// in the window (where the models' decisions can differ); where V2 approves and V1 does not.
    func boundary(
        _ pair: CausalTraining.Pair, _ cutoffV1: Double, _ cutoffV2: Double, labelled: [Loan], window: [Loan]
    ) -> ShadowReport.Boundary {
        let rejected = window.filter { $0.score <= policy.riskThreshold }
        let population = rejected.isEmpty ? (window.isEmpty ? labelled : window) : rejected
        func median(_ j: Int) -> Double {
            let values = population.map { $0.features[j] }.sorted()
            return values.isEmpty ? 0 : values[values.count / 2]
        }
        let held = (2..<LoanHistory.featureNames.count).map { ($0, median($0)) }
        func line(_ model: LogisticModel, _ cutoff: Double) -> ShadowReport.Boundary.Line {
            let target = log(cutoff / (1 - cutoff))
            let rest = model.intercept + held.reduce(0) { $0 + model.coefficients[$1.0] * $1.1 }
            let bx = model.coefficients[0]
            let by = model.coefficients[1]
            let safeBy = abs(by) < 1e-12 ? (by < 0 ? -1e-12 : 1e-12) : by
            return .init(intercept: (target - rest) / safeBy, slope: -bx / safeBy, cutoff: cutoff, approveAbove: by < 0)
        }
        // Points: every explore loan and an even sample of the rest (chosen by id hash, so stable).
        let points = labelled.filter { $0.variant == .explore || CrossFitting.fold(of: $0.id, folds: 40) == 0 }
            .prefix(2500).map {
                ShadowReport.Boundary.Point(
                    x: $0.features[0], y: $0.features[1], defaulted: $0.defaulted == true,
                    explore: $0.variant == .explore)
            }
        let incomes = (window.isEmpty ? labelled : window).map { $0.features[0] }.sorted()
        let histories = (window.isEmpty ? labelled : window).map { $0.features[1] }.sorted()
        let (region, share) = newlyApprovedRegion(
            pair, cutoffV1, cutoffV2, held: held,
            xRange: percentile(incomes, 0.02)...percentile(incomes, 0.98), yRange: 0...percentile(histories, 0.98),
            medianIncome: percentile(incomes, 0.5))
        var heldAt: [String: Double] = [:]
        for (j, value) in held { heldAt[LoanHistory.featureNames[j]] = value }
        return ShadowReport.Boundary(
            xFeature: LoanHistory.featureNames[0], yFeature: LoanHistory.featureNames[1], heldAt: heldAt,
            points: Array(points), v1: line(pair.standard.model, cutoffV1), v2: line(pair.causal.model, cutoffV2),
            regionLabel: region, regionShare: share)
    }

    private func percentile(_ sorted: [Double], _ q: Double) -> Double {
        sorted.isEmpty ? 0 : sorted[min(Int(q * Double(sorted.count)), sorted.count - 1)]
    }

    /// Names the region V2 approves and V1 rejects by where its centre lies.
    private func newlyApprovedRegion(
        _ pair: CausalTraining.Pair, _ c1: Double, _ c2: Double, held: [(Int, Double)], xRange: ClosedRange<Double>,
        yRange: ClosedRange<Double>, medianIncome: Double
    ) -> (String?, Double) {
        var cells = 0
        var sumX = 0.0
        var sumY = 0.0
        let steps = 60
        var features = [Double](repeating: 0, count: LoanHistory.featureNames.count)
        for (j, value) in held { features[j] = value }
        for i in 0..<steps {
            for k in 0..<steps {
                features[0] =
                    xRange.lowerBound + (Double(i) + 0.5) / Double(steps) * (xRange.upperBound - xRange.lowerBound)
                features[1] =
                    yRange.lowerBound + (Double(k) + 0.5) / Double(steps) * (yRange.upperBound - yRange.lowerBound)
                if pair.causal.model.probability(features) <= c2, pair.standard.model.probability(features) > c1 {
                    cells += 1
                    sumX += features[0]
                    sumY += features[1]
                }
            }
        }
        guard cells > 0 else { return (nil, 0) }
        let x = sumX / Double(cells)
        let y = sumY / Double(cells)
        let income = x >= medianIncome ? "High income" : "Modest income"
        let file = y < 24 ? "thin credit file" : y < 120 ? "young credit file" : "long credit file"
        return ("\(income), \(file)", Double(cells) / Double(steps * steps))
    }
}
