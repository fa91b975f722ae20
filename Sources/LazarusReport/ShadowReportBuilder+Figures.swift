import Foundation
import LazarusCore

extension ShadowReportBuilder {
    typealias Loan = LoanHistory.Loan

    /// The gross figure kept from earlier reports: explore loans to applicants production rejected that V2's
    /// cross-fitted policy approves, each standing for 1/propensity applicants (LTV if it repaid, −loss if
    /// not). It is not the value of exploration: it ignores whom V2 turns away and what retraining gives anyway.
    func headline(_ cohortLoans: [Loan], _ v2Approves: [Bool]?, observedFrom: Timestamp?) -> ShadowReport.Headline {
        let inRange = { (loan: Loan) in
            observedFrom.map { (loan.observedAt ?? .init(microseconds: .min)) >= $0 } ?? true
        }
        let explore = cohortLoans.indices.filter {
            cohortLoans[$0].variant == .explore && cohortLoans[$0].defaulted != nil && inRange(cohortLoans[$0])
        }
        let cost = explore.reduce(0) { $0 + (cohortLoans[$1].defaulted == true ? cohortLoans[$1].loss : 0) }
        let good = explore.filter {
            cohortLoans[$0].defaulted == false && cohortLoans[$0].score <= policy.riskThreshold
        }.count
        var value = 0.0
        var squares = 0.0
        var samples = 0
        if let v2Approves {
            for i in explore where cohortLoans[i].score <= policy.riskThreshold && v2Approves[i] {
                let loan = cohortLoans[i]
                let reward = (loan.defaulted == true ? -loan.loss : lifetimeValue) / loan.propensity
                value += reward
                squares += reward * reward
                samples += 1
            }
        }
        let margin = 1.959963984540054 * squares.squareRoot()
        return ShadowReport.Headline(
            explorationCost: cost, revenueUnlocked: value, revenueUnlockedLow: value - margin,
            revenueUnlockedHigh: value + margin, samples: samples,
            conclusive: samples >= minimumHeadlineSamples && value - margin > 0,
            panelLift: Double(good) * lifetimeValue - cost, goodLoansFound: good)
    }

    /// The cost of exploration in the window: outcomes of explore loans observed in it, split by whether
    /// production would have approved the applicant anyway (propensity 1).
    func exploration(_ history: LoanHistory, inWindow: [Loan]) -> ShadowReport.Exploration {
        let eligible = inWindow.filter { $0.variant != .compliance }
        let exploreDecisions = eligible.filter { $0.variant == .explore }.count
        let observed = history.loans.filter {
            $0.variant == .explore && $0.defaulted != nil && ($0.observedAt.map { $0 >= period.start } ?? false)
        }
        let incremental = observed.filter { $0.propensity < 1 }
        let incrementalLosses = incremental.reduce(0) { $0 + ($1.defaulted == true ? $1.loss : 0) }
        let repaid = incremental.filter { $0.defaulted == false }.count
        let budgetLosses = observed.reduce(0) { $0 + ($1.defaulted == true ? $1.loss : 0) }
        return ShadowReport.Exploration(
            epsilon: policy.epsilon,
            realisedRate: eligible.isEmpty ? 0 : Double(exploreDecisions) / Double(eligible.count),
            exploreDecisions: exploreDecisions, incrementalLoans: incremental.count,
            incrementalDefaults: incremental.filter { $0.defaulted == true }.count,
            incrementalLossesDollars: incrementalLosses,
            incrementalNetPnlDollars: Double(repaid) * lifetimeValue - incrementalLosses,
            budgetLossesDollars: budgetLosses,
            budgetLossesOnApprovedAnywayShare: budgetLosses > 0
                ? (budgetLosses - incrementalLosses) / budgetLosses : nil
        )
    }

