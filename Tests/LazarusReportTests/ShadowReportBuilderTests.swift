import Foundation
import LazarusCore
import LazarusSimulation
import Testing

@testable import LazarusReport

@Suite("Shadow report numbers")
struct ShadowReportBuilderTests {
    /// A 40-day simulated experiment, read as the report would read it.
    static let run = try! ExperimentSimulator(
        settings: SimulationSettings(applications: 40_000, days: 40, seed: 3, policy: PolicySettings())
    ).run()

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

    static let period = try! ReportPeriod(from: "2026-10-26", to: "2026-11-01")
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
        #expect(abs(Self.built.report.headline.explorationCost - losses) < 1e-6)
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
        #expect(k.labelledLoans == Self.run.outcomes.filter { $0.observedAt < Self.period.end }.count)
    }

    @Test("the panel figure is good loans found × LTV − exploration losses")
    func panelFigure() {
        let h = Self.built.report.headline
        #expect(abs(h.panelLift - (Double(h.goodLoansFound) * 500 - h.explorationCost)) < 1e-9)
    }

    @Test("revenue unlocked is the weighted sum over explore loans V2 takes in, judged cross-fitted")
    func revenueUnlocked() throws {
        let history = Self.history(end: Self.period.end)
        let labelled = history.loans.filter { $0.approved && $0.defaulted != nil }
        let x = try DesignMatrix(names: LoanHistory.featureNames, rows: labelled.map(\.features))
        let y = labelled.map { $0.defaulted == true ? 1.0 : 0 }
        let weights = labelled.map { 1 / $0.propensity }
        let folds = labelled.map { CrossFitting.fold(of: $0.id, folds: 5) }
        let cross = try CrossFitting.outOfFoldProbabilities(
            x, y, weights: weights, folds: folds, regression: LogisticRegression())
        let v2 = try LogisticRegression().fit(x, y, weights: weights).model
        // Volume parity: V2's cut-off approves production's share of the window's eligible applicants.
        let eligible = history.loans.filter { $0.decidedAt >= Self.period.start && $0.variant != .compliance }
        let share = Double(eligible.filter { $0.score > 0.5 }.count) / Double(eligible.count)
        let risks = eligible.map { v2.probability($0.features) }.sorted()
        let cutoff = risks[Int((share * Double(risks.count)).rounded()) - 1]
        var total = 0.0
        var n = 0
        for (i, loan) in labelled.enumerated()
        where loan.variant == .explore && loan.score <= 0.5 && cross[i] <= cutoff {
            total += (loan.defaulted == true ? -loan.loss : 500) / loan.propensity
            n += 1
        }
        let toDate = Self.built.report.headlineToDate
        #expect(toDate.samples == n)
        #expect(abs(toDate.revenueUnlocked - total) < 1e-6)
        #expect(
            toDate.revenueUnlockedLow < toDate.revenueUnlocked && toDate.revenueUnlocked < toDate.revenueUnlockedHigh)
    }

    @Test("V1 and V2 are compared at production's approval rate, with gates and coefficients")
    func models() {
        let report = Self.built.report
        #expect(report.models.map(\.name) == ["Production", "V1 (standard)", "V2 (causal, IPW)"])
        #expect(Set(report.models.map(\.approvalRate)).count == 1)
        #expect(report.models[1].gates.count == 4 && report.models[2].gates.count == 4)
        #expect(report.coefficients.map(\.feature) == ["intercept"] + LoanHistory.featureNames)
        #expect(report.boundary != nil)
        #expect(!report.burnDown.isEmpty)
    }

    @Test("thin data gives a short, valid report that says what is missing, never NaN")
    func thinData() throws {
        let empty = LoanHistory(loans: [], ledger: [])
        let period = try ReportPeriod(isoWeek: "2026-W47")
        let report = ShadowReportBuilder(period: period, policy: try PolicySettings(), lifetimeValue: 500).build(empty)
            .report
        #expect(report.models.count == 1)
        #expect(!report.headline.conclusive)
        #expect(report.notes.contains { $0.contains("No applications") })
        #expect(report.notes.contains { $0.contains("pending") })
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
        #expect(allPending.pair == nil)
        _ = try JSONEncoder().encode(allPending.report)
    }
}
