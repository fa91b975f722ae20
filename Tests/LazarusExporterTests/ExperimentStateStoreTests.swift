import Foundation
import LazarusCore
import LazarusMetrics
import LazarusSimulation
import LazarusTestSupport
import Testing

@testable import LazarusExporter
@testable import LazarusStore

@Suite("Exporter state against real stores")
struct ExperimentStateStoreTests {
    static let status = RefreshStatus(up: true, lastRefresh: 1, duration: 0)

    /// A simulated experiment with rows that break the contract mixed in.
    static func dirtyExperiment(seed: UInt64) throws -> (decisions: [DecisionRow], outcomes: [OutcomeRow]) {
        let run = try ExperimentSimulator(
            settings: SimulationSettings(applications: 12_000, days: 30, seed: seed, policy: PolicySettings())
        ).run()
        var decisions = run.decisions
        var outcomes = run.outcomes
        var generator = SplitMix64(seed: seed)
        for index in decisions.indices where generator.next() % 40 == 0 {
            switch generator.next() % 15 {
            case 0: decisions[index].propensity = nil
            case 1: decisions[index].propensity = 1.5
            case 2: decisions[index].variant = "mystery"
            case 3: decisions[index].propensity = -0.2
            case 4: decisions[index].score = .nan
            case 5: decisions[index].loanAmount = .nan
            case 6: decisions[index].reason = "GUT_FEELING"
            case 7: decisions[index].features.annualIncome = -5  // valid, but not sampled
            case 8: (decisions[index].approved, decisions[index].propensity) = (true, 0)
            case 9: decisions[index].score = 1.3
            case 10: decisions[index].propensity = 1e-200  // its square underflows: 1/p² would be infinite
            case 11: decisions[index].loanAmount = .infinity
            case 12: decisions[index].approved?.toggle()  // the approval contradicts the reason
            case 13: decisions[index].variant = decisions[index].variant == "compliance" ? "exploit" : "compliance"
            default: decisions[index].loanAmount = -1
            }
        }
        for index in outcomes.indices where generator.next() % 60 == 0 {
            switch generator.next() % 5 {
            case 0: outcomes[index].lossAmount = -3
            case 1: outcomes[index].lossAmount = .nan
            case 2: outcomes[index].observedAt = Timestamp(seconds: 0)  // before its decision
            case 3: (outcomes[index].defaulted, outcomes[index].lossAmount) = (false, 50)  // repaid, with a loss
            default: (outcomes[index].defaulted, outcomes[index].lossAmount) = (true, 5e8)  // more than the loan
            }
        }
        // An invalid row far outside the data's days: it must not move the PSI windows.
        var ancient = decisions[0]
        (ancient.applicationID, ancient.decidedAt, ancient.variant) = ("ancient", Timestamp(seconds: 0), "mystery")
        decisions.append(ancient)
        let at = decisions[0].decidedAt
        outcomes.append(OutcomeRow(applicationID: "nobody", observedAt: at, defaulted: true, lossAmount: 9))
        outcomes.append(OutcomeRow(applicationID: "nobody-2", observedAt: at, defaulted: nil, lossAmount: 0))
        let rejected = decisions.first { $0.approved == false }!.applicationID
        outcomes.append(OutcomeRow(applicationID: rejected, observedAt: at, defaulted: false, lossAmount: 0))
        // Valid rows dated after the reader's clock: held, counted as future_timestamp, never summed.
        let explore = decisions.first { $0.variant == "explore" && $0.approved == true && $0.defect == nil }!
        let soon = Timestamp(microseconds: Int64(TestClock.start * 1e6)).adding(microseconds: 3_600_000_000)
        for (id, decided) in [("future-soon", soon), ("future-far", Timestamp(year: 2031, month: 5, day: 1)!)] {
            var row = explore
            (row.applicationID, row.decidedAt) = (id, decided)
            decisions.append(row)
            outcomes.append(
                OutcomeRow(
                    applicationID: id, observedAt: decided.adding(microseconds: 86_400_000_000), defaulted: true,
                    lossAmount: 40))
        }
        var late = outcomes.first { $0.applicationID == explore.applicationID }!
        late.applicationID = "future-observed"
        var lateDecision = explore
        lateDecision.applicationID = late.applicationID
        late.observedAt = soon  // a past decision whose outcome is dated after the clock
        decisions.append(lateDecision)
        outcomes.append(late)
        return (decisions, outcomes)
    }

