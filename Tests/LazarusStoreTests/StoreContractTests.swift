import Foundation
import LazarusCore
import LazarusTestSupport
import Testing

@testable import LazarusStore

/// The same behaviour, checked on both backends against real databases.
@Suite("Store contract")
struct StoreContractTests {
    @Test("PostgreSQL is really tested when the test command requires it")
    func postgresIsThere() {
        if ProcessInfo.processInfo.environment["LAZARUS_REQUIRE_POSTGRES"] == "1" {
            #expect(Backend.postgresURL != nil, "scripts/test must export LAZARUS_TEST_POSTGRES_URL")
        }
    }

    @Test("migration creates the schema once and is idempotent", arguments: Backend.available)
    func migrateIsIdempotent(backend: Backend) throws {
        let scratch = try ScratchStore(backend)
        #expect(
            throws: StoreError(.notMigrated, "the store has no Lazarus tables yet; run `lazarus-store migrate` first")
        ) {
            try scratch.store.verifySchema()
        }
        #expect(try scratch.store.migrate() == MigrationResult(from: nil, to: Schema.currentVersion))
        try scratch.store.insertDecisions(Fixtures.decisions(0..<5))
        #expect(try scratch.store.migrate() == MigrationResult(from: Schema.currentVersion, to: Schema.currentVersion))
        #expect(try scratch.store.verifySchema() == Schema.currentVersion)
        #expect(try scratch.count(Schema.migrationsTable) == Schema.currentVersion)
        #expect(try scratch.count("lazarus_decisions") == 5)
    }

    @Test("a read by variant and time range returns exactly those decisions", arguments: Backend.available)
    func variantFilter(backend: Backend) throws {
        let scratch = try ScratchStore(backend)
        try scratch.store.migrate()
        let written = Fixtures.decisions(0..<60)
        try scratch.store.insertDecisions(written)
        #expect(
            try scratch.store.decidedRange(through: .lastPlausible) == written.first!
                .decidedAt...written.last!.decidedAt)
        let from = written[10].decidedAt
        let before = written[40].decidedAt
        let read = try scratch.store.allDecisions(RowQuery(from: from, before: before, variant: .explore))
        let expected = written[10..<40].filter { $0.variant == "explore" }
        #expect(Set(read.keys) == Set(expected.map(\.applicationID)))
        #expect(!expected.isEmpty)
    }

    @Test("decisions round-trip exactly, nulls and non-ASCII text included", arguments: Backend.available)
    func decisionsRoundTrip(backend: Backend) throws {
        let scratch = try ScratchStore(backend)
        try scratch.store.migrate()
        let written = Fixtures.decisions(0..<500)
        #expect(try scratch.store.insertDecisions(written) == 500)
        try scratch.reopen()
        let read = try scratch.store.allDecisions()
        #expect(read.count == 500)
        for row in written { #expect(read[row.applicationID] == row) }
    }

    @Test("outcomes round-trip and summary aggregates on the database side", arguments: Backend.available)
    func outcomesAndSummary(backend: Backend) throws {
        let scratch = try ScratchStore(backend)
        try scratch.store.migrate()
        let decisions = Fixtures.decisions(0..<90)
        try scratch.store.insertDecisions(decisions)
        let outcomes = decisions.enumerated().filter { $0.offset % 2 == 0 }.map {
            Fixtures.outcome(for: $0.element, $0.offset)
        }
        let orphan = OutcomeRow(
            applicationID: "no-such-app", observedAt: Fixtures.start, defaulted: true, lossAmount: 10)
        #expect(try scratch.store.insertOutcomes(outcomes + [orphan]) == 46)

        var read: [String: OutcomeRow] = [:]
        let stream = try scratch.store.streamOutcomes(.all) { read[$0.applicationID] = $0 }
        #expect(stream.rows == 46)
        for row in outcomes + [orphan] { #expect(read[row.applicationID] == row) }

        let summary = try scratch.store.summary()
        #expect(summary.decisionCount == 90)
        #expect(summary.outcomeCount == 46)
        #expect(summary.decidedRange == decisions.first!.decidedAt...decisions.last!.decidedAt)
        #expect(try scratch.store.decidedRange(through: .lastPlausible) == summary.decidedRange)
        #expect(summary.decisionGroups.reduce(0) { $0 + $1.count } == 90)
        // Hand count: the fixture's variant cycles explore, exploit, compliance.
        let expectedExplore = decisions.filter {
            $0.variant == "explore" && $0.approved == true && $0.reason == "MODEL_QUALIFIED"
        }.count
        let explore = summary.decisionGroups.first {
            $0.variant == "explore" && $0.approved == true && $0.reason == "MODEL_QUALIFIED"
        }
        #expect(explore?.count == expectedExplore)
        let orphanGroup = summary.outcomeGroups.first { $0.variant == nil }
        #expect(orphanGroup == .init(variant: nil, defaulted: true, count: 1, lossDollars: 10))
        let defaultedExplore = outcomes.filter { o in
            o.defaulted == true && decisions.first { $0.applicationID == o.applicationID }?.variant == "explore"
        }
        let group = summary.outcomeGroups.first { $0.variant == "explore" && $0.defaulted == true }
        #expect(group?.count == defaultedExplore.count)
        #expect(group?.lossDollars == Double(defaultedExplore.count) * 250.75)
    }

    @Test(
        "an incremental read returns exactly the rows added after the watermark, late timestamps included",
        arguments: Backend.available)
    func incrementalRead(backend: Backend) throws {
        let scratch = try ScratchStore(backend)
        try scratch.store.migrate()
        try scratch.store.insertDecisions(Fixtures.decisions(0..<20))
        let first = try scratch.store.streamDecisions(.all) { _ in }
        #expect(first.rows == 20)
        let watermark = try #require(first.lastSequence)

        // A late row whose decided_at is older than everything already read must still be seen.
        let late = Fixtures.decision(1000, at: Fixtures.start.adding(microseconds: -3_600_000_000))
        try scratch.store.insertDecisions(Fixtures.decisions(20..<25) + [late])
        let next = try scratch.store.allDecisions(RowQuery(afterSequence: watermark))
        #expect(Set(next.keys) == Set((Fixtures.decisions(20..<25) + [late]).map(\.applicationID)))
        let after = try scratch.store.streamDecisions(RowQuery(afterSequence: watermark)) { _ in }
        #expect(after.lastSequence.map { $0 > watermark } == true)
        #expect(try scratch.store.streamDecisions(RowQuery(afterSequence: after.lastSequence)) { _ in }.rows == 0)
    }

    @Test("a time window reads [from, before)", arguments: Backend.available)
    func timeWindow(backend: Backend) throws {
        let scratch = try ScratchStore(backend)
        try scratch.store.migrate()
        let rows = Fixtures.decisions(0..<30)
        try scratch.store.insertDecisions(rows)
        let from = rows[10].decidedAt
        let before = rows[20].decidedAt
        let read = try scratch.store.allDecisions(RowQuery(from: from, before: before))
        #expect(Set(read.keys) == Set(rows[10..<20].map(\.applicationID)))
    }

    @Test("a batch with a duplicate key writes nothing and keeps what was there", arguments: Backend.available)
    func duplicateKeyIsAllOrNothing(backend: Backend) throws {
        let scratch = try ScratchStore(backend)
        try scratch.store.migrate()
        try scratch.store.insertDecisions(Fixtures.decisions(0..<10))
        let batch = Fixtures.decisions(10..<20) + [Fixtures.decision(3)]
        let error = #expect(throws: StoreError.self) { try scratch.store.insertDecisions(batch) }
        #expect(error?.code == .duplicateKey)
        #expect(error?.message.contains("app-3") == false, "error messages must not quote row values")
        #expect(try scratch.count("lazarus_decisions") == 10)
        // The connection is still usable after the failed write.
        #expect(try scratch.store.insertDecisions(Fixtures.decisions(10..<20)) == 10)
        #expect(try scratch.count("lazarus_decisions") == 20)
    }

    @Test("an error thrown while streaming stops the read and leaves the store usable", arguments: Backend.available)
    func streamingStopsOnError(backend: Backend) throws {
        struct Stop: Error {}
        let scratch = try ScratchStore(backend)
        try scratch.store.migrate()
        try scratch.store.insertDecisions(Fixtures.decisions(0..<20_000))
        var seen = 0
        #expect(throws: Stop.self) {
            try scratch.store.streamDecisions(.all) { _ in
                seen += 1
                if seen == 100 { throw Stop() }
            }
        }
        #expect(seen == 100)
        #expect(try scratch.store.streamDecisions(.all) { _ in }.rows == 20_000)
    }

    @Test("the ledger keeps order and ids; reads after an id are incremental", arguments: Backend.available)
    func ledger(backend: Backend) throws {
        let scratch = try ScratchStore(backend)
        try scratch.store.migrate()
        let entries = [
            LedgerEntry(at: Fixtures.start, kind: .grant, amount: 1000, note: "initial"),
            LedgerEntry(at: Fixtures.start.adding(microseconds: 1), kind: .reset, amount: 0),
            LedgerEntry(at: Fixtures.start.adding(microseconds: 2), kind: .grant, amount: 250.5, note: "top-up ✓"),
        ]
        try scratch.store.appendLedger(entries)
        let read = try scratch.store.ledger()
        #expect(
            read.map { LedgerEntry(id: nil, at: $0.at, rawKind: $0.kind, amount: $0.amount, note: $0.note) } == entries)
        let ids = read.compactMap(\.id)
        #expect(ids.count == 3 && ids == ids.sorted())
        #expect(try scratch.store.ledger(afterID: ids[0]).map(\.id) == Array(ids.dropFirst()))
    }

    @Test("models are upserted by version", arguments: Backend.available)
    func models(backend: Backend) throws {
        let scratch = try ScratchStore(backend)
        try scratch.store.migrate()
        var v1 = ModelRecord(
            version: "v1", kind: "standard", createdAt: Fixtures.start, status: "draft",
            spec: #"{"features":["age"],"intercept":-1.5}"#, metrics: #"{"auc":0.7}"#)
        let v2 = ModelRecord(
            version: "v2", kind: "causal", createdAt: Fixtures.start.adding(microseconds: 5), status: "shadow",
            spec: "{}", metrics: "{}")
        try scratch.store.saveModel(v1)
        try scratch.store.saveModel(v2)
        v1.status = "retired"
        try scratch.store.saveModel(v1)
        let read = try scratch.store.models()
        #expect(read.map(\.version) == ["v1", "v2"])
        #expect(read[0].status == "retired")
        #expect(read[1] == v2)
        #expect(read[0].spec.contains("\"intercept\""))
    }

    @Test("deleting all rows empties the tables and keeps the schema", arguments: Backend.available)
    func deleteAll(backend: Backend) throws {
        let scratch = try ScratchStore(backend)
        try scratch.store.migrate()
        try scratch.store.insertDecisions(Fixtures.decisions(0..<10))
        try scratch.store.appendLedger([LedgerEntry(at: Fixtures.start, kind: .grant, amount: 1)])
        try scratch.store.deleteAllRows()
        #expect(try scratch.store.summary().decisionCount == 0)
        #expect(try scratch.store.ledger().isEmpty)
        #expect(try scratch.store.verifySchema() == Schema.currentVersion)
    }
}
