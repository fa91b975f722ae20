import Foundation
import LazarusCore
import Synchronization
import Testing

@Suite("In-memory loss budget")
struct InMemoryLossBudgetTests {
    @Test("spends tick the budget down and report the crossing once")
    func spends() throws {
        let budget = try InMemoryLossBudget(granting: 100)
        #expect(budget.hasRemaining())
        #expect(try budget.spend(60) == BudgetSpend(before: 100, after: 40))
        #expect(try budget.spend(40).exhausted)
        #expect(!budget.hasRemaining())
        #expect(try budget.spend(10) == BudgetSpend(before: 0, after: -10))
        #expect(try !budget.spend(0).exhausted)
        #expect(budget.state() == BudgetState(granted: 100, spent: 110))
        try budget.startPeriod(granting: 50)
        #expect(budget.state() == BudgetState(granted: 50, spent: 0))
    }

    @Test("negative and non-finite amounts are refused", arguments: [-1.0, .nan, .infinity])
    func invalidAmounts(amount: Double) throws {
        let budget = try InMemoryLossBudget(granting: 100)
        #expect(throws: CoreError.self) { try budget.spend(amount) }
        #expect(throws: CoreError.self) { try budget.startPeriod(granting: amount) }
        #expect(throws: CoreError.self) { try InMemoryLossBudget(granting: amount) }
        #expect(budget.state() == BudgetState(granted: 100, spent: 0))
    }

    @Test("concurrent spends are never lost and exactly one exhausts the budget")
    func concurrentSpends() throws {
        let budget = try InMemoryLossBudget(granting: 1000)
        let results = Mutex<[BudgetSpend]>([])
        DispatchQueue.concurrentPerform(iterations: 16) { worker in
            for i in 0..<50 {
                // Whole dollars, so the total is exact whatever the order of the additions.
                let spend = try! budget.spend(Double((worker + i) % 7 + 1))
                results.withLock { $0.append(spend) }
            }
        }
        let spends = results.withLock { $0 }
        var expected = 0.0
        for worker in 0..<16 {
            for i in 0..<50 { expected += Double((worker + i) % 7 + 1) }
        }
        #expect(spends.count == 800)
        #expect(budget.state().spent == expected)
        #expect(spends.filter(\.exhausted).count == 1)
    }
}

@Suite("Budget replay from the tables")
struct BudgetReplayTests {
    @Test("grants since the last reset, minus explore losses observed since then")
    func replay() {
        let day = Timestamp.microsecondsPerDay
        let t0 = Timestamp(seconds: 1_795_000_000)
        let ledger = [
            LedgerEntry(at: t0, kind: .grant, amount: 1000),
            LedgerEntry(at: t0.adding(microseconds: day), kind: .reset, amount: 0),
            LedgerEntry(at: t0.adding(microseconds: day), kind: .grant, amount: 500),
            LedgerEntry(at: t0.adding(microseconds: day + 10), kind: .grant, amount: 250),
        ]
        let losses = [
            (at: t0.adding(microseconds: 5), loss: 300.0), (at: t0.adding(microseconds: day + 20), loss: 100.0),
        ]
        // Before the reset: 1000 granted, 300 lost.
        #expect(
            BudgetState.replay(ledger: ledger, exploreLosses: losses, before: t0.adding(microseconds: day))
                == BudgetState(granted: 1000, spent: 300))
        // After it: 500 + 250 granted, only the later loss counts.
        #expect(BudgetState.replay(ledger: ledger, exploreLosses: losses) == BudgetState(granted: 750, spent: 100))
        #expect(BudgetState.replay(ledger: [], exploreLosses: []).remaining == 0)
    }
}
