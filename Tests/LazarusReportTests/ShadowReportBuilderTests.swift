import Foundation
import LazarusCore
import LazarusSimulation
import Testing

@testable import LazarusReport

@Suite("Shadow report numbers")
struct ShadowReportBuilderTests {
    /// A 60-day simulated experiment, read as the report would read it.
    static let settings = try! SimulationSettings(applications: 40_000, days: 60, seed: 3, policy: PolicySettings())
    static let run = try! ExperimentSimulator(settings: settings).run()

    static func history(end: Timestamp) -> LoanHistory {
        let outcomes = Dictionary(uniqueKeysWithValues: run.outcomes.map { ($0.applicationID, $0) })
        let loans = run.decisions.filter { $0.decidedAt < end }.compactMap { row -> LoanHistory.Loan? in
            guard var loan = LoanHistory.validate(row) else { return nil }
            if let outcome = outcomes[row.applicationID], outcome.observedAt < end {
                loan.observedAt = outcome.observedAt
                loan.defaulted = outcome.defaulted
                loan.loss = outcome.defaulted == true ? outcome.lossAmount ?? 0 : 0
            }
            return loan
        }
        return LoanHistory(loans: loans, ledger: run.ledger.filter { $0.at < end })
    }

    static let period = try! ReportPeriod(isoWeek: "2026-W47")
    /// T − W: the last decision instant that is mature at the report's end.
    static let matureThrough = period.end.adding(microseconds: -42 * Timestamp.microsecondsPerDay)
    static let built = ShadowReportBuilder(period: period, policy: try! PolicySettings(), lifetimeValue: 500)
        .build(history(end: period.end))

    @Test("key figures agree with a direct count of the simulated tables")
    func keyFigures() throws {
        let k = Self.built.report.keyFigures
        let decisions = Dictionary(uniqueKeysWithValues: Self.run.decisions.map { ($0.applicationID, $0) })
        let window = Self.run.decisions.filter { $0.decidedAt >= Self.period.start && $0.decidedAt < Self.period.end }
        #expect(k.decisions == window.count)
        #expect(k.exploreLoans == window.filter { $0.variant == "explore" }.count)
        let exploreOutcomesInWindow = Self.run.outcomes.filter {
            $0.observedAt >= Self.period.start && $0.observedAt < Self.period.end
                && decisions[$0.applicationID]?.variant == "explore"
        }
        #expect(k.exploreDefaults == exploreOutcomesInWindow.filter { $0.defaulted == true }.count)
        let losses = exploreOutcomesInWindow.reduce(0) { $0 + ($1.lossAmount ?? 0) }
        #expect(abs(k.exploreLossesInWindow - losses) < 1e-6)
        #expect(abs(Self.built.report.exploration.budgetLossesDollars - losses) < 1e-6)
        // The budget by the design's rule, replayed from the ledger and the outcomes.
        let lastReset = Self.run.ledger.filter { $0.at < Self.period.end && $0.kind == "reset" }.last!.at
        let granted = Self.run.ledger.filter { $0.at >= lastReset && $0.at < Self.period.end && $0.kind == "grant" }
            .reduce(0) { $0 + $1.amount }
        let spent = Self.run.outcomes.filter {
            $0.observedAt >= lastReset && $0.observedAt < Self.period.end
                && decisions[$0.applicationID]?.variant == "explore"
        }.reduce(0) { $0 + ($1.lossAmount ?? 0) }
        #expect(k.budgetGranted == granted)
        #expect(abs(k.budgetSpent - spent) < 1e-6)
        // Labelled means matured: decided at least the performance window before the end.
        let matured = Self.run.outcomes.filter {
            $0.observedAt < Self.period.end && decisions[$0.applicationID]!.decidedAt <= Self.matureThrough
        }
        #expect(k.labelledLoans == matured.count)
        #expect(Self.built.report.cohort.labelledLoans == matured.count)
        #expect(Self.built.evaluation?.trainingLoans[1] == matured.count)
        #expect(Self.built.report.cohort.to == Self.matureThrough.iso8601)
        #expect(Self.built.report.cohort.missingOutcomes == 0)
    }

    @Test("the cost of exploration splits the budget's losses by whether production would have approved anyway")
    func explorationCost() {
        let decisions = Dictionary(uniqueKeysWithValues: Self.run.decisions.map { ($0.applicationID, $0) })
        let observed = Self.run.outcomes.filter {
            $0.observedAt >= Self.period.start && $0.observedAt < Self.period.end
                && decisions[$0.applicationID]?.variant == "explore"
        }
        let incremental = observed.filter { decisions[$0.applicationID]!.propensity! < 1 }
        let losses = incremental.reduce(0) { $0 + ($1.lossAmount ?? 0) }
        let repaid = incremental.filter { $0.defaulted == false }.count
        let e = Self.built.report.exploration
        #expect(e.incrementalLoans == incremental.count)
        #expect(abs(e.incrementalLossesDollars - losses) < 1e-6)
        #expect(abs(e.incrementalNetPnlDollars - (Double(repaid) * 500 - losses)) < 1e-6)
        let window = Self.run.decisions.filter {
            $0.decidedAt >= Self.period.start && $0.decidedAt < Self.period.end && $0.variant != "compliance"
        }
        #expect(e.realisedRate == Double(window.filter { $0.variant == "explore" }.count) / Double(window.count))
        #expect(e.epsilon == 0.01)
    }

