/// What migration needs from a backend; the steps themselves are shared by both stores.
protocol SchemaMigrator {
    var dialect: Schema.Dialect { get }
    /// Runs statements that return no rows.
    func run(_ sql: String) throws
    /// The highest applied migration, or `nil` when the migrations table does not exist.
    func appliedSchemaVersion() throws -> Int?
    /// The column names of every Lazarus table that exists.
    func existingColumns() throws -> [String: Set<String>]
    /// Runs `body` in a transaction that excludes other migrators, rolling back if it throws.
    func inSchemaTransaction<T>(_ body: () throws -> T) throws -> T
}

extension SchemaMigrator {
    func migrateSchema() throws -> MigrationResult {
        try inSchemaTransaction {
            let before = try appliedSchemaVersion()
            if let before, before > Schema.currentVersion { throw Schema.tooNewError(before) }
            try run(migrationsTableDDL)
            for version in stride(from: (before ?? 0) + 1, through: Schema.currentVersion, by: 1) {
                for statement in Schema.migration(version, dialect) { try run(statement) }
                try run(
                    "INSERT INTO \(Schema.migrationsTable) (version, applied_at, description) "
                        + "VALUES (\(version), \(nowSQL), 'lazarus schema v\(version)')")
            }
            // Checked inside the transaction: a table someone else created without our columns makes
            // the whole migration roll back, leaving their table and its rows exactly as they were.
            let missing = Schema.missingColumns(found: try existingColumns())
            guard missing.isEmpty else { throw Schema.missingColumnsError(missing) }
            for statement in Schema.indexes(dialect) { try run(statement) }
            return MigrationResult(from: before, to: Schema.currentVersion)
        }
    }

    func verifyExistingSchema() throws -> Int {
        guard let version = try appliedSchemaVersion() else {
            throw StoreError(.notMigrated, "the store has no Lazarus tables yet; run `lazarus-store migrate` first")
        }
        if version > Schema.currentVersion { throw Schema.tooNewError(version) }
        let missing = Schema.missingColumns(found: try existingColumns())
        guard missing.isEmpty else { throw Schema.missingColumnsError(missing) }
        return version
    }

    private var migrationsTableDDL: String {
        switch dialect {
        case .postgres:
            return """
                CREATE TABLE IF NOT EXISTS \(Schema.migrationsTable) (
                    version integer PRIMARY KEY, applied_at timestamptz NOT NULL, description text)
                """
        case .sqlite:
            return """
                CREATE TABLE IF NOT EXISTS \(Schema.migrationsTable) (
                    version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL, description TEXT)
                """
        }
    }

    private var nowSQL: String {
        dialect == .postgres ? "now()" : "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
    }
}
