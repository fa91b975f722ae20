import LazarusCore

/// Everything SQL that SQLite and PostgreSQL spell differently, and nothing else: every query is
/// written once over these, and a backend supplies only its dialect, a row reader and its bulk paths.
enum SQLDialect: Sendable {
    case sqlite, postgres

    // MARK: Values

    /// A column read as `type`: PostgreSQL's binary COPY carries no types, so every column is cast to the one
    /// its decoder reads (integers widened to 64 bits); SQLite reports each value's own type.
    func read(_ expression: String, _ type: SQLType) -> String {
        guard self == .postgres else { return expression }
        let cast =
            switch type {
            case .text, .json: "text"
            case .real: "float8"
            case .integer, .bigint: "int8"
            case .boolean: "boolean"
            case .time: "timestamptz"
            }
        return "(\(expression))::\(cast)"
    }

    /// Parameter `index` (1-based) of a statement, with the cast PostgreSQL's text parameters need.
    func placeholder(_ index: Int, _ type: SQLType) -> String {
        guard self == .postgres else { return "?\(index)" }
        let cast =
            switch type {
            case .text: ""
            case .real: "::float8"
            case .integer, .bigint: "::int8"
            case .boolean: "::boolean"
            case .time: "::timestamptz"
            case .json: "::jsonb"
            }
        return "$\(index)\(cast)"
    }

    /// Placeholders for `values`, comma-separated.
    func placeholders(_ values: [SQLValue]) -> String {
        values.enumerated().map { placeholder($0.offset + 1, $0.element.type) }.joined(separator: ", ")
    }

    /// A timestamp as an SQL literal: the store's fixed-width text on SQLite, a `timestamptz` on PostgreSQL.
    func literal(_ t: Timestamp) -> String {
        self == .postgres ? "'\(t.iso8601)'::timestamptz" : "'\(t.iso8601)'"
    }

    /// Boolean true and false in a comparison.
    var yes: String { self == .postgres ? "true" : "1" }
    var no: String { self == .postgres ? "false" : "0" }

    /// The current time as the store writes it.
    var now: String { self == .postgres ? "now()" : "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')" }

    // MARK: Predicates that must mean what the row readers mean

    /// `x` is a finite number. PostgreSQL orders NaN above infinity; SQLite stores NaN as NULL.
    func finite(_ x: String) -> String {
        switch self {
        case .postgres: "(\(x) > '-Infinity'::float8 AND \(x) < 'Infinity'::float8)"
        case .sqlite: "(\(x) > -1e999 AND \(x) < 1e999)"
        }
    }

    /// `x` is a whole number as the row readers read one: on SQLite an INTEGER column can hold 30.5,
    /// which they take as missing.
    func integral(_ x: String) -> String {
        self == .sqlite ? "typeof(\(x)) = 'integer'" : "\(x) IS NOT NULL"
    }

    /// The UTC day number of a time column (``Timestamp/utcDay``).
    func day(_ column: String) -> String {
        switch self {
        // Date arithmetic, not extract(epoch): that is numeric since PostgreSQL 14, and dividing it on every
        // row made the sample query three times slower (10M rows: seconds).
        case .postgres: "((\(column) AT TIME ZONE 'UTC')::date - DATE '1970-01-01')"
        case .sqlite: "CAST(julianday(substr(\(column), 1, 10)) - 2440587.5 AS INTEGER)"
        }
    }

    /// `x` is a boolean: not null, and on SQLite (which stores booleans as integers, and reads any non-zero
    /// value as true) exactly 0 or 1, so that `approved = 1` means what the row reader means.
    func boolean(_ x: String) -> String {
        self == .postgres ? "\(x) IS NOT NULL" : "(typeof(\(x)) = 'integer' AND \(x) IN (0, 1))"
    }

    /// `x` is a time the row readers read as a plausible instant (``Timestamp/isPlausible``), never more
    /// lenient: on PostgreSQL not NULL, finite and in the years 1900–9999; on SQLite, in addition, in the
    /// store's own fixed-width form and a real date (other spellings are left to the row readers).
    func plausibleTime(_ x: String) -> String {
        switch self {
        case .postgres:
            let (low, high) = ("'1900-01-01 00:00:00+00'::timestamptz", "'9999-12-31 23:59:59.999999+00'::timestamptz")
            return "(\(x) >= \(low) AND \(x) <= \(high))"
        case .sqlite:
            let shape =
                "[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z"
            // julianday alone takes 2023-02-30 and 24:00, which the row readers refuse.
            return """
                (\(x) GLOB '\(shape)' AND substr(\(x), 1, 4) >= '1900' AND julianday(\(x)) IS NOT NULL
                AND date(julianday(substr(\(x), 1, 10))) = substr(\(x), 1, 10) AND substr(\(x), 12, 2) < '24')
                """
        }
    }

