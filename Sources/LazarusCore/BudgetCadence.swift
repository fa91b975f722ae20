/// How long a budget period lasts, read from the ledger: the design's
/// `lazarus_loss_budget_period_seconds`, so that alert rules and panels need no hard-coded day.
///
/// A period starts at each `reset` (or, in a ledger that has none, at each `grant`). The period is the
/// median of the gaps between the last ``gapsConsidered`` + 1 distinct starts: one early manual reset
/// does not change it, while a policy that moves from daily to weekly grants is followed within a few
/// periods. With fewer than two starts nothing is known, and nothing is claimed.
public enum BudgetCadence {
    /// How many of the most recent gaps between period starts the median is taken over.
    public static let gapsConsidered = 7

    /// The budget period in seconds, `nil` when the ledger shows fewer than two period starts.
    /// - Parameter ledger: valid ledger entries, in any order.
    public static func periodSeconds(ledger: [LedgerEntry]) -> Double? {
        let resets = ledger.filter { $0.kind == LedgerEntry.Kind.reset.rawValue }
        let marks = resets.isEmpty ? ledger.filter { $0.kind == LedgerEntry.Kind.grant.rawValue } : resets
        let starts = Set(marks.map(\.at.microseconds)).sorted()
        guard starts.count >= 2 else { return nil }
        let gaps = zip(starts.dropFirst(), starts).map { Double($0 - $1) / 1_000_000 }.suffix(gapsConsidered)
            .sorted()
        let middle = gaps.count / 2
        return gaps.count % 2 == 1 ? gaps[middle] : (gaps[middle - 1] + gaps[middle]) / 2
    }
}
