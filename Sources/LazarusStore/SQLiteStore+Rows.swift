import LazarusCore

extension SQLiteStore {
    @discardableResult public func insertDecisions(_ rows: some Sequence<DecisionRow>) throws -> Int {
        try inTransaction { try writeDecisions(rows) }
    }

    @discardableResult public func insertOutcomes(_ rows: some Sequence<OutcomeRow>) throws -> Int {
        try inTransaction { try writeOutcomes(rows) }
    }

    public func appendLedger(_ entries: [LedgerEntry]) throws {
        try inTransaction { try writeLedger(entries) }
    }

    /// Inserts decisions inside the caller's write transaction.
    func writeDecisions(_ rows: some Sequence<DecisionRow>) throws -> Int {
        try writeSequenced(Schema.decisions.name, Columns.decision, rows) { insert, row in
            insert.bind(1, row.applicationID)
            insert.bind(2, row.decidedAt.iso8601)
            insert.bind(3, row.variant)
            insert.bind(4, row.approved)
            insert.bind(5, row.reason)
            insert.bind(6, row.propensity)
            insert.bind(7, row.score)
            insert.bind(8, row.modelVersion)
            insert.bind(9, row.loanAmount)
            insert.bind(10, row.features.age)
            insert.bind(11, row.features.annualIncome)
            insert.bind(12, row.features.debtToIncome)
            insert.bind(13, row.features.creditScore)
            insert.bind(14, row.features.creditHistoryMonths)
            insert.bind(15, row.features.recentBankruptcy)
        }
    }

    /// Inserts outcomes inside the caller's write transaction.
    func writeOutcomes(_ rows: some Sequence<OutcomeRow>) throws -> Int {
        try writeSequenced(Schema.outcomes.name, Columns.outcome, rows) { insert, row in
            insert.bind(1, row.applicationID)
            insert.bind(2, row.observedAt.iso8601)
            insert.bind(3, row.defaulted)
            insert.bind(4, row.lossAmount)
        }
    }

    /// Inserts rows with one prepared statement, giving each the next `ingest_seq` (bound after `columns`).
    private func writeSequenced<S: Sequence>(
        _ table: String, _ columns: [String], _ rows: S, bind: (SQLiteStatement, S.Element) -> Void
    ) throws -> Int {
        var sequence = try nextSequence(table)
        let all = columns + ["ingest_seq"]
        let insert = try connection.prepare(
            "INSERT INTO \(table) (\(Columns.list(all))) VALUES (\(Columns.placeholders(all.count)))")
        var written = 0
        for row in rows {
            bind(insert, row)
            insert.bind(Int32(all.count), sequence)
            _ = try insert.step()
            insert.reset()
            sequence += 1
            written += 1
        }
        return written
    }

    @discardableResult public func streamDecisions(
        _ query: RowQuery, sequenced body: (DecisionRow, Int64) throws -> Void
    ) throws -> StreamResult {
        let table = Schema.decisions.name
        let filter = query.sql(timeColumn: "decided_at", timestamp: Self.literal, variantColumn: "variant")
        let select = try connection.prepare(
            "SELECT \(Columns.list(Columns.decision)), ingest_seq FROM \(table)\(filter)")
        var result = StreamResult(rows: 0, lastSequence: nil)
        while try select.step() {
            let sequence = try select.int64(15)
            try body(try decision(select, at: 0)!, sequence ?? 0)
            result.record(sequence)
        }
        return result
    }

    /// Reads the decision columns starting at `first`; `nil` when the application id is null (no
    /// decision on the other side of a join).
    func decision(_ select: SQLiteStatement, at first: Int32) throws -> DecisionRow? {
        guard let applicationID = select.string(first) else { return nil }
        let features = ApplicantFeatures(
            age: select.rowInt(first + 9), annualIncome: select.rowDouble(first + 10),
            debtToIncome: select.rowDouble(first + 11), creditScore: select.rowInt(first + 12),
            creditHistoryMonths: select.rowInt(first + 13), recentBankruptcy: select.rowBool(first + 14))
        return DecisionRow(
            applicationID: applicationID, decidedAt: rowTime(select, first + 1), variant: select.string(first + 2),
            approved: select.rowBool(first + 3), reason: select.string(first + 4),
            propensity: select.rowDouble(first + 5), score: select.rowDouble(first + 6),
            modelVersion: select.string(first + 7), loanAmount: select.rowDouble(first + 8), features: features)
    }

    func outcome(_ select: SQLiteStatement) throws -> OutcomeRow {
        OutcomeRow(
            applicationID: select.string(0) ?? "", observedAt: rowTime(select, 1), defaulted: select.rowBool(2),
            lossAmount: select.rowDouble(3))
    }

