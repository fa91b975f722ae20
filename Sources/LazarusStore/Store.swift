import LazarusCore

/// One Swift API over the SQLite and PostgreSQL stores of the four Lazarus tables.
///
/// A store owns one database connection and is used from one task at a time: it is not `Sendable`.
/// Readers stream rows through a closure so that no path loads a whole table into memory.
public protocol Store: AnyObject {
    /// The URL this store was opened with (redact it with `description` before printing).
    var url: StoreURL { get }

    /// Creates the tables, or upgrades them to ``Schema/currentVersion``; safe to run any number of times.
    /// - Returns: the schema version before and after.
    /// - Throws: ``StoreError`` (`schemaMismatch` when a table exists without a column Lazarus needs,
    ///   `schemaTooNew` when a newer Lazarus migrated the store). Nothing is changed on failure.
    @discardableResult func migrate() throws -> MigrationResult

    /// Checks, without changing anything, that the tables are at a version and shape this build can read.
    /// - Returns: the schema version found.
    /// - Throws: ``StoreError`` with code `notMigrated`, `schemaTooNew` or `schemaMismatch`.
    @discardableResult func verifySchema() throws -> Int

    /// Writes decisions in one transaction (COPY on PostgreSQL, one prepared statement on SQLite).
    /// - Parameter rows: the decisions; consumed once.
    /// - Returns: the number of rows written.
    /// - Throws: ``StoreError``; on failure none of `rows` is written.
    @discardableResult func insertDecisions(_ rows: some Sequence<DecisionRow>) throws -> Int

    /// Writes outcomes in one transaction, all or nothing.
    /// - Parameter rows: the outcomes; consumed once.
    /// - Returns: the number of rows written.
    /// - Throws: ``StoreError``; on failure none of `rows` is written.
    @discardableResult func insertOutcomes(_ rows: some Sequence<OutcomeRow>) throws -> Int

    /// Appends ledger entries in one transaction; the store assigns their ids.
    /// - Parameter entries: grants and resets (their `id` is ignored).
    /// - Throws: ``StoreError``; on failure nothing is written.
    func appendLedger(_ entries: [LedgerEntry]) throws

    /// Reads the whole budget ledger in id order (a small table).
    /// - Returns: every ledger entry.
    /// - Throws: ``StoreError``.
    func ledger(afterID: Int64?) throws -> [LedgerEntry]

    /// Inserts a model, or replaces the registry row with the same version.
    /// - Parameter model: the registry row.
    /// - Throws: ``StoreError``.
    func saveModel(_ model: ModelRecord) throws

    /// Reads the model registry ordered by creation time.
    /// - Returns: every registered model.
    /// - Throws: ``StoreError``.
    func models() throws -> [ModelRecord]

    /// Streams decisions matching a query with their ingest sequence: ascending for an incremental read
    /// (`afterSequence` set), in no particular order otherwise.
    /// - Parameters:
    ///   - query: the watermark and time window to read.
    ///   - body: called once per row with its `ingest_seq`; an error it throws stops the read and is rethrown.
    /// - Returns: how many rows were read and the highest ingest sequence seen (the next watermark).
    /// - Throws: ``StoreError``, or what `body` throws.
    @discardableResult func streamDecisions(
        _ query: RowQuery, sequenced body: (DecisionRow, Int64) throws -> Void
    ) throws -> StreamResult

    /// Streams outcomes matching a query (the window applies to `observed_at`) with their ingest sequence,
    /// ascending for an incremental read.
    /// - Parameters:
    ///   - query: the watermark and time window to read.
    ///   - body: called once per row with its `ingest_seq`; an error it throws stops the read and is rethrown.
    /// - Returns: how many rows were read and the highest ingest sequence seen.
    /// - Throws: ``StoreError``, or what `body` throws.
    @discardableResult func streamOutcomes(
        _ query: RowQuery, sequenced body: (OutcomeRow, Int64) throws -> Void
    ) throws -> StreamResult

    /// Streams outcomes joined to their decision, so a reader needs no memory of the decisions it read.
    /// - Parameters:
    ///   - query: the outcomes' watermark and time window.
    ///   - body: called once per outcome with its decision (`nil` when none has that application id) and
    ///     the outcome's `ingest_seq`.
    /// - Returns: how many outcomes were read and the highest ingest sequence seen.
    /// - Throws: ``StoreError``, or what `body` throws.
    @discardableResult func streamOutcomeMatches(
        _ query: RowQuery, _ body: (OutcomeRow, DecisionRow?, Int64) throws -> Void
    ) throws -> StreamResult

