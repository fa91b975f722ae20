import LazarusCore

/// Where the metrics' rows come from: the store's reads, as closures, so this module needs no store.
public struct MetricsSource {
    /// The cold start's bulk read (see ``ColdStartSnapshot``): samples per day, recent sequences to return, and
    /// the horizon: rows dated after it are returned one by one, never aggregated.
    public var coldStart:
        (_ samplePerDay: Int, _ recentSequences: Int64, _ horizon: Timestamp) throws -> ColdStartSnapshot
    /// Runs the reads of one refresh in one snapshot of the store.
    public var snapshot: (_ reads: () throws -> Void) throws -> Void
    /// Decisions with `ingest_seq` above a value, ascending, with their sequence.
    public var decisions: (_ after: Int64, _ body: (DecisionRow, Int64) throws -> Void) throws -> Void
    /// Outcomes with `ingest_seq` above a value, ascending, joined to their decision, with their sequence.
    public var outcomes: (_ after: Int64, _ body: (OutcomeRow, DecisionRow?, Int64) throws -> Void) throws -> Void
    /// The whole budget ledger.
    public var ledger: () throws -> [LedgerEntry]
    /// The whole model registry.
    public var models: () throws -> [ModelRecord]
    /// The decisions' and outcomes' row counts, `nil` where the store does not count them each refresh.
    public var rowCounts: () throws -> (decisions: Int, outcomes: Int)?

    /// Creates a source from its reads.
    public init(
        coldStart: @escaping (Int, Int64, Timestamp) throws -> ColdStartSnapshot,
        snapshot: @escaping (() throws -> Void) throws -> Void,
        decisions: @escaping (Int64, (DecisionRow, Int64) throws -> Void) throws -> Void,
        outcomes: @escaping (Int64, (OutcomeRow, DecisionRow?, Int64) throws -> Void) throws -> Void,
        ledger: @escaping () throws -> [LedgerEntry], models: @escaping () throws -> [ModelRecord],
        rowCounts: @escaping () throws -> (decisions: Int, outcomes: Int)? = { nil }
    ) {
        self.rowCounts = rowCounts
        self.coldStart = coldStart
        self.snapshot = snapshot
        self.decisions = decisions
        self.outcomes = outcomes
        self.ledger = ledger
        self.models = models
    }
}
