import Foundation
import LazarusCore
import LazarusMetrics
import LazarusSimulation
import LazarusTestSupport
import Testing

@testable import LazarusExporter
@testable import LazarusStore

@Suite("Rows dated after the reader's clock")
struct FutureRowsTests {
    static let hour: Int64 = 3_600_000_000

    static func value(_ families: [MetricFamily], _ name: String, _ labels: [String] = []) -> Double? {
        families.first { $0.name == name }?.samples.first { $0.labels.map(\.1) == labels }?.value
    }

    /// Every family but the invalid-row counts, which are the one thing future rows may change.
    static func facts(_ families: [MetricFamily]) -> [MetricFamily] {
        families.filter { $0.name != "lazarus_invalid_rows" }
    }

    @Test(
        "a future row is counted as future_timestamp, acts only when it falls due, and cold starts agree",
        arguments: Backend.available)
    func heldUntilDue(backend: Backend) throws {
        let (scratch, run) = try ExperimentStateStoreTests.simulatedStore(
            backend, applications: 3_000, days: 10, seed: 3)
        let t0 = TestClock.start
        var state = ExperimentState(riskThreshold: 0.5, lifetimeValue: 500)
        try state.refresh(from: .store(scratch.store), now: t0)
        let before = state.aggregate.families(ExperimentStateStoreTests.status)

        // An explore loan decided an hour from now that defaults a day later, a grant an hour from now and a
        // reset dated 2030: none of it has happened yet.
        let clock = Timestamp(microseconds: Int64(t0 * 1e6))
        var loan = run.decisions.first { $0.variant == "explore" && $0.approved == true }!
        (loan.applicationID, loan.decidedAt, loan.loanAmount) = (
            "from-the-future", clock.adding(microseconds: Self.hour), 900
        )
        try scratch.store.insertDecisions([loan])
        try scratch.store.insertOutcomes([
            OutcomeRow(
                applicationID: loan.applicationID, observedAt: loan.decidedAt.adding(microseconds: 24 * Self.hour),
                defaulted: true, lossAmount: 250)
        ])
        try scratch.store.appendLedger([
            LedgerEntry(at: clock.adding(microseconds: Self.hour), kind: .grant, amount: 5_000),
            LedgerEntry(at: Timestamp(year: 2030, month: 1, day: 1)!, kind: .reset, amount: 0),
        ])
        func expectFuture(_ families: [MetricFamily], _ counts: [Double], _ what: String) {
            for (table, count) in zip(["lazarus_decisions", "lazarus_outcomes", "lazarus_budget_ledger"], counts) {
                #expect(
                    Self.value(families, "lazarus_invalid_rows", [table, "future_timestamp"]) == count,
                    "\(what): \(table)")
            }
        }
        try state.refresh(from: .store(scratch.store), now: t0 + 1)
        let held = state.aggregate.families(ExperimentStateStoreTests.status)
        ExperimentStateStoreTests.expectSame(Self.facts(held), Self.facts(before), "nothing acted on yet")
        expectFuture(held, [1, 1, 2], "held")
        var cold = ExperimentState(riskThreshold: 0.5, lifetimeValue: 500)
        try cold.refresh(from: .store(scratch.store), now: t0 + 1)
        ExperimentStateStoreTests.expectSame(
            cold.aggregate.families(ExperimentStateStoreTests.status), held, "cold start while held")

        // Two hours on, the loan and the grant are due; the loss, observed a day after the loan, is not.
        try state.refresh(from: .store(scratch.store), now: t0 + 2 * 3600)
        let decided = state.aggregate.families(ExperimentStateStoreTests.status)
        expectFuture(decided, [0, 1, 1], "decided")
        let granted = { (f: [MetricFamily]) in Self.value(f, "lazarus_loss_budget_granted_dollars") ?? .nan }
        #expect(granted(decided) == granted(before) + 5_000)
        #expect(
            Self.value(decided, "lazarus_last_decision_timestamp_seconds") == loan.decidedAt.secondsSinceEpoch)

        // A day and two hours on, the loss counts too; the 2030 reset still waits.
        let later = t0 + 26 * 3600
        try state.refresh(from: .store(scratch.store), now: later)
        let observed = state.aggregate.families(ExperimentStateStoreTests.status)
        expectFuture(observed, [0, 0, 1], "observed")
        let losses = { (f: [MetricFamily]) in Self.value(f, "lazarus_exploration_losses_dollars_total") ?? .nan }
        #expect(losses(observed) == losses(before) + 250)
        cold = ExperimentState(riskThreshold: 0.5, lifetimeValue: 500)
        try cold.refresh(from: .store(scratch.store), now: later)
        ExperimentStateStoreTests.expectSame(
            cold.aggregate.families(ExperimentStateStoreTests.status), observed, "cold start once due")
    }
}
