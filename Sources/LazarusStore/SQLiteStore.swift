import LazarusCore

/// The embedded store: one SQLite file in WAL mode, so the exporter can read while the simulator writes.
public final class SQLiteStore: Store {
    public let url: StoreURL
    let connection: SQLiteConnection

    /// Opens (creating if needed) the SQLite file at `path`. Its directory must exist.
    /// - Parameter path: a relative or absolute file path.
    /// - Throws: ``StoreError`` with code `connectionFailed` when the file cannot be created or is not a database.
    public init(path: String) throws {
        self.url = .sqlite(path: path)
        self.connection = try SQLiteConnection(path: path)
        // WAL lets readers and one writer work at once; NORMAL sync is durable at each checkpoint and
        // safe against corruption, which is what a store rebuilt from the lender's tables needs.
        // The page cache may grow to 1 GiB (only as used): a bulk write larger than the cache spills
        // pages to the WAL one at a time, over and over, and runs several times slower.
        try connection.execute(
            "PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
                + " PRAGMA cache_size = -1048576;")
    }

    @discardableResult public func migrate() throws -> MigrationResult { try migrateSchema() }

    @discardableResult public func verifySchema() throws -> Int { try verifyExistingSchema() }

    /// Runs `body` in a transaction, by default an immediate (write-locking) one, rolling back if it throws.
    /// - Parameters:
    ///   - begin: the statement that opens it (a read-only snapshot is opened differently).
    ///   - body: the work.
    @discardableResult func inTransaction<T>(begin: String = "BEGIN IMMEDIATE", _ body: () throws -> T) throws -> T {
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

    /// A timestamp as an SQL literal in this store's fixed-width text form.
    static func literal(_ t: Timestamp) -> String { "'\(t.iso8601)'" }

    /// Parses a stored timestamp, failing loudly rather than inventing one.
    func timestamp(_ statement: SQLiteStatement, _ column: Int32, table: String) throws -> Timestamp {
        guard let text = statement.string(column), let t = Timestamp(iso8601: text) else {
            throw StoreError(
                .corruptData, "SQLite store '\(connection.path)': \(table) has a time that is not ISO 8601 UTC")
        }
        return t
    }

    /// The next free ingest sequence of a table; call inside a write transaction.
    func nextSequence(_ table: String) throws -> Int64 {
        let statement = try connection.prepare("SELECT COALESCE(MAX(ingest_seq), 0) + 1 FROM \(table)")
        _ = try statement.step()
        return try statement.int64(0) ?? 1
    }
}

extension SQLiteStore: SchemaMigrator {
    var dialect: Schema.Dialect { .sqlite }

    func run(_ sql: String) throws { try connection.execute(sql) }

    func appliedSchemaVersion() throws -> Int? {
        let exists = try connection.prepare(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '\(Schema.migrationsTable)'")
        guard try exists.step() else { return nil }
        let max = try connection.prepare("SELECT MAX(version) FROM \(Schema.migrationsTable)")
        _ = try max.step()
        return try max.int(0)
    }

    func existingColumns() throws -> [String: Set<String>] {
        var found: [String: Set<String>] = [:]
        let statement = try connection.prepare("SELECT name FROM pragma_table_info(?)")
        for table in Schema.tables {
            statement.reset()
            statement.bind(1, table.name)
            var names = Set<String>()
            while try statement.step() { names.insert(statement.string(0) ?? "") }
            if !names.isEmpty { found[table.name] = names }
        }
        return found
    }

    func inSchemaTransaction<T>(_ body: () throws -> T) throws -> T { try inTransaction(body) }
}
