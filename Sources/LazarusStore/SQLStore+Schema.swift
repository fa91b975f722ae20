import LazarusCore

extension SQLStore {
    @discardableResult func migrate() throws -> MigrationResult {
        try inTransaction {
            if let lock = dialect.lockForMigration { try database.execute(lock) }
            let before = try appliedSchemaVersion()
            if let before, before > Schema.currentVersion { throw Schema.tooNewError(before) }
            try database.execute(migrationsTableDDL)
            for version in stride(from: (before ?? 0) + 1, through: Schema.currentVersion, by: 1) {
                for statement in Schema.migration(version, dialect) { try database.execute(statement) }
                try database.execute(
                    "INSERT INTO \(Schema.migrationsTable) (version, applied_at, description) "
                        + "VALUES (\(version), \(dialect.now), 'lazarus schema v\(version)')")
            }
            // Checked inside the transaction: a table someone else created without our columns makes
            // the whole migration roll back, leaving their table and its rows exactly as they were.
            let missing = Schema.missingColumns(Schema.tables, found: try existingColumns())
            guard missing.isEmpty else { throw Schema.missingColumnsError(missing) }
            // A foreign table without our key would count a row written twice twice: the key is added, and
            // rows already duplicated are refused, not picked between.
            for (table, key) in Schema.unkeyedTables(found: try existingKeys()) {
                var select = SelectList()
                select.add("n", .bigint, "count(*) - count(DISTINCT \(key))")
                let duplicates = try first(select, "FROM \(table)") { try $0.count(0) } ?? 0
                guard duplicates == 0 else { throw Schema.duplicateKeysError(table, key, duplicates) }
                try database.execute(Schema.keyIndex(table, key))
            }
            for statement in Schema.indexes(dialect) { try database.execute(statement) }
            return MigrationResult(from: before, to: Schema.currentVersion)
        }
    }

    @discardableResult func verifySchema() throws -> Int {
        // First the grants: without SELECT, PostgreSQL's catalogue hides a table's columns, and the reader
        // would be told to add columns that are there.
        if let query = dialect.unreadableTables(Schema.readTables.map(\.name) + [Schema.migrationsTable]) {
            var unreadable: [String] = []
            try database.query(query) { row in try row.text(0).map { unreadable.append($0) } }
            if !unreadable.isEmpty { throw Schema.permissionError(unreadable) }
        }
        guard let version = try appliedSchemaVersion() else {
            throw StoreError(.notMigrated, "the store has no Lazarus tables yet; run `lazarus-store migrate` first")
        }
        if version > Schema.currentVersion { throw Schema.tooNewError(version) }
        // Readers need the design's tables only: the budget state is the simulator's.
        let missing = Schema.missingColumns(Schema.readTables, found: try existingColumns())
        guard missing.isEmpty else { throw Schema.missingColumnsError(missing) }
        let readNames = Set(Schema.readTables.map(\.name))
        if let (table, key) = Schema.unkeyedTables(found: try existingKeys()).first(where: {
            readNames.contains($0.table)
        }) {
            throw Schema.unkeyedError(table, key)
        }
        return version
    }

    /// The highest applied migration, or `nil` when the migrations table does not exist.
    private func appliedSchemaVersion() throws -> Int? {
        var exists = false
        try database.query(dialect.tableExists(Schema.migrationsTable)) { _ in exists = true }
        guard exists else { return nil }
        var select = SelectList()
        select.add("version", .bigint, "max(version)")
        return try first(select, "FROM \(Schema.migrationsTable)") { try $0.integer(0) }?.map { Int($0) }
    }

    /// The column names of every Lazarus table that exists.
    private func existingColumns() throws -> [String: Set<String>] {
        try columnsByTable(dialect.columns(of: Schema.tables.map(\.name)))
    }

    /// Per Lazarus table, the columns that a primary key or a single-column unique index keeps unique.
    private func existingKeys() throws -> [String: Set<String>] {
        try columnsByTable(dialect.uniqueKeys(of: Schema.tables.map(\.name)))
    }

    /// A catalogue query's (table, column) rows, grouped by table.
    private func columnsByTable(_ sql: String) throws -> [String: Set<String>] {
        var found: [String: Set<String>] = [:]
        try database.query(sql) { row in
            guard let table = try row.text(0), let column = try row.text(1) else { return }
            found[table, default: []].insert(column)
        }
        return found
    }

    private var migrationsTableDDL: String {
        let (integer, time, text) =
            dialect == .postgres ? ("integer", "timestamptz", "text") : ("INTEGER", "TEXT", "TEXT")
        return """
            CREATE TABLE IF NOT EXISTS \(Schema.migrationsTable) (
                version \(integer) PRIMARY KEY, applied_at \(time) NOT NULL, description \(text))
            """
    }
}
