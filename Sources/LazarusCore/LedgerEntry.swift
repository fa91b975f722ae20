/// One row of `lazarus_budget_ledger`: a grant or a reset of the exploration loss budget.
public struct LedgerEntry: Hashable, Sendable {
    /// What a ledger row does to the budget.
    public enum Kind: String, Sendable, CaseIterable {
        /// Adds `amount` dollars to the budget of the current period.
        case grant
        /// Starts a new period: earlier grants and losses no longer count.
        case reset
    }

    /// The row's identifier, assigned by the store (`nil` before it is written).
    public var id: Int64?
    /// When the entry takes effect (UTC).
    public var at: Timestamp
    /// Grant or reset; raw so that unknown kinds can be counted as invalid.
    public var kind: String
    /// Dollars granted (0 for a reset).
    public var amount: Double
    /// Free text for people reading the ledger.
    public var note: String?

    /// Creates a ledger entry.
    public init(id: Int64? = nil, at: Timestamp, kind: Kind, amount: Double, note: String? = nil) {
        self.init(id: id, at: at, rawKind: kind.rawValue, amount: amount, note: note)
    }

    /// Creates a ledger entry with a kind exactly as stored.
    public init(id: Int64?, at: Timestamp, rawKind: String, amount: Double, note: String?) {
        self.id = id
        self.at = at
        self.kind = rawKind
        self.amount = amount
        self.note = note
    }
}

extension LedgerEntry {
    /// Why this entry cannot count toward the budget (the `reason` of `lazarus_invalid_rows`), `nil` when it
    /// can: a time that is no plausible instant, an unknown kind, or an amount that is negative or not finite.
    /// The one rule for the exporter and the report's budget replay.
    public var defect: String? {
        guard at.isPlausible else { return "bad_timestamp" }
        guard Kind(rawValue: kind) != nil else { return "unknown_kind" }
        guard amount.isFinite, amount >= 0 else { return "negative_amount" }
        return nil
    }
}
