import CSQLite
import LazarusCore

/// The one file that speaks to the SQLite C library: a connection and its prepared statements.
///
/// Each type owns its handle and releases it exactly once, in `deinit` (`sqlite3_close_v2`,
/// `sqlite3_finalize`), so early returns and thrown errors cannot leak or double-free.
final class SQLiteConnection {
    private let handle: OpaquePointer
    let path: String

    /// Opens (creating if needed) the database file at `path`.
    init(path: String) throws {
        var db: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let reason = db.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(rc))
            // sqlite3_open_v2 hands back a handle even on failure; it must still be closed.
            sqlite3_close_v2(db)
            throw StoreError(.connectionFailed, "cannot open SQLite store '\(path)': \(reason)")
        }
        self.handle = db
        self.path = path
        sqlite3_extended_result_codes(db, 1)
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    /// Runs one or more statements that return no rows.
    func execute(_ sql: String) throws {
        var errorMessage: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &errorMessage)
        defer { sqlite3_free(errorMessage) }
        guard rc == SQLITE_OK else {
            let reason = errorMessage.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(rc))
            throw error(code: rc, reason: reason)
        }
    }

    /// Compiles a statement.
    func prepare(_ sql: String) throws -> SQLiteStatement {
        var statement: OpaquePointer?
        let rc = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard rc == SQLITE_OK, let statement else {
            sqlite3_finalize(statement)
            throw error(code: rc, reason: String(cString: sqlite3_errmsg(handle)))
        }
        return SQLiteStatement(statement, connection: self)
    }

    /// Maps an SQLite result code to a store error.
    func error(code: Int32, reason: String) -> StoreError {
        let primary = code & 0xff
        if code == lazarus_sqlite_constraint_primarykey() || code == lazarus_sqlite_constraint_unique() {
            // SQLite names the failing column, never the value, so its message is safe to show.
            return StoreError(.duplicateKey, "SQLite store '\(path)': \(reason)")
        }
        switch primary {
        case SQLITE_NOTADB, SQLITE_CORRUPT:
            return StoreError(.connectionFailed, "SQLite store '\(path)' is not a usable database: \(reason)")
        case SQLITE_CANTOPEN, SQLITE_READONLY, SQLITE_FULL, SQLITE_IOERR, SQLITE_PERM:
            return StoreError(.connectionFailed, "SQLite store '\(path)': \(reason)")
        default:
            return StoreError(.databaseError, "SQLite store '\(path)': \(reason)")
        }
    }

    fileprivate var lastError: String { String(cString: sqlite3_errmsg(handle)) }
}

/// A prepared statement. Bind with 1-based indexes, then `step()` until it returns `false`.
final class SQLiteStatement {
    private let handle: OpaquePointer
    private let connection: SQLiteConnection

    fileprivate init(_ handle: OpaquePointer, connection: SQLiteConnection) {
        self.handle = handle
        self.connection = connection
    }

    deinit {
        sqlite3_finalize(handle)
    }

    func bind(_ index: Int32, _ value: String?) {
        guard let value else { return bindNull(index) }
        sqlite3_bind_text(handle, index, value, -1, lazarus_sqlite_transient())
    }

    func bind(_ index: Int32, _ value: Double?) {
        guard let value else { return bindNull(index) }
        sqlite3_bind_double(handle, index, value)
    }

    func bind(_ index: Int32, _ value: Int64?) {
        guard let value else { return bindNull(index) }
        sqlite3_bind_int64(handle, index, value)
    }

    func bind(_ index: Int32, _ value: Int?) {
        bind(index, value.map { Int64($0) })
    }

    func bind(_ index: Int32, _ value: Bool?) {
        bind(index, value.map { Int64($0 ? 1 : 0) })
    }

    private func bindNull(_ index: Int32) {
        sqlite3_bind_null(handle, index)
    }

    /// Advances the statement.
    /// - Returns: `true` when a row is available, `false` when done.
    func step() throws -> Bool {
        let rc = sqlite3_step(handle)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw connection.error(code: rc, reason: connection.lastError)
        }
    }

    /// Makes the statement ready to be bound and run again.
    func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    func string(_ column: Int32) -> String? {
        guard let text = sqlite3_column_text(handle, column) else { return nil }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }

    /// A text column parsed as an ISO 8601 UTC time straight from SQLite's buffer (no `String` per row);
    /// `nil` when it is NULL or no such time.
    func time(_ column: Int32) -> Timestamp? {
        guard let text = sqlite3_column_text(handle, column) else { return nil }
        let count = Int(sqlite3_column_bytes(handle, column))
        return Timestamp(iso8601Bytes: UnsafeBufferPointer(start: text, count: count))
    }

    /// Reads an INTEGER column; text, a blob or a fractional number is an error.
    func int64(_ column: Int32) throws -> Int64? {
        switch sqlite3_column_type(handle, column) {
        case SQLITE_NULL: return nil
        case SQLITE_INTEGER: return sqlite3_column_int64(handle, column)
        default: throw typeError(column, expected: "an integer")
        }
    }

    // The readers of a row that may break the contract (decisions and outcomes, which other programs
    // write): a wrongly typed value makes the row invalid, counted by the exporter and the report, instead
    // of an error that would stop the whole read, and every refresh after it, at that one row.

    /// A REAL column of such a row: NULL is nil, text or a blob is NaN (a non-finite value).
    func rowDouble(_ column: Int32) -> Double? {
        switch sqlite3_column_type(handle, column) {
        case SQLITE_NULL: return nil
        case SQLITE_FLOAT, SQLITE_INTEGER: return sqlite3_column_double(handle, column)
        default: return .nan
        }
    }

    /// An INTEGER column of such a row: NULL, text, a blob or a fractional number is nil (missing).
    func rowInt64(_ column: Int32) -> Int64? {
        sqlite3_column_type(handle, column) == SQLITE_INTEGER ? sqlite3_column_int64(handle, column) : nil
    }

    private func typeError(_ column: Int32, expected: String) -> StoreError {
        let name = sqlite3_column_name(handle, column).map { String(cString: $0) } ?? "column \(column)"
        return StoreError(
            .corruptData, "SQLite store '\(connection.path)': \(name) holds a value that is not \(expected)")
    }
}
