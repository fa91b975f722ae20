import Foundation
import LazarusCore
import LazarusTestSupport
import Synchronization
import Testing

@testable import LazarusStore

@Suite("PostgreSQL loss budget", .enabled(if: Backend.postgresURL != nil))
struct PostgresLossBudgetTests {
    @Test("a period starts with a grant, written to the ledger in the same transaction")
    func startPeriod() throws {
        let scratch = try ScratchStore(.postgres)
        try scratch.store.migrate()
        let budget = try PostgresLossBudget(uri: scratch.url)
        #expect(throws: StoreError.self) { try budget.spend(1) }
        try budget.startPeriod(granting: 1000)
        #expect(try budget.state() == BudgetState(granted: 1000, spent: 0))
        #expect(try budget.spend(250.5) == BudgetSpend(before: 1000, after: 749.5))
        try budget.startPeriod(granting: 300)
        #expect(try budget.state() == BudgetState(granted: 300, spent: 0))
        #expect(try scratch.store.ledger().map(\.kind) == ["reset", "grant", "reset", "grant"])
        #expect(try scratch.store.ledger().map(\.amount) == [0, 1000, 0, 300])
    }

    @Test("concurrent deciders on their own connections never lose a spend, and one alone exhausts the budget")
    func concurrentSpends() throws {
        let scratch = try ScratchStore(.postgres)
        try scratch.store.migrate()
        try PostgresLossBudget(uri: scratch.url).startPeriod(granting: 1000)

        let workers = 16
        let spendsPerWorker = 25
        let results = Mutex<[BudgetSpend]>([])
        let failures = Mutex<[String]>([])
        let explorationsAfterExhaustion = Mutex(0)
        let group = DispatchGroup()
        let url = scratch.url
        for worker in 0..<workers {
            group.enter()
            // Real threads, each with its own connection: the database, not Swift, must serialise them.
            let thread = Thread {
                defer { group.leave() }
                do {
                    let budget = try PostgresLossBudget(uri: url)
                    for i in 0..<spendsPerWorker {
                        let spend = try budget.spend(Double((worker * 3 + i) % 9 + 1))
                        results.withLock { $0.append(spend) }
                        if spend.after <= 0, try budget.hasRemaining() {
                            explorationsAfterExhaustion.withLock { $0 += 1 }
                        }
                    }
                } catch {
                    failures.withLock { $0.append("\(error)") }
                }
            }
            thread.start()
        }
        #expect(group.wait(timeout: .now() + 60) == .success)
        #expect(failures.withLock { $0 }.isEmpty)
        let spends = results.withLock { $0 }
        var expected: [Double] = []
        for worker in 0..<workers {
            for i in 0..<spendsPerWorker { expected.append(Double((worker * 3 + i) % 9 + 1)) }
        }
        #expect(spends.count == workers * spendsPerWorker)
        #expect(try PostgresLossBudget(uri: url).state() == BudgetState(granted: 1000, spent: expected.reduce(0, +)))
        #expect(spends.filter(\.exhausted).count == 1, "exactly one decider spends the last dollars")
        #expect(explorationsAfterExhaustion.withLock { $0 } == 0)
        // Each spend saw a distinct "before": no two deciders read the same remaining budget.
        #expect(Set(spends.map(\.before)).count == spends.count)
    }
}

@Suite("Schema upgrades")
struct SchemaUpgradeTests {
    @Test("a version-1 store is upgraded in place, keeping its rows", arguments: Backend.available)
    func upgradeFromVersion1(backend: Backend) throws {
        let scratch = try ScratchStore(backend)
        let dialect: SQLDialect = backend == .postgres ? .postgres : .sqlite
        // Build exactly what the version-1 build created.
        try scratch.raw(
            "CREATE TABLE lazarus_schema_migrations (version integer PRIMARY KEY, applied_at text, description text)")
        for statement in Schema.migration(1, dialect) { try scratch.raw(statement) }
        try scratch.raw("INSERT INTO lazarus_schema_migrations VALUES (1, '2026-11-01', 'lazarus schema v1')")
        try scratch.store.insertDecisions(Fixtures.decisions(0..<10))

        #expect(try scratch.store.migrate() == MigrationResult(from: 1, to: Schema.currentVersion))
        #expect(try scratch.count("lazarus_decisions") == 10)
        #expect(try scratch.count("lazarus_budget_state") == 0)
        #expect(try scratch.store.verifySchema() == Schema.currentVersion)
    }
}