    /// `decided_at` is on one of `days` (UTC day numbers). On PostgreSQL as a range of instants, the same
    /// days exactly, which the `decided_at` index answers without a full scan.
    func decided(onDays days: Range<Int64>) -> String {
        switch self {
        case .postgres:
            let perDay = Timestamp.microsecondsPerDay
            let start = Timestamp(microseconds: days.lowerBound * perDay)
            let end = Timestamp(microseconds: days.upperBound * perDay)
            // A window ending after 9999-12-31 has no upper bound: year 10000 has no ISO 8601 literal here.
            guard end.isPlausible else { return "(decided_at >= \(literal(start)))" }
            return "(decided_at >= \(literal(start)) AND decided_at < \(literal(end)))"
        case .sqlite:
            return "(\(day("decided_at")) >= \(days.lowerBound) AND \(day("decided_at")) < \(days.upperBound))"
        }
    }

    // MARK: Transactions and housekeeping

    /// Opens a write transaction: on SQLite an immediate one, which takes the write lock at once.
    var beginWrite: String { self == .postgres ? "BEGIN" : "BEGIN IMMEDIATE" }

    /// Opens a read-only snapshot: on SQLite a deferred transaction, whose first read fixes the snapshot
    /// and which in WAL mode blocks no writer.
    var beginSnapshot: String {
        self == .postgres ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN DEFERRED"
    }

    /// Keeps other writers out of `tables` until commit, inside a write transaction (SQLite's immediate
    /// transaction already does); `nil` when nothing is needed.
    func lockForWrite(_ tables: [String]) -> String? {
        self == .postgres ? "LOCK TABLE \(tables.joined(separator: ", ")) IN SHARE ROW EXCLUSIVE MODE" : nil
    }

    /// Makes two migrators starting at once wait for each other (SQLite's immediate transaction already does).
    var lockForMigration: String? {
        self == .postgres ? "SELECT pg_advisory_xact_lock(hashtext('lazarus_schema_migrations'))" : nil
    }

    /// Deletes every row of `tables`, identities restarted where there are any.
    func deleteAll(_ tables: [String]) -> [String] {
        self == .postgres
            ? ["TRUNCATE \(tables.joined(separator: ", ")) RESTART IDENTITY"] : tables.map { "DELETE FROM \($0)" }
    }

    /// Rows (`table_name`) of those of `tables` that exist but the current role may not `SELECT` from;
    /// `nil` where the database has no privileges (SQLite: whoever can open the file can read it).
    func unreadableTables(_ tables: [String]) -> String? {
        guard self == .postgres else { return nil }
        let names = tables.map { "('\($0)')" }.joined(separator: ", ")
        // CASE keeps has_table_privilege away from a table that does not exist, where it would raise.
        return """
            SELECT t.name FROM (VALUES \(names)) AS t(name)
            WHERE CASE WHEN to_regclass(t.name) IS NULL THEN false ELSE NOT has_table_privilege(t.name, 'SELECT') END
            """
    }

    /// One row: the session's statement timeout in milliseconds (0 for none) and where it was set (`default`,
    /// `session` for a `SET`, `client` for the URL's options, `user`, `database`, …); `nil` without one.
    var statementTimeoutSetting: String? {
        self == .postgres ? "SELECT setting::bigint, source FROM pg_settings WHERE name = 'statement_timeout'" : nil
    }

    /// One row, column `present`, when `table` exists.
    func tableExists(_ table: String) -> String {
        switch self {
        case .postgres: "SELECT 1 AS present WHERE to_regclass('\(table)') IS NOT NULL"
        case .sqlite: "SELECT 1 AS present FROM sqlite_master WHERE type = 'table' AND name = '\(table)'"
        }
    }

    /// Rows (`table_name`, `column_name`) of the columns of `tables` that exist.
    func columns(of tables: [String]) -> String {
        let names = tables.map { "'\($0)'" }.joined(separator: ", ")
        switch self {
        case .postgres:
            return """
                SELECT table_name::text, column_name::text FROM information_schema.columns
                WHERE table_schema = current_schema() AND table_name IN (\(names))
                """
        case .sqlite:
            return """
                SELECT m.name AS table_name, p.name AS column_name FROM sqlite_master m, pragma_table_info(m.name) p
                WHERE m.type IN ('table', 'view') AND m.name IN (\(names))
                """
        }
    }

    /// Each of `tables`' single-column, non-partial unique indexes (a primary key among them): table, column.
    func uniqueKeys(of tables: [String]) -> String {
        let names = tables.map { "'\($0)'" }.joined(separator: ", ")
        switch self {
        case .postgres:
            return """
                SELECT c.relname::text, a.attname::text FROM pg_index i
                JOIN pg_class c ON c.oid = i.indrelid
                JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()
                JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
                WHERE i.indisunique AND i.indnkeyatts = 1 AND i.indpred IS NULL AND i.indisvalid
                    AND c.relname IN (\(names))
                """
        case .sqlite:
            return """
                SELECT m.name, ii.name FROM sqlite_master m, pragma_index_list(m.name) il, pragma_index_info(il.name) ii
                WHERE m.type = 'table' AND m.name IN (\(names)) AND il."unique" = 1 AND il.partial = 0
                    AND (SELECT count(*) FROM pragma_index_info(il.name)) = 1
                """
        }
    }

    /// The type of a column in `CREATE TABLE`.
    func ddl(_ column: Schema.Column) -> String { self == .postgres ? column.postgres : column.sqlite }
}