    @Test("the panel figure is good loans found × LTV − exploration losses")
    func panelFigure() {
        let h = Self.built.report.headline
        #expect(abs(h.panelLift - (Double(h.goodLoansFound) * 500 - h.explorationCost)) < 1e-9)
    }

    @Test("the headline is Δ(V2, V0) per week: recomputed from the evaluation's own decisions")
    func headlineRecomputed() throws {
        let result = Self.built
        let evaluation = try #require(result.evaluation)
        var total = 0.0
        for (i, applicant) in result.cohort.enumerated() {
            let sign = (evaluation.approves[2][i] ? 1.0 : 0) - (evaluation.approves[0][i] ? 1.0 : 0)
            guard sign != 0, applicant.propensity > 0 else { continue }
            let m = evaluation.predictedReward[i]
            let r = applicant.defaulted == true ? -applicant.loss : 500
            total += sign * (m + (applicant.labelled ? (r - m) / applicant.propensity : 0))
        }
        let value = result.report.valueOfExploration
        let perWeek = try #require(value.perWeekDollars)
        #expect(abs(perWeek - total * 7 / result.report.cohort.days) < 1e-6 * max(1, abs(perWeek)))
        #expect(value.low! < perWeek && perWeek < value.high!)
        #expect(value.conclusive == (value.low! > 0 || value.high! < 0))
    }

    @Test("the estimates are checked against the simulator's ground truth, with the report's own policies")
    func groundTruth() throws {
        let result = Self.built
        let evaluation = try #require(result.evaluation)
        let truth = Dictionary(
            uniqueKeysWithValues: ExperimentSimulator(settings: Self.settings).truth().map { ($0.applicationID, $0) })
        func trueValue(_ a: [Bool], _ b: [Bool]) -> Double {
            var total = 0.0
            for (i, applicant) in result.cohort.enumerated() where applicant.propensity > 0 || a[i] == b[i] {
                let t = truth[applicant.id]!
                total += ((a[i] ? 1.0 : 0) - (b[i] ? 1.0 : 0)) * (t.wouldDefault ? -t.lossIfDefault : 500)
            }
            return total * 7 / result.report.cohort.days
        }
        let exploration = trueValue(evaluation.approves[2], evaluation.approves[0])
        let switching = trueValue(evaluation.approves[2], evaluation.productionApproves)
        let voe = result.report.valueOfExploration
        let vos = result.report.valueOfSwitching
        #expect(voe.low! <= exploration && exploration <= voe.high!, "truth \(exploration), \(voe)")
        #expect(vos.low! <= switching && switching <= vos.high!, "truth \(switching), \(vos)")
        // The approved loans' potential outcomes are the ones the simulator realised.
        for outcome in Self.run.outcomes.prefix(500) {
            #expect(truth[outcome.applicationID]!.wouldDefault == outcome.defaulted)
        }
    }

    @Test("production, V0, V1 and V2 are compared at production's approval volume, with gates and coefficients")
    func models() throws {
        let report = Self.built.report
        #expect(
            report.models.map(\.name) == ["Production", "V0 (baseline)", "V1 (standard)", "V2 (causal, IPW)"])
        for model in report.models { #expect(abs(model.approvalRate - report.models[0].approvalRate) < 0.001) }
        #expect(report.models.dropFirst().allSatisfy { $0.gates.count == 6 })
        #expect(report.coefficients.map(\.feature) == ["intercept"] + LoanHistory.featureNames)
        #expect(report.boundary != nil)
        #expect(!report.burnDown.isEmpty)
        #expect(report.offPolicy.map(\.name) == ["production", "v0", "v1", "v2"])
        #expect(report.modelsByName.v0?.spec?.kind == "baseline")
        #expect(report.modelsByName.v2?.spec?.labelsObservedBefore == Self.period.end.iso8601)
        let v0 = try #require(Self.built.evaluation).trainingLoans[0]
        #expect(v0 == report.cohort.labelledLoans - report.cohort.incrementalExploreLoans)
    }

    @Test("thin data gives a short, valid report that says what is missing, never NaN")
    func thinData() throws {
        let empty = LoanHistory(loans: [], ledger: [])
        let period = try ReportPeriod(isoWeek: "2026-W47")
        let report = ShadowReportBuilder(period: period, policy: try PolicySettings(), lifetimeValue: 500).build(empty)
            .report
        #expect(report.models.count == 1)
        #expect(!report.headline.conclusive)
        #expect(!report.valueOfExploration.conclusive && report.valueOfExploration.perWeekDollars == nil)
        #expect(report.notes.contains { $0.contains("No applications") })
        #expect(report.notes.contains { $0.contains("No decision is mature yet") })
        // JSONEncoder refuses NaN and infinities: encoding proves there are none.
        _ = try JSONEncoder().encode(report)

        // Every approved loan still pending: nothing to train on.
        let pending = Self.history(end: Self.period.end).loans.map { loan -> LoanHistory.Loan in
            var copy = loan
            copy.defaulted = nil
            copy.observedAt = nil
            return copy
        }
        let allPending = ShadowReportBuilder(period: Self.period, policy: try PolicySettings(), lifetimeValue: 500)
            .build(LoanHistory(loans: pending, ledger: []))
        #expect(allPending.evaluation == nil)
        #expect(allPending.report.notes.contains { $0.contains("No matured loan has a known outcome") })
        #expect(allPending.report.cohort.missingOutcomes > 0)
        _ = try JSONEncoder().encode(allPending.report)
    }
}
