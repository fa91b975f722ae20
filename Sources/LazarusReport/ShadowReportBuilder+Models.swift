import Foundation
import LazarusCore

extension ShadowReportBuilder {
    /// The model table: production, V0, V1 and V2 on the matured cohort, each policy cross-fitted. The
    /// rejected-region figures come from `byName`, as ``ReportEconomics`` measured them.
    func modelSummaries(
        _ cohortLoans: [Loan], cohort: [ExplorationValue.Applicant], evaluation: ExplorationValue.Evaluation?,
        values: [ShadowReport.PolicyValue], byName: ShadowReport.ModelsByName, previous: [String: LogisticModel],
        population: [[Double]]
    ) -> [ShadowReport.ModelSummary] {
        let explore = cohortLoans.indices.filter {
            cohortLoans[$0].variant == .explore && cohortLoans[$0].approved && cohortLoans[$0].defaulted != nil
        }
        let labels = explore.map { cohortLoans[$0].defaulted == true ? 1.0 : 0 }
        let share = Double(cohort.filter(\.productionApproves).count) / Double(max(cohort.count, 1))
        func summary(
            _ name: String, risk: [Double], approves: [Bool], value: ShadowReport.PolicyValue?,
            quality: ShadowReport.NamedModel?, gates: [QualityGates.Result]
        ) -> ShadowReport.ModelSummary {
            let auc = try? ModelEvaluation.delongAUC(scores: explore.map { risk[$0] }, labels: labels)
            let rate = defaultRate(cohortLoans, approves: approves)
            return ShadowReport.ModelSummary(
                name: name, version: nil, auc: auc?.value, aucLow: auc?.confidenceInterval.lowerBound,
                aucHigh: auc?.confidenceInterval.upperBound, approvalRate: value?.approvalShare ?? share,
                defaultRate: rate?.value, defaultRateLow: rate?.confidenceInterval.lowerBound,
                defaultRateHigh: rate?.confidenceInterval.upperBound,
                profitPerApplicant: value?.profitPerApplicant?.dollars, expectedRevenue: nil, expectedLoss: nil,
                blindness: quality?.blindness?.estimate,
                gates: gates.map { .init(name: $0.name, passed: $0.passed, detail: $0.detail, value: $0.value) })
        }
        var rows = [
            summary(
                "Production", risk: cohortLoans.map { 1 - $0.score }, approves: cohort.map(\.productionApproves),
                value: nil, quality: byName.production, gates: [])
        ]
        guard let evaluation else { return rows }
        let names = ["V0 (baseline)", "V1 (standard)", "V2 (causal, IPW)"]
        guard values.count == 4 else { return rows }
        rows[0].profitPerApplicant = values[0].profitPerApplicant?.dollars
        for model in ExplorationValue.Model.allCases {
            let m = model.rawValue
            let risk = evaluation.predictedDefault[m]
            let fit = evaluation.full[m].fit
            let weights = cohort.filter(\.labelled).map(model.trainingWeight)
            let defaults = zip(cohort.filter(\.labelled), weights).reduce(0) {
                $0 + ($1.0.defaulted == true ? $1.1 : 0)
            }
            let total = weights.reduce(0, +)
            // The gates of design.md: within-region AUC (cross-fitted), data, and against the version it replaces.
            let quality = [byName.v0, byName.v1, byName.v2][m]
            let gates = QualityGates().evaluate(
                rejectedAUC: quality?.rejectedAuc?.estimate, samples: fit.rows,
                defaultRate: total > 0 ? defaults / total : 0,
                comparison: previous[model.kind].flatMap {
                    QualityGates.compare(current: fit.model, previous: $0, population: population)
                })
            rows.append(
                summary(
                    names[m], risk: risk, approves: evaluation.approves[m], value: values[m + 1],
                    quality: quality, gates: gates))
        }
        return rows
    }

    /// The IPW default rate of the loans a policy grants on the cohort (self-normalised, with its interval).
    func defaultRate(_ cohortLoans: [Loan], approves: [Bool]) -> ModelEvaluation.Estimate? {
        var decisions: [OffPolicyEstimator.Decision] = []
        for (loan, approve) in zip(cohortLoans, approves) where !(loan.approved && loan.defaulted == nil) {
            decisions.append(
                .init(
                    propensity: loan.propensity, approved: loan.approved, candidateApproves: approve,
                    defaulted: loan.defaulted == true, loss: loan.loss))
        }
        guard let result = try? OffPolicyEstimator(lifetimeValue: lifetimeValue).estimate(decisions),
            result.defaultRate.standardError > 0 || result.defaultRate.value > 0
        else { return nil }
        return result.defaultRate
    }

    /// Income × credit history, other features held at the medians of the applicants production rejected
    /// in the window (where the models' decisions can differ); where V2 approves and V1 does not. `nil` when a
    /// cut-off is no probability strictly between 0 and 1 (a policy that approves no one or everyone has
    /// no boundary to draw).
    func boundary(
        v1: LogisticModel, _ cutoffV1: Double, v2: LogisticModel, _ cutoffV2: Double, labelled: [Loan],
        window: [Loan]
    ) -> ShadowReport.Boundary? {
        guard cutoffV1 > 0, cutoffV1 < 1, cutoffV2 > 0, cutoffV2 < 1 else { return nil }
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
            v1: v1, cutoffV1, v2: v2, cutoffV2, held: held,
            xRange: percentile(incomes, 0.02)...percentile(incomes, 0.98), yRange: 0...percentile(histories, 0.98),
            medianIncome: percentile(incomes, 0.5))
        var heldAt: [String: Double] = [:]
        for (j, value) in held { heldAt[LoanHistory.featureNames[j]] = value }
        return ShadowReport.Boundary(
            xFeature: LoanHistory.featureNames[0], yFeature: LoanHistory.featureNames[1], heldAt: heldAt,
            points: Array(points), v1: line(v1, cutoffV1), v2: line(v2, cutoffV2),
            regionLabel: region, regionShare: share)
    }

    private func percentile(_ sorted: [Double], _ q: Double) -> Double {
        sorted.isEmpty ? 0 : sorted[min(Int(q * Double(sorted.count)), sorted.count - 1)]
    }

    /// Names the region V2 approves and V1 rejects by where its centre lies.
    private func newlyApprovedRegion(
        v1: LogisticModel, _ c1: Double, v2: LogisticModel, _ c2: Double, held: [(Int, Double)],
        xRange: ClosedRange<Double>,
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
                if v2.probability(features) <= c2, v1.probability(features) > c1 {
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
