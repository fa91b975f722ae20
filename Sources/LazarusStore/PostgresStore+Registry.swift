import LazarusCore

extension PostgresStore {
    public func appendLedger(_ entries: [LedgerEntry]) throws {
        try inTransaction { try writeLedger(entries) }
    }

    /// Inserts ledger entries inside the caller's transaction.
    func writeLedger(_ entries: [LedgerEntry]) throws {
        for entry in entries {
            try connection.execute(
                "INSERT INTO \(Schema.ledger.name) (\(Columns.list(Columns.ledger))) "
                    + "VALUES ($1::timestamptz, $2, $3::float8, $4)",
                [entry.at.iso8601, entry.kind, String(entry.amount), entry.note])
        }
    }

    public func ledger(afterID: Int64?) throws -> [LedgerEntry] {
        let result = try connection.execute(
            "SELECT id, \(Self.micros("at")), kind, amount::float8, note FROM \(Schema.ledger.name) "
                + "WHERE id > $1::bigint ORDER BY id",
            [String(afterID ?? Int64.min)])
        return try (0..<result.rowCount).map { row in
            guard let amount = result.string(row, 3).flatMap(Double.init) else {
                throw StoreError(.corruptData, "\(Schema.ledger.name) has an amount this reader cannot decode")
            }
            return LedgerEntry(
                id: result.string(row, 0).flatMap { Int64($0) }, at: try Self.timestamp(result.string(row, 1)),
                rawKind: result.string(row, 2) ?? "", amount: amount, note: result.string(row, 4))
        }
    }

    public func saveModel(_ model: ModelRecord) throws {
        try connection.execute(
            """
            INSERT INTO \(Schema.models.name) (\(Columns.list(Columns.model)))
            VALUES ($1, $2, $3::timestamptz, $4, $5::jsonb, $6::jsonb)
            ON CONFLICT (version) DO UPDATE SET kind = EXCLUDED.kind, created_at = EXCLUDED.created_at,
                status = EXCLUDED.status, spec = EXCLUDED.spec, metrics = EXCLUDED.metrics
            """,
            [model.version, model.kind, model.createdAt.iso8601, model.status, model.spec, model.metrics])
    }

    public func models() throws -> [ModelRecord] {
        let result = try connection.execute(
            "SELECT version, kind, \(Self.micros("created_at")), status, spec::text, metrics::text "
                + "FROM \(Schema.models.name) ORDER BY created_at, version")
        return try (0..<result.rowCount).map { row in
            ModelRecord(
                version: result.string(row, 0) ?? "", kind: result.string(row, 1) ?? "",
                createdAt: try Self.timestamp(result.string(row, 2)), status: result.string(row, 3) ?? "",
                spec: result.string(row, 4) ?? "{}", metrics: result.string(row, 5) ?? "{}")
        }
    }
}
