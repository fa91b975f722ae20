import LazarusCore

/// The exporter's whole state: the aggregates and, per table, which ingest sequences were counted.
///
/// The first refresh is a cold start: the database aggregates the plain rows and returns the rest
/// (``ColdStartSnapshot``). Every later refresh reads only the rows above each table's sequence floor,
/// skips those already counted, and applies what it read only when every read succeeded, so a failure
/// halfway leaves the state as it was and the next refresh reads the same rows again.
public struct ExperimentState: Sendable {
    /// The aggregates the metrics are rendered from.
    public private(set) var aggregate: ExperimentAggregate
    /// Whether the cold start has completed.
    public private(set) var isStarted = false
    /// Goes up whenever a refresh changed the aggregates, so a renderer can reuse its last text.
    public private(set) var revision = 0
    private var decisionTracker = SequenceTracker()
    private var outcomeTracker = SequenceTracker()
    private var lastLedger: [LedgerEntry] = []
    private var lastModels: [ModelRecord] = []
    /// The aggregates before any row, for a rebuild.
    private let empty: ExperimentAggregate
    /// Rows read and counted since the cold start, per table, valid or not: with nothing deleted or
    /// rewritten, each table's row count.
    private var rowsRead = (decisions: 0, outcomes: 0)

    /// What one refresh read.
    public struct Counts: Sendable, Equatable {
        public var decisions = 0
        public var outcomes = 0
        public var coldStart = false
        /// The cold start was a rebuild: the tables held other than the rows counted (rows deleted, or
        /// rewritten with a new sequence, or another file in the store's place).
        public var rebuilt = false
    }

    /// Creates a state that has read nothing.
    /// - Parameters:
    ///   - riskThreshold: production approves scores above this.
    ///   - lifetimeValue: dollars a good loan is worth.
    ///   - samplePerDay: eligible applicants kept per day for PSI and shadow approval rates.
    ///   - performanceWindowDays: W, for the model-quality figures' matured loans.
    public init(
        riskThreshold: Double, lifetimeValue: Double, samplePerDay: Int = 2_000,
        performanceWindowDays: Int = Maturity.defaultWindowDays
    ) {
        aggregate = ExperimentAggregate(
            riskThreshold: riskThreshold, lifetimeValue: lifetimeValue, samplePerDay: samplePerDay,
            performanceWindowDays: performanceWindowDays)
        empty = aggregate
    }

    /// Values held above the sequence floors (bounded by `SequenceTracker.maxHeld`).
    public var heldSequences: Int { decisionTracker.heldCount + outcomeTracker.heldCount }

    /// Brings the state up to date: a cold start the first time, the new rows after that.
    /// - Parameters:
    ///   - source: the store's reads.
    ///   - now: the reader's wall clock, seconds since the Unix epoch: for the sequence trackers' gap timeout,
    ///     and the horizon past which rows are not acted on yet (``Timestamp/horizon(readerClock:)``).
    /// - Returns: how many rows were read.
    /// - Throws: what the source throws; the state is then unchanged.
    @discardableResult
    public mutating func refresh(from source: MetricsSource, now: Double) throws -> Counts {
        let horizon = Timestamp.horizon(readerClock: now)
        guard isStarted else { return try coldStart(from: source, horizon: horizon) }
        var decisionTracker = self.decisionTracker
        var outcomeTracker = self.outcomeTracker
        var decisions: [(DecisionRow, Int64)] = []
        var outcomes: [(OutcomeRow, DecisionRow?, Int64)] = []
        var ledger: [LedgerEntry] = []
        var models: [ModelRecord] = []
        var rowCounts: (decisions: Int, outcomes: Int)?
        try source.snapshot {
            // First: it also checks the store is still what was opened, before its tables are read.
            rowCounts = try source.rowCounts()
            try source.decisions(decisionTracker.floor ?? .min) { row, sequence in
                if decisionTracker.admit(sequence) { decisions.append((row, sequence)) }
            }
            try source.outcomes(outcomeTracker.floor ?? .min) { row, decision, sequence in
                if outcomeTracker.admit(sequence) { outcomes.append((row, decision, sequence)) }
            }
            ledger = try source.ledger()
            models = try source.models()
        }
        let read = (decisions: rowsRead.decisions + decisions.count, outcomes: rowsRead.outcomes + outcomes.count)
        var advanced = aggregate
        let released = advanced.advance(to: horizon)
        if let rowCounts, rowCounts != read { return try rebuild(from: source, horizon: horizon) }
        // Counted rows are gone or were written again, or rows too many to hold fell due: the sums cannot be
        // corrected row by row. Start over.
        if advanced.needsRebuild { return try rebuild(from: source, horizon: horizon) }
        aggregate = advanced
        rowsRead = read
        if released || !decisions.isEmpty || !outcomes.isEmpty || ledger != lastLedger || models != lastModels {
            revision += 1
        }
        decisions.forEach { aggregate.ingest($0.0, sequence: $0.1) }
        outcomes.forEach { aggregate.ingest($0.0, decision: $0.1) }
        aggregate.setLedger(ledger)
        aggregate.setModels(models)
        (lastLedger, lastModels) = (ledger, models)
        decisionTracker.settle(now: now)
        outcomeTracker.settle(now: now)
        self.decisionTracker = decisionTracker
        self.outcomeTracker = outcomeTracker
        return Counts(decisions: decisions.count, outcomes: outcomes.count)
    }

    private mutating func rebuild(from source: MetricsSource, horizon: Timestamp) throws -> Counts {
        let saved = self
        aggregate = empty
        (decisionTracker, outcomeTracker) = (decisionTracker.restarted, outcomeTracker.restarted)
        isStarted = false
        do {
            var counts = try coldStart(from: source, horizon: horizon)
            counts.rebuilt = true
            return counts
        } catch {
            self = saved
            throw error
        }
    }

    private mutating func coldStart(from source: MetricsSource, horizon: Timestamp) throws -> Counts {
        let totals = try source.coldStart(aggregate.sample.perDay, Int64(decisionTracker.maxHeld / 2), horizon)
        let ledger = try source.ledger()
        let models = try source.models()
        aggregate.horizon = horizon  // on the empty aggregates, before any row
        aggregate.apply(totals)
        aggregate.setLedger(ledger)
        aggregate.setModels(models)
        (lastLedger, lastModels) = (ledger, models)
        revision += 1
        decisionTracker.start(floor: totals.decisionSequences.floor, recent: totals.decisionSequences.recent)
        outcomeTracker.start(floor: totals.outcomeSequences.floor, recent: totals.outcomeSequences.recent)
        isStarted = true
        let counts = Counts(
            decisions: totals.decisionGroups.reduce(totals.otherDecisions.count) { $0 + $1.count },
            outcomes: totals.outcomeGroups.reduce(totals.otherOutcomes.count) { $0 + $1.count }, coldStart: true)
        rowsRead = (counts.decisions, counts.outcomes)
        return counts
    }
}