    /// Reads the whole experiment for a cold start in one snapshot, the aggregation done by the database:
    /// plain rows as group totals, every other row as rows (see `ColdStartSnapshot`).
    /// - Parameters:
    ///   - samplePerDay: applicants sampled per day for PSI and approval rates.
    ///   - recentSequences: how many of the newest sequence values to return, to catch late commits.
    ///   - horizon: rows dated after it (the reader's clock plus a tolerance) are never aggregated but returned
    ///     as rows, for the reader to hold until they fall due.
    /// - Returns: the totals, with the sequence position they describe.
    /// - Throws: ``StoreError``.
    func coldStartSnapshot(samplePerDay: Int, recentSequences: Int64, horizon: Timestamp) throws -> ColdStartSnapshot

    /// The rows of the decisions and outcomes tables, for a reader to spot rows deleted or rewritten under
    /// it (`INSERT OR REPLACE` gives a row a new `ingest_seq`); read in the caller's snapshot. `nil` where
    /// counting every refresh costs too much (PostgreSQL, whose primary keys refuse duplicates).
    /// - Throws: ``StoreError`` when the store is no longer what was opened (an SQLite file deleted or replaced).
    func rowCounts() throws -> (decisions: Int, outcomes: Int)?

    /// Runs `body` in one read-only snapshot of the database, so several reads describe one moment.
    /// - Parameter body: the reads.
    /// - Returns: what `body` returns.
    /// - Throws: ``StoreError``, or what `body` throws.
    func readSnapshot<T>(_ body: () throws -> T) throws -> T

    /// The oldest and newest plausible `decided_at`, `nil` without decisions: the summary's `decidedRange`
    /// without its counts and groups (the report needs only this, and the groups scan and join everything).
    /// - Parameter horizon: decisions dated after it (the reader's clock plus a tolerance) are left out.
    /// - Throws: ``StoreError``.
    func decidedRange(through horizon: Timestamp) throws -> ClosedRange<Timestamp>?

    /// Aggregates the tables on the database side: counts, time ranges, decisions and outcomes by group.
    /// - Returns: the summary.
    /// - Throws: ``StoreError``.
    func summary() throws -> StoreSummary

    /// Writes a whole experiment (decisions, outcomes, ledger) in one transaction: all of it or nothing.
    /// - Parameters:
    ///   - decisions: the decisions; consumed once.
    ///   - outcomes: their outcomes; consumed once.
    ///   - ledger: the budget ledger entries.
    ///   - mode: refuse a populated store (`.new`), add to it (`.append`), or replace what it holds (`.replace`).
    /// - Throws: ``StoreError`` (`alreadyPopulated` in `.new` mode when the store holds decisions or
    ///   ledger entries, checked inside the transaction); on failure the store is unchanged.
    func writeExperiment(
        decisions: some Sequence<DecisionRow>, outcomes: some Sequence<OutcomeRow>, ledger: [LedgerEntry],
        mode: ExperimentWriteMode
    ) throws

    /// Deletes every row of the four tables (the schema stays), in one transaction.
    /// - Throws: ``StoreError``.
    func deleteAllRows() throws

    /// Bounds how long one statement of this connection may run (PostgreSQL's `statement_timeout`), so a hung
    /// query fails instead of stalling its reader for ever. A limit the connection already has from
    /// elsewhere (the URL's `options=-c statement_timeout=…`, `ALTER ROLE … SET`, the server's
    /// configuration) wins and is kept.
    /// - Parameter seconds: the limit to set, > 0.
    /// - Returns: the limit in force, in seconds; `nil` where the database has none (SQLite).
    /// - Throws: ``StoreError``.
    @discardableResult func limitStatements(toSeconds seconds: Double) throws -> Double?
}

extension Store {
    /// Reads the whole budget ledger in id order.
    public func ledger() throws -> [LedgerEntry] { try ledger(afterID: nil) }

    /// Streams decisions matching a query, in no particular order unless incremental.
    /// - Parameters:
    ///   - query: the watermark and time window to read.
    ///   - body: called once per row; an error it throws stops the read and is rethrown.
    /// - Returns: how many rows were read and the highest ingest sequence seen (the next watermark).
    /// - Throws: ``StoreError``, or what `body` throws.
    @discardableResult public func streamDecisions(
        _ query: RowQuery, _ body: (DecisionRow) throws -> Void
    ) throws -> StreamResult {
        try streamDecisions(query, sequenced: { row, _ in try body(row) })
    }

    /// Streams outcomes matching a query (the window applies to `observed_at`).
    /// - Parameters:
    ///   - query: the watermark and time window to read.
    ///   - body: called once per row; an error it throws stops the read and is rethrown.
    /// - Returns: how many rows were read and the highest ingest sequence seen.
    /// - Throws: ``StoreError``, or what `body` throws.
    @discardableResult public func streamOutcomes(
        _ query: RowQuery, _ body: (OutcomeRow) throws -> Void
    ) throws -> StreamResult {
        try streamOutcomes(query, sequenced: { row, _ in try body(row) })
    }
}
