import LazarusCore

extension SQLStore {
    func appendLedger(_ entries: [LedgerEntry]) throws {
        try inTransaction { try writeLedger(entries) }
    }

    /// Inserts ledger entries inside the caller's write transaction.
    ///
    /// Statement by statement with parameters, not the bulk path: the table is small, and a lender's own ledger
    /// table (with, say, a `numeric` amount) takes text parameters where binary COPY needs exact types.
    func writeLedger(_ entries: [LedgerEntry]) throws {
        let columns = Schema.ledger.writtenColumns.map(\.name).joined(separator: ", ")
        for entry in entries {
            let values = entry.values
            try database.execute(
                "INSERT INTO \(Schema.ledger.name) (\(columns)) VALUES (\(dialect.placeholders(values)))", values)
        }
    }

    func ledger(afterID: Int64?) throws -> [LedgerEntry] {
        var select = SelectList()
        select.add(Schema.ledger.columns)
        let decoder = LedgerEntry.Decoder(select)
        var entries: [LedgerEntry] = []
        // The id is an integer this store formats itself, never user text.
        let after = afterID.map { " WHERE id > \($0)" } ?? ""
        try query(select, "FROM \(Schema.ledger.name)\(after) ORDER BY id") { row in
            entries.append(try decoder.decode(row))
        }
        return entries
    }

    func saveModel(_ model: ModelRecord) throws {
        let columns = Schema.models.columns.map(\.name)
        let updates = columns.dropFirst().map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
        let values = model.values
        try database.execute(
            """
            INSERT INTO \(Schema.models.name) (\(columns.joined(separator: ", "))) VALUES (\(dialect.placeholders(values)))
            ON CONFLICT (version) DO UPDATE SET \(updates)
            """, values)
    }

    func models() throws -> [ModelRecord] {
        var select = SelectList()
        select.add(Schema.models.columns)
        let decoder = ModelRecord.Decoder(select)
        var records: [ModelRecord] = []
        try query(select, "FROM \(Schema.models.name) ORDER BY created_at, version") { row in
            records.append(try decoder.decode(row))
        }
        return records
    }
}
