import Foundation
import LazarusCore
import LazarusTestSupport
import Testing

@testable import LazarusStore

/// Rows other programs wrote that the store must read the same way on both backends.
@Suite("Odd rows written by other programs")
struct StoreOddRowsTests {
    @Test("a ledger amount that is no number reads as NaN, which the budget rule refuses", arguments: Backend.available)
    func ledgerAmountNotANumber(backend: Backend) throws {
        let scratch = try ScratchStore(backend, migrated: true)
        try scratch.store.appendLedger([LedgerEntry(at: Fixtures.start, kind: .grant, amount: 100)])
        // SQLite has no NaN (it stores NULL): text is its way to write a non-number into a REAL column.
        let odd = backend == .postgres ? "'NaN'::float8" : "'lots'"
        try scratch.raw(
            "INSERT INTO lazarus_budget_ledger (at, kind, amount) VALUES ('\(Fixtures.start.iso8601)', 'grant', \(odd))"
        )
        let ledger = try scratch.store.ledger()
        #expect(ledger.count == 2)
        #expect(ledger[1].amount.isNaN)
        #expect(ledger[1].defect == "negative_amount")
        let state = BudgetState.replay(ledger: ledger, exploreLosses: [])
        #expect(state.granted == 100)
    }

    @Test("an ingest_seq that is not a whole number stops the read instead of moving the watermark")
    func sequenceNotAWholeNumber() throws {
        let scratch = try ScratchStore(.sqlite, migrated: true)
        try scratch.store.insertDecisions(Fixtures.decisions(0..<5))
        try scratch.raw("UPDATE lazarus_decisions SET ingest_seq = 'x' WHERE ingest_seq = 3")
        let error = #expect(throws: StoreError.self) {
            _ = try scratch.store.coldStartSnapshot(samplePerDay: 10, recentSequences: 100, horizon: .lastPlausible)
        }
        #expect(error?.code == .corruptData)
        #expect(throws: StoreError.self) { try scratch.store.streamDecisions(.all) { _ in } }
    }

    @Test("a decision on 9999-12-31 still gets a cold start", arguments: Backend.available)
    func lastPlausibleDay(backend: Backend) throws {
        let scratch = try ScratchStore(backend, migrated: true)
        var rows = Fixtures.decisions(0..<3).map { row -> DecisionRow in
            var row = row
            (row.variant, row.approved, row.reason, row.propensity, row.score) = (
                "exploit", true, "MODEL_QUALIFIED", 1, 0.9
            )
            return row
        }
        rows[2].decidedAt = try #require(Timestamp(iso8601: "9999-12-31T12:00:00Z"))
        try scratch.store.insertDecisions(rows)
        let snapshot = try scratch.store.coldStartSnapshot(
            samplePerDay: 10, recentSequences: 100, horizon: .lastPlausible)
        #expect(snapshot.decisionGroups.reduce(0) { $0 + $1.count } == 3)
        #expect(snapshot.sample.contains { $0.day == rows[2].decidedAt.utcDay })
    }

    @Test(
        "a ledger or registry time that is no instant is read as unreadable, not a failed read",
        arguments: Backend.available)
    func unreadableTimes(backend: Backend) throws {
        let scratch = try ScratchStore(backend, migrated: true)
        // On PostgreSQL the column is a timestamptz: `infinity` is the value that is no instant.
        let odd = backend == .postgres ? "'infinity'" : "'yesterday'"
        try scratch.raw("INSERT INTO lazarus_budget_ledger (at, kind, amount) VALUES (\(odd), 'grant', 10)")
        let json = backend == .postgres ? "'{}'::jsonb" : "'{}'"
        try scratch.raw(
            """
            INSERT INTO lazarus_models (version, kind, created_at, status, spec, metrics)
            VALUES ('old', 'v1', \(odd), 'retired', \(json), \(json))
            """)
        let ledger = try scratch.store.ledger()
        #expect(ledger.map(\.at) == [.unreadable])
        #expect(ledger.first?.defect == "bad_timestamp")
        #expect(try scratch.store.models().map(\.createdAt) == [.unreadable])
    }
}
