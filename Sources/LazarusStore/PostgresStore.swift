import LazarusCore

/// The PostgreSQL store, through libpq: binary COPY for bulk writes and streaming reads.
public final class PostgresStore: Store {
    public let url: StoreURL
    let connection: PostgresConnection

    /// Connects to the database a libpq URI names.
    /// - Parameter uri: `postgres://…` or `postgresql://…`, passed to libpq as is.
    /// - Throws: ``StoreError`` with code `connectionFailed`; the message never holds the password.
    public init(uri: String) throws {
        self.url = .postgres(uri: uri)
        self.connection = try PostgresConnection(uri: uri)
        // Timestamps are written and compared in UTC whatever the server's default.
        try connection.execute("SET TIME ZONE 'UTC'")
    }

    @discardableResult public func migrate() throws -> MigrationResult { try migrateSchema() }

    @discardableResult public func verifySchema() throws -> Int { try verifyExistingSchema() }

    /// Runs `body` in a transaction, rolling back if it throws.
    /// - Parameters:
    ///   - begin: the statement that opens it (a read-only snapshot is opened differently).
    ///   - body: the work.
    @discardableResult func inTransaction<T>(begin: String = "BEGIN", _ body: () throws -> T) throws -> T {
        try connection.execute(begin)
        do {
            let result = try body()
            try connection.execute("COMMIT")
            return result
        } catch {
            _ = try? connection.execute("ROLLBACK")
            throw error
        }
    }

    /// A timestamp as an SQL literal.
    static func literal(_ t: Timestamp) -> String { "'\(t.iso8601)'::timestamptz" }

    /// Epoch microseconds of a timestamp expression, exact (`extract` returns numeric since PostgreSQL 14).
    static func micros(_ expression: String) -> String {
        "(extract(epoch FROM \(expression)) * 1000000)::bigint"
    }

    static func timestamp(_ text: String?) throws -> Timestamp {
        guard let text, let micros = Int64(text) else {
            throw StoreError(.corruptData, "PostgreSQL returned a time this reader cannot decode")
        }
        return Timestamp(microseconds: micros)
    }
}

extension PostgresStore: SchemaMigrator {
    var dialect: Schema.Dialect { .postgres }

    func run(_ sql: String) throws { try connection.execute(sql) }

    func appliedSchemaVersion() throws -> Int? {
        let exists = try connection.execute("SELECT to_regclass($1) IS NOT NULL", [Schema.migrationsTable])
        guard exists.string(0, 0) == "t" else { return nil }
        let max = try connection.execute("SELECT max(version) FROM \(Schema.migrationsTable)")
        return max.string(0, 0).flatMap { Int($0) }
    }

    func existingColumns() throws -> [String: Set<String>] {
        let result = try connection.execute(
            """
            SELECT table_name, column_name FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = ANY($1::text[])
            """,
            ["{" + Schema.tables.map(\.name).joined(separator: ",") + "}"])
        var found: [String: Set<String>] = [:]
        for row in 0..<result.rowCount {
            guard let table = result.string(row, 0), let column = result.string(row, 1) else { continue }
            found[table, default: []].insert(column)
        }
        return found
    }

    func inSchemaTransaction<T>(_ body: () throws -> T) throws -> T {
        try inTransaction {
            // Two migrators starting at once would both see version 0; the lock makes the second wait.
            try connection.execute("SELECT pg_advisory_xact_lock(hashtext('lazarus_schema_migrations'))")
            return try body()
        }
    }
}
