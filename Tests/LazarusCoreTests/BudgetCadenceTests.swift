import LazarusCore
import Testing

@Suite("the budget period read from the ledger")
struct BudgetCadenceTests {
    static func entry(_ hours: Int64, _ kind: LedgerEntry.Kind) -> LedgerEntry {
        LedgerEntry(at: Timestamp(seconds: 1_790_000_000 + hours * 3_600), kind: kind, amount: kind == .grant ? 10 : 0)
    }

    @Test(
        "worked cases",
        arguments: [
            // Daily resets, each with its grant: one day.
            ([(0, "grant"), (24, "reset"), (24, "grant"), (48, "reset"), (48, "grant")], 86_400.0),
            // No resets: the grants' cadence, here weekly.
            ([(0, "grant"), (168, "grant"), (336, "grant")], 604_800),
            // One early manual reset among daily ones: the median keeps a day (gaps 24, 3, 21, 24, 24 h).
            ([(0, "reset"), (24, "reset"), (27, "reset"), (48, "reset"), (72, "reset"), (96, "reset")], 86_400),
            // An even count of gaps: the mean of the middle two (gaps 24, 48 h).
            ([(0, "reset"), (24, "reset"), (72, "reset")], 129_600),
            // Two grants at the same instant are one start.
            ([(0, "grant"), (0, "grant"), (12, "grant")], 43_200),
        ] as [([(Int64, String)], Double)])
    func worked(entries: [(Int64, String)], seconds: Double) {
        let ledger = entries.map { Self.entry($0.0, LedgerEntry.Kind(rawValue: $0.1)!) }
        #expect(BudgetCadence.periodSeconds(ledger: ledger) == seconds)
        #expect(BudgetCadence.periodSeconds(ledger: ledger.reversed()) == seconds)
    }

    @Test("fewer than two period starts: unknown")
    func unknown() {
        #expect(BudgetCadence.periodSeconds(ledger: []) == nil)
        #expect(BudgetCadence.periodSeconds(ledger: [Self.entry(0, .grant)]) == nil)
        // One reset (and grants around it): a reset ledger is read by its resets alone.
        #expect(
            BudgetCadence.periodSeconds(ledger: [Self.entry(0, .grant), Self.entry(5, .reset), Self.entry(5, .grant)])
                == nil)
    }

    @Test("only the last seven gaps count: a policy that moves to weekly grants is followed")
    func follows() {
        let daily = (0..<10).map { Self.entry(Int64($0) * 24, .reset) }
        let weekly = (1...3).map { Self.entry(216 + Int64($0) * 168, .reset) }
        #expect(BudgetCadence.periodSeconds(ledger: daily + weekly) == 86_400)
        let moreWeekly = (1...4).map { Self.entry(216 + Int64($0) * 168, .reset) }
        #expect(BudgetCadence.periodSeconds(ledger: daily + moreWeekly) == 604_800)
    }
}
