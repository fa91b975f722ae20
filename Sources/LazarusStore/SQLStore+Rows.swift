import LazarusCore

extension SQLStore {
    // A single COPY or prepared-statement run is atomic only inside a transaction on SQLite, and a COPY is
    // atomic on its own on PostgreSQL: both run in one write transaction here.
    @discardableResult func insertDecisions(_ rows: some Sequence<DecisionRow>) throws -> Int {
        try inTransaction { try writeDecisions(rows) }
    }

    @discardableResult func insertOutcomes(_ rows: some Sequence<OutcomeRow>) throws -> Int {
        try inTransaction { try writeOutcomes(rows) }
    }

    /// Inserts decisions inside the caller's write transaction.
    func writeDecisions(_ rows: some Sequence<DecisionRow>) throws -> Int {
        try database.bulkInsert(into: Schema.decisions, rows) { row, encoder in try row.encode(into: &encoder) }
    }

    /// Inserts outcomes inside the caller's write transaction.
    func writeOutcomes(_ rows: some Sequence<OutcomeRow>) throws -> Int {
        try database.bulkInsert(into: Schema.outcomes, rows) { row, encoder in try row.encode(into: &encoder) }
    }

    @discardableResult func streamDecisions(
        _ query: RowQuery, sequenced body: (DecisionRow, Int64) throws -> Void
    ) throws -> StreamResult {
        let filter = query.sql(timeColumn: "decided_at", timestamp: dialect.literal, variantColumn: "variant")
        return try streamDecisions(filter: filter, body)
    }

    /// Decisions with their sequence, filtered by `filter` (a `WHERE` clause and any `ORDER BY`).
    @discardableResult func streamDecisions(
        filter: String, _ body: (DecisionRow, Int64) throws -> Void
    ) throws -> StreamResult {
        var select = SelectList()
        select.add(DecisionRow.columns)
        select.add(Schema.ingestSequence.name, .bigint)
        let decoder = DecisionRow.Decoder(select)
        let sequence = select.position(Schema.ingestSequence.name)
        var result = StreamResult(rows: 0, lastSequence: nil)
        try self.query(select, "FROM \(Schema.decisions.name)\(filter)") { row in
            guard let decision = try decoder.decode(row) else { throw Self.nullKey() }
            let seq = try row.sequence(sequence)
            try body(decision, seq ?? 0)
            result.record(seq)
        }
        return result
    }

    @discardableResult func streamOutcomes(
        _ query: RowQuery, sequenced body: (OutcomeRow, Int64) throws -> Void
    ) throws -> StreamResult {
        var select = SelectList()
        select.add(OutcomeRow.columns)
        select.add(Schema.ingestSequence.name, .bigint)
        let decoder = OutcomeRow.Decoder(select)
        let sequence = select.position(Schema.ingestSequence.name)
        let filter = query.sql(timeColumn: "observed_at", timestamp: dialect.literal)
        var result = StreamResult(rows: 0, lastSequence: nil)
        try self.query(select, "FROM \(Schema.outcomes.name)\(filter)") { row in
            let seq = try row.sequence(sequence)
            try body(try decoder.decode(row), seq ?? 0)
            result.record(seq)
        }
        return result
    }

    @discardableResult func streamOutcomeMatches(
        _ query: RowQuery, _ body: (OutcomeRow, DecisionRow?, Int64) throws -> Void
    ) throws -> StreamResult {
        let filter = query.sql(timeColumn: "o.observed_at", timestamp: dialect.literal, prefix: "o.")
        return try streamOutcomeMatches(filter: filter, body)
    }

    /// Outcomes (aliased `o`) joined to their decisions (`d`, null when there is none), with the outcome's
    /// sequence, filtered by `filter` (a `WHERE` clause and any `ORDER BY`).
    @discardableResult func streamOutcomeMatches(
        filter: String, _ body: (OutcomeRow, DecisionRow?, Int64) throws -> Void
    ) throws -> StreamResult {
        var select = SelectList()
        select.add(OutcomeRow.columns, prefix: "o.")
        select.add("o.ingest_seq", .bigint)
        select.add(DecisionRow.columns, prefix: "d.")
        let outcomes = OutcomeRow.Decoder(select, prefix: "o.")
        let decisions = DecisionRow.Decoder(select, prefix: "d.")
        let sequence = select.position("o.ingest_seq")
        var result = StreamResult(rows: 0, lastSequence: nil)
        let from = """
            FROM \(Schema.outcomes.name) o LEFT JOIN \(Schema.decisions.name) d ON d.application_id = o.application_id
            """
        try self.query(select, from + filter) { row in
            let seq = try row.sequence(sequence)
            try body(try outcomes.decode(row), try decisions.decode(row), seq ?? 0)
            result.record(seq)
        }
        return result
    }

    static func nullKey() -> StoreError {
        StoreError(.corruptData, "a decision has no application id")
    }
}

extension StreamResult {
    /// Counts one row and raises the watermark to its sequence.
    mutating func record(_ sequence: Int64?) {
        rows += 1
        if let sequence, sequence > (lastSequence ?? Int64.min) { lastSequence = sequence }
    }
}