    /// A scratch store holding one simulated experiment, with the experiment.
    static func simulatedStore(
        _ backend: Backend, applications: Int, days: Int, seed: UInt64
    ) throws -> (
        ScratchStore, SimulatedExperiment
    ) {
        let scratch = try ScratchStore(backend, migrated: true)
        let run = try ExperimentSimulator(
            settings: SimulationSettings(applications: applications, days: days, seed: seed, policy: PolicySettings())
        ).run()
        try scratch.store.writeExperiment(
            decisions: run.decisions, outcomes: run.outcomes, ledger: run.ledger, mode: .new)
        return (scratch, run)
    }

    /// Every family, compared sample by sample with a relative tolerance (sums run in another order).
    static func expectSame(_ a: [MetricFamily], _ b: [MetricFamily], _ what: String) {
        #expect(a.map(\.name) == b.map(\.name), "\(what)")
        for (x, y) in zip(a, b) where x.name != "lazarus_refresh_duration_seconds" {
            #expect(x.samples.count == y.samples.count, "\(what): \(x.name)")
            for (s, t) in zip(x.samples, y.samples) {
                #expect(s.labels.map { "\($0.0)=\($0.1)" } == t.labels.map { "\($0.0)=\($0.1)" }, "\(what): \(x.name)")
                #expect(
                    abs(s.value - t.value) <= 1e-9 * max(1, abs(t.value)),
                    "\(what): \(x.name) \(s.labels) \(s.value) vs \(t.value)")
            }
        }
    }

    /// Row by row from the store's own streams: no SQL aggregation involved.
    static func rowByRow(_ store: any Store) throws -> [MetricFamily] {
        var aggregate = ExperimentAggregate(
            riskThreshold: 0.5, lifetimeValue: 500, samplePerDay: 60,
            horizon: .horizon(readerClock: TestClock.start))
        try store.streamDecisions(.all, sequenced: { aggregate.ingest($0, sequence: $1) })
        try store.streamOutcomeMatches(.all) { row, decision, _ in aggregate.ingest(row, decision: decision) }
        aggregate.setLedger(try store.ledger())
        return aggregate.families(status)
    }

    @Test(
        "incremental refreshes after many random appends equal a cold start and a row-by-row recompute",
        arguments: Backend.available)
    func incrementalEqualsFull(backend: Backend) throws {
        let scratch = try ScratchStore(backend, migrated: true)
        let store = scratch.store
        let (decisions, outcomes) = try Self.dirtyExperiment(seed: 21)
        var generator = SplitMix64(seed: 5)
        // Random batches; an outcome is written in a batch at or after its decision's, except that one
        // in ten comes first (written by a faster transaction) and must wait for its decision.
        let batches = 25
        var decisionBatch: [String: Int] = [:]
        var plan = Array(repeating: (decisions: [DecisionRow](), outcomes: [OutcomeRow]()), count: batches)
        for row in decisions {
            let batch = Int(generator.next() % UInt64(batches))
            decisionBatch[row.applicationID] = batch
            plan[batch].decisions.append(row)
        }
        for row in outcomes {
            let base = decisionBatch[row.applicationID] ?? 0
            let early = generator.next() % 10 == 0 && base > 0
            let batch = early ? base - 1 : base + Int(generator.next() % UInt64(batches - base))
            plan[batch].outcomes.append(row)
        }
        // Few applicants kept per day, so that the sampling hash decides which.
        var state = ExperimentState(riskThreshold: 0.5, lifetimeValue: 500, samplePerDay: 60)
        for (index, batch) in plan.enumerated() {
            try store.insertDecisions(batch.decisions)
            try store.insertOutcomes(batch.outcomes)
            let counts = try state.refresh(from: .store(store), now: TestClock.start + Double(index))
            #expect(counts.coldStart == (index == 0))
            #expect(!counts.rebuilt, "rows read must match the tables' counts, or every refresh rebuilds")
        }
        // What another program could write that the store API cannot: SQLite's integer booleans other than
        // 0 and 1, a time with a space for the T; PostgreSQL's NaN.
        let day = decisions[decisions.count / 2].decidedAt.iso8601.prefix(10)
        let odd =
            backend == .sqlite
            ? """
            INSERT INTO lazarus_decisions (application_id, decided_at, variant, approved, reason, propensity, score)
            VALUES ('odd-1', '\(day)T10:00:00.000000Z', 'exploit', 2, 'MODEL_QUALIFIED', 0, 0.7),
                ('odd-2', '\(day) 11:00:00', 'exploit', 1, 'MODEL_QUALIFIED', 1, 0.8),
                ('odd-3', 'soon', 'exploit', 1, 'MODEL_QUALIFIED', 1, 0.8),
                ('odd-4', '\(day)T12:00:00.000000Z', 'exploit', 1, 'MODEL_QUALIFIED', 'n/a', 0.8),
                ('odd-5', '\(day)T13:00:00.000000Z', 'exploit', 0.5, 'MODEL_QUALIFIED', 1, 0.8),
                ('odd-6', '\(day)T14:00:00.000000Z', 'explore', 1, 'PROJECT_LAZARUS_EXPLORE', 0.01, x'00');
            INSERT INTO lazarus_decisions (application_id, decided_at, variant, approved, reason, propensity, score,
                age, annual_income, debt_to_income, credit_score, credit_history_months)
            VALUES ('odd-7', '\(day)T15:00:00.000000Z', 'exploit', 1, 'MODEL_QUALIFIED', 1, 0.8,
                30.5, 50000, 0.2, 700, 24);
            INSERT INTO lazarus_outcomes (application_id, observed_at, defaulted, loss_amount)
            VALUES ('odd-2', 'later', 0, 0), ('odd-7', '\(day)T16:00:00.000000Z', 1, 'lots');
            INSERT INTO lazarus_decisions (application_id, decided_at, variant, approved, reason, propensity, score)
            VALUES ('odd-8', '\(day.prefix(4))-02-30T10:00:00.000000Z', 'exploit', 1, 'MODEL_QUALIFIED', 1, 0.8),
                ('odd-9', '\(day)T17:00:00.000000Z', 'exploit', 1, 'MODEL_QUALIFIED', 1, 0.8),
                ('odd-10', '\(day)T24:00:00.000000Z', 'exploit', 1, 'MODEL_QUALIFIED', 1, 0.8);
            INSERT INTO lazarus_outcomes (application_id, observed_at, defaulted, loss_amount)
            VALUES ('odd-9', '\(day)T18:00:00.000000Z', 'yes', 0);
            """
            : """
            INSERT INTO lazarus_decisions (application_id, decided_at, variant, approved, reason, propensity, score)
            VALUES ('odd-1', '\(day)T10:00:00Z', 'exploit', true, 'MODEL_QUALIFIED', 'NaN', 0.7),
                ('odd-2', '\(day)T11:00:00Z', 'exploit', true, 'MODEL_QUALIFIED', 1, 'NaN'),
                ('odd-3', 'infinity', 'exploit', true, 'MODEL_QUALIFIED', 1, 0.8),
                ('odd-4', '-infinity', 'explore', true, 'PROJECT_LAZARUS_EXPLORE', 0.01, 0.2),
                ('odd-5', '0001-01-01T00:00:00Z', 'exploit', true, 'MODEL_QUALIFIED', 1, 0.8),
                ('odd-6', '\(day)T12:00:00Z', 'exploit', true, 'MODEL_QUALIFIED', 1, 0.8);
            INSERT INTO lazarus_outcomes (application_id, observed_at, defaulted, loss_amount)
            VALUES ('odd-6', 'infinity', false, 0);
            """
        try scratch.raw(odd)
        try state.refresh(from: .store(store), now: TestClock.start + Double(batches))
        var cold = ExperimentState(riskThreshold: 0.5, lifetimeValue: 500, samplePerDay: 60)
        try cold.refresh(from: .store(store), now: TestClock.start)
        let incremental = state.aggregate.families(Self.status)
        Self.expectSame(incremental, cold.aggregate.families(Self.status), "incremental vs cold start")
        Self.expectSame(cold.aggregate.families(Self.status), try Self.rowByRow(store), "cold start vs row by row")
        #expect(state.heldSequences == 0)
        // The dirty rows are there and counted, so the comparison covered them.
        let text = Exposition.render(incremental)
        for reason in [
            "unknown_application", "rejected_application", "null_field", "observed_before_decision",
            "repaid_with_loss", "loss_exceeds_loan",
        ] {
            #expect(!text.contains(#"lazarus_invalid_rows{table="lazarus_outcomes",reason="\#(reason)"} 0"#))
        }
        #expect(!text.contains(#"reason="propensity_out_of_range"} 0"#))
        #expect(!text.contains(#"reason="score_out_of_range"} 0"#))
        #expect(!text.contains(#"reason="non_finite"} 0"#))
        #expect(!text.contains(#"reason="inconsistent_decision"} 0"#))
        #expect(text.contains(#"lazarus_invalid_rows{table="lazarus_decisions",reason="future_timestamp"} 2"#))
        #expect(text.contains(#"lazarus_invalid_rows{table="lazarus_outcomes",reason="future_timestamp"} 3"#))
        #expect(!text.contains("lazarus_last_decision_timestamp_seconds 1935"), "a decision dated 2031 is not now")
        // Rows another program wrote with times that are no instant, or values of the wrong type, are counted
        // and skipped; they no longer stop every refresh at that row.
        for table in ["lazarus_decisions", "lazarus_outcomes"] {
            let bad = incremental.first { $0.name == "lazarus_invalid_rows" }?.samples.first {
                $0.labels.map(\.1) == [table, "bad_timestamp"]
            }
            #expect((bad?.value ?? 0) > 0, "\(table)")
        }
        let psi = incremental.first { $0.name == "lazarus_feature_psi" }?.samples ?? []
        #expect(psi.count == 5, "an invalid row dated 1970 must not empty the PSI windows")
        #expect(psi.allSatisfy { $0.value < 0.1 }, "the same population: no shift")
        #expect(!text.contains(#"lazarus_ipw_weight_max 1\n"#), "explore loans to rejected applicants were covered")
    }

    @Test("the metrics agree with an independent SQL recomputation", arguments: Backend.available)
    func againstSQL(backend: Backend) throws {
        let (scratch, _) = try Self.simulatedStore(backend, applications: 30_000, days: 40, seed: 8)
        var state = ExperimentState(riskThreshold: 0.5, lifetimeValue: 500)
        try state.refresh(from: .store(scratch.store), now: TestClock.start)
        let families = state.aggregate.families(Self.status)
        func metric(_ name: String, _ labels: [String: String] = [:]) -> Double? {
            families.first { $0.name == name }?.samples.first { sample in
                labels.allSatisfy { key, value in sample.labels.contains { $0.0 == key && $0.1 == value } }
            }?.value
        }
        let yes = backend == .postgres ? "true" : "1"
        let join = "lazarus_outcomes o JOIN lazarus_decisions d ON d.application_id = o.application_id"
        let checks: [(String, [String: String], String)] = [
            (
                "lazarus_decisions_total", ["variant": "exploit", "reason": "MODEL_QUALIFIED"],
                "SELECT count(*) FROM lazarus_decisions WHERE variant = 'exploit' AND reason = 'MODEL_QUALIFIED'"
            ),
            (
                "lazarus_decisions_total", ["variant": "explore", "reason": "PROJECT_LAZARUS_EXPLORE"],
                "SELECT count(*) FROM lazarus_decisions WHERE variant = 'explore'"
            ),
            (
                "lazarus_outcomes_total", ["variant": "exploit", "outcome": "defaulted"],
                "SELECT count(*) FROM \(join) WHERE d.variant = 'exploit' AND o.defaulted = \(yes)"
            ),
            (
                "lazarus_outcomes_pending", ["variant": "explore"],
                """
                SELECT count(*) FROM lazarus_decisions d WHERE d.variant = 'explore' AND d.approved = \(yes)
                AND NOT EXISTS (SELECT 1 FROM lazarus_outcomes o WHERE o.application_id = d.application_id)
                """
            ),
            (
                "lazarus_exploration_losses_dollars_total", [:],
                "SELECT coalesce(sum(o.loss_amount), 0) FROM \(join) WHERE d.variant = 'explore'"
            ),
            (
                "lazarus_exploration_exposure_dollars", [:],
                """
                SELECT coalesce(sum(d.loan_amount), 0) FROM lazarus_decisions d WHERE d.variant = 'explore'
                AND NOT EXISTS (SELECT 1 FROM lazarus_outcomes o WHERE o.application_id = d.application_id)
                """
            ),
            (
                "lazarus_good_loans_found_total", [:],
                "SELECT count(*) FROM \(join) WHERE d.variant = 'explore' AND d.score <= 0.5 AND o.defaulted <> \(yes)"
            ),
            (
                "lazarus_explore_rate", [:],
                """
                SELECT 1.0 * sum(CASE WHEN variant = 'explore' THEN 1 ELSE 0 END) / count(*)
                FROM lazarus_decisions WHERE variant <> 'compliance'
                """
            ),
            (
                "lazarus_ipw_weight_max", [:], "SELECT max(1 / d.propensity) FROM \(join)"
            ),
            (
                "lazarus_ipw_effective_sample_size", [:],
                "SELECT sum(1 / d.propensity) * sum(1 / d.propensity) / sum(1 / (d.propensity * d.propensity)) FROM \(join)"
            ),
        ]
        for (name, labels, sql) in checks {
            let expected = try scratch.number(sql)
            let actual = try #require(metric(name, labels), "\(name)")
            #expect(
                abs(actual - expected) <= 1e-9 * max(1, abs(expected)), "\(name) \(labels): \(actual) vs \(expected)")
        }
        #expect(try scratch.number("SELECT count(*) FROM \(join) WHERE d.variant = 'explore'") > 100)
    }

    @Test(
        "an outcome rewritten with INSERT OR REPLACE, a deleted row or another file in place is a rebuild, not counted twice"
    )
    func rewrittenRows() throws {
        let directory = try TemporaryDirectory()
        let path = directory.url.appendingPathComponent("s.sqlite").path
        let store = try openStore("sqlite:\(path)")
        try store.migrate()
        let run = try ExperimentSimulator(
            settings: SimulationSettings(applications: 3_000, days: 20, seed: 3, policy: PolicySettings())
        ).run()
        try store.insertDecisions(run.decisions)
        try store.insertOutcomes(run.outcomes)
        var state = ExperimentState(riskThreshold: 0.5, lifetimeValue: 500, samplePerDay: 60)
        try state.refresh(from: .store(store), now: TestClock.start)
        func fresh() throws -> [MetricFamily] {
            var cold = ExperimentState(riskThreshold: 0.5, lifetimeValue: 500, samplePerDay: 60)
            try cold.refresh(from: .store(try openStore("sqlite:\(path)")), now: TestClock.start)
            return cold.aggregate.families(Self.status)
        }
        let outcome = run.outcomes[0]
        try ScratchStore.raw(
            store,
            """
            INSERT OR REPLACE INTO lazarus_outcomes (application_id, observed_at, defaulted, loss_amount)
            VALUES ('\(outcome.applicationID)', '\(outcome.observedAt.iso8601)', \(outcome.defaulted == true ? 1 : 0), \(outcome.lossAmount ?? 0))
            """)
        var counts = try state.refresh(from: .store(store), now: TestClock.start + 1)
        #expect(counts.rebuilt)
        Self.expectSame(state.aggregate.families(Self.status), try fresh(), "after INSERT OR REPLACE")
        try ScratchStore.raw(
            store, "DELETE FROM lazarus_decisions WHERE application_id = '\(run.decisions[1].applicationID)'")
        counts = try state.refresh(from: .store(store), now: TestClock.start + 2)
        #expect(counts.rebuilt)
        Self.expectSame(state.aggregate.families(Self.status), try fresh(), "after a DELETE")
        counts = try state.refresh(from: .store(store), now: TestClock.start + 3)
        #expect(!counts.rebuilt && !counts.coldStart)
        // Another file moved into the store's place: the open connection still reads the old one, so it says so.
        let other = directory.url.appendingPathComponent("other.sqlite").path
        try openStore("sqlite:\(other)").migrate()
        #expect(rename(other, path) == 0)
        let replaced = #expect(throws: StoreError.self) {
            try state.refresh(from: .store(store), now: TestClock.start + 4)
        }
        #expect(replaced?.message.contains("was replaced") == true)
        // A store deleted under a running reader.
        let gone = directory.url.appendingPathComponent("gone.sqlite").path
        let goneStore = try openStore("sqlite:\(gone)")
        try goneStore.migrate()
        var goneState = ExperimentState(riskThreshold: 0.5, lifetimeValue: 500)
        try goneState.refresh(from: .store(goneStore), now: TestClock.start)
        unlink(gone)
        let deleted = #expect(throws: StoreError.self) {
            try goneState.refresh(from: .store(goneStore), now: TestClock.start + 1)
        }
        #expect(deleted?.message.contains("was deleted") == true, "\(deleted?.message ?? "")")
    }

    @Test(
        "a row whose transaction commits after a later one is counted once; a rolled-back value is stepped over",
        .enabled(if: Backend.postgresURL != nil))
    func outOfOrderCommit() throws {
        let scratch = try ScratchStore(.postgres, migrated: true)
        let slow = try scratch.secondConnection()
        let fast = try scratch.secondConnection()
        func insert(_ connection: any Store, _ id: String) throws {
            try ScratchStore.raw(
                connection,
                """
                INSERT INTO lazarus_decisions (application_id, decided_at, variant, approved, reason, propensity, score)
                VALUES ('\(id)', now(), 'exploit', true, 'MODEL_QUALIFIED', 1, 0.9)
                """)
        }
        var state = ExperimentState(riskThreshold: 0.5, lifetimeValue: 500)
        try state.refresh(from: .store(scratch.store), now: TestClock.start)  // cold start on empty tables
        func approved() -> Double? {
            state.aggregate.families(Self.status).first { $0.name == "lazarus_decisions_total" }?.samples.first {
                $0.labels.contains { $0.1 == "MODEL_QUALIFIED" }
            }?.value
        }
        // The table's very first value commits after the second: the floor must not start above it.
        try ScratchStore.raw(slow, "BEGIN")
        try insert(slow, "very-first")
        try insert(fast, "first")
        try state.refresh(from: .store(scratch.store), now: TestClock.start + 0.5)
        #expect(approved() == 1)
        try ScratchStore.raw(slow, "COMMIT")
        try ScratchStore.raw(slow, "BEGIN")
        try insert(slow, "slow")  // takes the next identity value, commits last
        try insert(fast, "after")
        try state.refresh(from: .store(scratch.store), now: TestClock.start + 1)
        #expect(approved() == 3)
        #expect(state.heldSequences == 1)  // "after", above the open gap
        try ScratchStore.raw(slow, "COMMIT")
        try state.refresh(from: .store(scratch.store), now: TestClock.start + 2)
        #expect(approved() == 4)
        try state.refresh(from: .store(scratch.store), now: TestClock.start + 3)
        #expect(approved() == 4)
        #expect(state.heldSequences == 0)
        // A rolled-back insert leaves a value that never commits: held behind until the gap times out.
        try ScratchStore.raw(slow, "BEGIN")
        try insert(slow, "never")
        try ScratchStore.raw(slow, "ROLLBACK")
        try insert(fast, "later")
        try state.refresh(from: .store(scratch.store), now: TestClock.start + 10)
        #expect(approved() == 5)
        #expect(state.heldSequences == 1)
        try state.refresh(from: .store(scratch.store), now: TestClock.start + 10 + SequenceTracker().gapTimeout)
        #expect(state.heldSequences == 0)
        #expect(approved() == 5)
    }
}