    func keyFigures(
        _ history: LoanHistory, inWindow: [Loan], cohort: [ExplorationValue.Applicant], economics: ReportEconomics
    ) -> ShadowReport.KeyFigures {
        let budget = BudgetState.replay(
            ledger: history.ledger, exploreLosses: exploreLosses(history), before: period.end)
        // The panel's figure is the exporter's: every explore outcome known by the end.
        let exploreKnown = history.loans.filter { $0.variant == .explore && $0.defaulted != nil }
        let exploreLosses = exploreKnown.reduce(0) { $0 + ($1.defaulted == true ? $1.loss : 0) }
        let goodFound = exploreKnown.filter { $0.defaulted == false && $0.score <= policy.riskThreshold }.count
        let observedInWindow = exploreKnown.filter { ($0.observedAt ?? period.start) >= period.start }
        let production = economics.modelsByName.production
        let weights = cohort.filter(\.labelled).map { 1 / $0.propensity }
        return ShadowReport.KeyFigures(
            budgetGranted: budget.granted, budgetSpent: budget.spent, budgetRemaining: budget.remaining,
            decisions: inWindow.count, exploreLoans: inWindow.filter { $0.variant == .explore }.count,
            exploreDefaults: observedInWindow.filter { $0.defaulted == true }.count,
            explorePending: history.loans.filter { $0.variant == .explore && $0.approved && $0.defaulted == nil }.count,
            exploreLossesInWindow: observedInWindow.reduce(0) { $0 + ($1.defaulted == true ? $1.loss : 0) },
            projectedRevenueLift: Double(goodFound) * lifetimeValue - exploreLosses,
            productionBlindness: production.blindness?.estimate, productionBlindnessStderr: nil,
            blindnessSamples: production.samples, effectiveSampleSize: CausalTraining.effectiveSampleSize(weights),
            labelledLoans: weights.count, skippedRows: history.skippedRows)
    }

    /// (observed at, loss) of every explore default, for replaying the budget.
    func exploreLosses(_ history: LoanHistory) -> [(at: Timestamp, loss: Double)] {
        history.loans.compactMap { loan in
            guard loan.variant == .explore, loan.defaulted == true, let at = loan.observedAt else { return nil }
            return (at, loan.loss)
        }
    }

    /// The remaining budget at the window's start, after each ledger row and each explore loss in it.
    func burnDown(_ history: LoanHistory) -> [ShadowReport.BudgetPoint] {
        let losses = exploreLosses(history)
        var moments = [period.start]
        moments += (history.ledger.map(\.at) + losses.map(\.at)).filter { $0 >= period.start && $0 < period.end }
        moments.append(period.end)
        // State just after each moment: replay up to and including it.
        return Set(moments).sorted().map { moment in
            let state = BudgetState.replay(
                ledger: history.ledger, exploreLosses: losses,
                before: moment == period.end ? moment : moment.adding(microseconds: 1))
            return .init(at: moment.iso8601, remaining: state.remaining, granted: state.granted)
        }
    }

    /// Cross-fitted V1 and V2 on the cohort's labelled explore loans, weighted 1/propensity, in ten bins.
    func calibrationBins(
        _ cohortLoans: [Loan], _ evaluation: ExplorationValue.Evaluation?
    )
        -> [ShadowReport.CalibrationBin]
    {
        guard let evaluation else { return [] }
        let explore = cohortLoans.indices.filter {
            cohortLoans[$0].variant == .explore && cohortLoans[$0].approved && cohortLoans[$0].defaulted != nil
        }
        var bins: [ShadowReport.CalibrationBin] = []
        for (name, model) in [("V1", ExplorationValue.Model.v1), ("V2", .v2)] {
            let predictions = evaluation.predictedDefault[model.rawValue]
            var weight = [Double](repeating: 0, count: 10)
            var predicted = [Double](repeating: 0, count: 10)
            var observed = [Double](repeating: 0, count: 10)
            for i in explore {
                let bin = min(Int(predictions[i] * 10), 9)
                let w = 1 / cohortLoans[i].propensity
                weight[bin] += w
                predicted[bin] += w * predictions[i]
                observed[bin] += w * (cohortLoans[i].defaulted == true ? 1 : 0)
            }
            for bin in 0..<10 where weight[bin] > 0 {
                bins.append(
                    .init(
                        model: name, predicted: predicted[bin] / weight[bin], observed: observed[bin] / weight[bin],
                        weight: weight[bin]))
            }
        }
        return bins
    }
}