    /// The time of a decision or outcome row; ``Timestamp/unreadable`` when it is NULL or not ISO 8601 UTC,
    /// for the readers to count the row as invalid.
    func rowTime(_ statement: SQLiteStatement, _ column: Int32) -> Timestamp {
        statement.time(column) ?? .unreadable
    }

    @discardableResult public func streamOutcomes(
        _ query: RowQuery, sequenced body: (OutcomeRow, Int64) throws -> Void
    ) throws -> StreamResult {
        let table = Schema.outcomes.name
        let filter = query.sql(timeColumn: "observed_at", timestamp: Self.literal)
        let select = try connection.prepare(
            "SELECT \(Columns.list(Columns.outcome)), ingest_seq FROM \(table)\(filter)")
        var result = StreamResult(rows: 0, lastSequence: nil)
        while try select.step() {
            let sequence = try select.int64(4)
            try body(try outcome(select), sequence ?? 0)
            result.record(sequence)
        }
        return result
    }

    @discardableResult public func streamOutcomeMatches(
        _ query: RowQuery, _ body: (OutcomeRow, DecisionRow?, Int64) throws -> Void
    ) throws -> StreamResult {
        let filter = query.sql(timeColumn: "o.observed_at", timestamp: Self.literal, prefix: "o.")
        return try streamOutcomeMatches(TotalsQueries.outcomeJoin + filter, body)
    }

    /// Runs a query shaped like ``TotalsQueries/outcomeJoin`` and hands each outcome to `body`.
    @discardableResult func streamOutcomeMatches(
        _ sql: String, _ body: (OutcomeRow, DecisionRow?, Int64) throws -> Void
    ) throws -> StreamResult {
        let select = try connection.prepare(sql)
        var result = StreamResult(rows: 0, lastSequence: nil)
        while try select.step() {
            let sequence = try select.int64(4)
            try body(try outcome(select), try decision(select, at: 5), sequence ?? 0)
            result.record(sequence)
        }
        return result
    }

    /// Inserts ledger entries inside the caller's write transaction.
    func writeLedger(_ entries: [LedgerEntry]) throws {
        let table = Schema.ledger.name
        let insert = try connection.prepare(
            "INSERT INTO \(table) (\(Columns.list(Columns.ledger))) VALUES (\(Columns.placeholders(4)))")
        for entry in entries {
            insert.bind(1, entry.at.iso8601)
            insert.bind(2, entry.kind)
            insert.bind(3, entry.amount)
            insert.bind(4, entry.note)
            _ = try insert.step()
            insert.reset()
        }
    }

    public func ledger(afterID: Int64?) throws -> [LedgerEntry] {
        let table = Schema.ledger.name
        let select = try connection.prepare(
            "SELECT id, \(Columns.list(Columns.ledger)) FROM \(table) WHERE id > ?1 ORDER BY id")
        select.bind(1, afterID ?? Int64.min)
        var entries: [LedgerEntry] = []
        while try select.step() {
            entries.append(
                LedgerEntry(
                    id: try select.int64(0), at: try timestamp(select, 1, table: table),
                    rawKind: select.string(2) ?? "",
                    amount: try select.double(3) ?? 0, note: select.string(4)))
        }
        return entries
    }

    public func saveModel(_ model: ModelRecord) throws {
        let table = Schema.models.name
        let upsert = try connection.prepare(
            "INSERT OR REPLACE INTO \(table) (\(Columns.list(Columns.model))) VALUES (\(Columns.placeholders(6)))")
        upsert.bind(1, model.version)
        upsert.bind(2, model.kind)
        upsert.bind(3, model.createdAt.iso8601)
        upsert.bind(4, model.status)
        upsert.bind(5, model.spec)
        upsert.bind(6, model.metrics)
        _ = try upsert.step()
    }

    public func models() throws -> [ModelRecord] {
        let table = Schema.models.name
        let select = try connection.prepare(
            "SELECT \(Columns.list(Columns.model)) FROM \(table) ORDER BY created_at, version")
        var records: [ModelRecord] = []
        while try select.step() {
            records.append(
                ModelRecord(
                    version: select.string(0) ?? "", kind: select.string(1) ?? "",
                    createdAt: try timestamp(select, 2, table: table), status: select.string(3) ?? "",
                    spec: select.string(4) ?? "{}", metrics: select.string(5) ?? "{}"))
        }
        return records
    }
}

extension StreamResult {
    /// Counts one row and raises the watermark to its sequence.
    mutating func record(_ sequence: Int64?) {
        rows += 1
        if let sequence, sequence > (lastSequence ?? Int64.min) { lastSequence = sequence }
    }
}
