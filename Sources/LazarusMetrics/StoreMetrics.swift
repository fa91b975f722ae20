import LazarusCore

/// Where an aggregate's rows come from: the store reads, as closures, so this module needs no store.
public struct MetricsSource {
    public var decisions: (_ afterSequence: Int64?, _ body: (DecisionRow) throws -> Void) throws -> Int64?
    public var outcomes: (_ afterSequence: Int64?, _ body: (OutcomeRow) throws -> Void) throws -> Int64?
    public var ledger: () throws -> [LedgerEntry]
    public var models: () throws -> [ModelRecord]

    public init(
        decisions: @escaping (Int64?, (DecisionRow) throws -> Void) throws -> Int64?,
        outcomes: @escaping (Int64?, (OutcomeRow) throws -> Void) throws -> Int64?,
        ledger: @escaping () throws -> [LedgerEntry], models: @escaping () throws -> [ModelRecord]
    ) {
        self.decisions = decisions
        self.outcomes = outcomes
        self.ledger = ledger
        self.models = models
    }
}

extension ExperimentAggregate {
    /// Reads what was added since the watermarks (everything on the first call) and returns the new ones.
    /// Decisions are read before outcomes, so an outcome whose decision arrived in the same refresh matches.
    public mutating func refresh(from source: MetricsSource, watermarks: Watermarks) throws -> Watermarks {
        var next = watermarks
        next.decisions = try source.decisions(watermarks.decisions) { ingest($0) } ?? watermarks.decisions
        next.outcomes = try source.outcomes(watermarks.outcomes) { ingest($0) } ?? watermarks.outcomes
        setLedger(try source.ledger())
        setModels(try source.models())
        return next
    }
}

/// The highest ingest sequence read from each append-mostly table.
public struct Watermarks: Sendable, Equatable {
    public var decisions: Int64?
    public var outcomes: Int64?

    public init(decisions: Int64? = nil, outcomes: Int64? = nil) {
        self.decisions = decisions
        self.outcomes = outcomes
    }
}
