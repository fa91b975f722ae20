import Foundation
import LazarusCore

/// The one implementation of ``Store``, over either backend: every query, decoder and transaction rule is
/// written here once, and a ``SQLDatabase`` supplies only what differs.
///
/// Owns one database connection and is used from one task at a time.
final class SQLStore<Database: SQLDatabase>: Store {
    let url: StoreURL
    let database: Database
    var dialect: SQLDialect { database.dialect }

    init(url: StoreURL, database: Database) {
        self.url = url
        self.database = database
    }

    /// Runs `body` in a transaction opened by `begin` (by default a write transaction), rolling back if it throws.
    @discardableResult func inTransaction<T>(begin: String? = nil, _ body: () throws -> T) throws -> T {
        try database.execute(begin ?? dialect.beginWrite)
        do {
            let result = try body()
            try database.execute("COMMIT")
            return result
        } catch {
            _ = try? database.execute("ROLLBACK")
            throw error
        }
    }

    func readSnapshot<T>(_ body: () throws -> T) throws -> T {
        try inTransaction(begin: dialect.beginSnapshot, body)
    }

    /// Runs a query built from `select` and hands each row to `body`.
    /// - Parameter rest: what follows the select list (`FROM …`).
    func query(_ select: SelectList, _ rest: String, _ body: (Database.Row) throws -> Void) throws {
        try database.query("SELECT \(select.sql(dialect)) \(rest)", body)
    }

    /// The first row of a query read by `read`, `nil` when there is none.
    func first<T>(_ select: SelectList, _ rest: String, _ read: (Database.Row) throws -> T) throws -> T? {
        var value: T?
        try query(select, rest) { row in if value == nil { value = try read(row) } }
        return value
    }

    public func rowCounts() throws -> (decisions: Int, outcomes: Int)? {
        try database.checkIdentity()
        guard database.countsRowsCheaply else { return nil }
        return (try count(Schema.decisions.name), try count(Schema.outcomes.name))
    }

    /// Rows in a table.
    func count(_ table: String) throws -> Int {
        var select = SelectList()
        select.add("n", .bigint, "count(*)")
        return try first(select, "FROM \(table)") { try $0.count(0) } ?? 0
    }
}

/// Opens the store a URL names. The connection is made now; the schema is not touched.
/// - Parameters:
///   - url: the store URL.
///   - creating: whether a missing SQLite file is created (by writers); when `false` it is an error.
/// - Returns: an open store.
/// - Throws: ``StoreError`` with code `connectionFailed` when the database cannot be reached or opened.
public func openStore(_ url: StoreURL, creating: Bool = true) throws -> any Store {
    switch url {
    case .sqlite(let path):
        guard creating || FileManager.default.fileExists(atPath: path) else {
            throw StoreError(
                .connectionFailed,
                "no SQLite store at '\(path)' (check the path; lazarus-sim or lazarus-store migrate creates one)")
        }
        return SQLStore(url: url, database: try SQLiteDatabase(path: path))
    case .postgres(let uri): return SQLStore(url: url, database: try PostgresDatabase(uri: uri))
    }
}

/// Parses a store URL and opens it.
/// - Parameter text: the store URL as typed by a user.
/// - Returns: an open store.
/// - Throws: ``StoreError`` with code `invalidURL` or `connectionFailed`.
public func openStore(_ text: String) throws -> any Store {
    try openStore(StoreURL(parsing: text))
}
