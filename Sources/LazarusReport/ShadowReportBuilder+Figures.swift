import Foundation
import LazarusCore

extension ShadowReportBuilder {
    typealias Loan = LoanHistory.Loan

    /// Exploration cost against the off-policy value of the applicants V2 newly approves.
    func headline(
        _ labelled: [Loan], _ crossV2: [Double], _ cutoffV2: Double?, observedFrom: Timestamp?, history: LoanHistory
    ) -> ShadowReport.Headline {
        let inRange = { (loan: Loan) in
            observedFrom.map { (loan.observedAt ?? .init(microseconds: .min)) >= $0 } ?? true
        }
        let explore = labelled.indices.filter { labelled[$0].variant == .explore && inRange(labelled[$0]) }
        let cost = explore.reduce(0) { $0 + (labelled[$1].defaulted == true ? labelled[$1].loss : 0) }
        let good = explore.filter {
            labelled[$0].defaulted == false && labelled[$0].score <= policy.riskThreshold
        }.count
        var value = 0.0
        var squares = 0.0
        var samples = 0
        if let cutoffV2, crossV2.count == labelled.count {
            // Each explore loan stands for 1/propensity applicants like it; LTV if it repaid, −loss if not.
            for i in explore where labelled[i].score <= policy.riskThreshold && crossV2[i] <= cutoffV2 {
                let loan = labelled[i]
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

    func keyFigures(
        _ history: LoanHistory, inWindow: [Loan], labelled: [Loan], pair: CausalTraining.Pair?
    ) -> ShadowReport.KeyFigures {
        let budget = BudgetState.replay(
            ledger: history.ledger, exploreLosses: exploreLosses(history), before: period.end)
        let exploreLabelled = labelled.filter { $0.variant == .explore }
        let exploreLosses = exploreLabelled.reduce(0) { $0 + ($1.defaulted == true ? $1.loss : 0) }
        let goodFound = exploreLabelled.filter { $0.defaulted == false && $0.score <= policy.riskThreshold }.count
        let observedInWindow = exploreLabelled.filter { ($0.observedAt ?? period.start) >= period.start }
        let blindness = productionBlindness(labelled)
        return ShadowReport.KeyFigures(
            budgetGranted: budget.granted, budgetSpent: budget.spent, budgetRemaining: budget.remaining,
            decisions: inWindow.count, exploreLoans: inWindow.filter { $0.variant == .explore }.count,
            exploreDefaults: observedInWindow.filter { $0.defaulted == true }.count,
            explorePending: history.loans.filter { $0.variant == .explore && $0.approved && $0.defaulted == nil }.count,
            exploreLossesInWindow: observedInWindow.reduce(0) { $0 + ($1.defaulted == true ? $1.loss : 0) },
            projectedRevenueLift: Double(goodFound) * lifetimeValue - exploreLosses,
            productionBlindness: blindness?.score, productionBlindnessStderr: blindness?.standardError,
            blindnessSamples: blindness?.samples ?? 0,
            effectiveSampleSize: pair.map { CausalTraining.effectiveSampleSize($0.weights) } ?? 0,
            labelledLoans: labelled.count, skippedRows: history.skippedRows)
    }

    /// (observed at, loss) of every explore default, for replaying the budget.
    func exploreLosses(_ history: LoanHistory) -> [(at: Timestamp, loss: Double)] {
        history.loans.compactMap { loan in
            guard loan.variant == .explore, loan.defaulted == true, let at = loan.observedAt else { return nil }
            return (at, loan.loss)
        }
    }

    /// Blindness of the production score on explore loans to applicants it rejected.
    func productionBlindness(_ labelled: [Loan]) -> BlindnessScore? {
        let sample = labelled.filter { $0.variant == .explore && $0.score <= policy.riskThreshold }
        return try? BlindnessScore(
            probabilities: sample.map { 1 - $0.score }, labels: sample.map { $0.defaulted == true ? 1 : 0 },
            weights: sample.map { 1 / $0.propensity })
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

    func calibrationBins(_ labelled: [Loan], _ crossV1: [Double], _ crossV2: [Double]) -> [ShadowReport.CalibrationBin]
    {
        let explore = labelled.indices.filter { labelled[$0].variant == .explore }
        var bins: [ShadowReport.CalibrationBin] = []
        for (name, predictions) in [("V1", crossV1), ("V2", crossV2)] where predictions.count == labelled.count {
            var weight = [Double](repeating: 0, count: 10)
            var predicted = [Double](repeating: 0, count: 10)
            var observed = [Double](repeating: 0, count: 10)
            for i in explore {
                let bin = min(Int(predictions[i] * 10), 9)
                let w = 1 / labelled[i].propensity
                weight[bin] += w
                predicted[bin] += w * predictions[i]
                observed[bin] += w * (labelled[i].defaulted == true ? 1 : 0)
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
