import Foundation
import LazarusCore

/// The embedded backend: one SQLite file in WAL mode, so the exporter can read while the simulator writes.
final class SQLiteDatabase: SQLDatabase {
    typealias Row = SQLiteRow
    typealias Encoder = SQLiteRowEncoder

    let connection: SQLiteConnection
    var dialect: SQLDialect { .sqlite }

    /// The file's device and inode when it was opened.
    private let identity: (UInt64, UInt64)?
    var countsRowsCheaply: Bool { true }

    /// Opens (creating if needed) the SQLite file at `path`. Its directory must exist.
    /// - Throws: ``StoreError`` with code `connectionFailed` when the file cannot be created or is not a database.
    init(path: String) throws {
        connection = try SQLiteConnection(path: path)
        identity = Self.identity(of: path)
        // WAL lets readers and one writer work at once; NORMAL sync is durable at each checkpoint and
        // safe against corruption, which is what a store rebuilt from the lender's tables needs.
        // The page cache may grow to 1 GiB (only as used): a bulk write larger than the cache spills
        // pages to the WAL one at a time, over and over, and runs several times slower.
        try connection.execute(
            "PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
                + " PRAGMA cache_size = -1048576;")
    }

    func execute(_ sql: String) throws { try connection.execute(sql) }

    func execute(_ sql: String, _ values: [SQLValue]) throws {
        let statement = try connection.prepare(sql)
        for (index, value) in values.enumerated() {
            let position = Int32(index + 1)
            switch value {
            case .text(let v): statement.bind(position, v)
            case .real(let v): statement.bind(position, v)
            case .integer(let v): statement.bind(position, v)
            case .boolean(let v): statement.bind(position, v)
            case .time(let v): statement.bind(position, v.iso8601)
            case .json(let v): statement.bind(position, v)
            }
        }
        while try statement.step() {}
    }

    func query(_ sql: String, _ body: (SQLiteRow) throws -> Void) throws {
        let statement = try connection.prepare(sql)
        let row = SQLiteRow(statement)
        while try statement.step() { try body(row) }
    }

    func bulkInsert<Rows: Sequence>(
        into table: Schema.Table, _ rows: Rows, encode: (Rows.Element, inout SQLiteRowEncoder) throws -> Void
    ) throws -> Int {
        // SQLite has no identity beside a text key: the writer numbers its rows itself, inside the caller's
        // write transaction, which no other writer can enter.
        let columns = table.writtenColumns.map(\.name) + (table.isSequenced ? [Schema.ingestSequence.name] : [])
        var sequence: Int64 = 0
        if table.isSequenced {
            let next = try connection.prepare("SELECT COALESCE(MAX(ingest_seq), 0) + 1 FROM \(table.name)")
            _ = try next.step()
            sequence = try next.int64(0) ?? 1
        }
        let placeholders = columns.indices.map { "?\($0 + 1)" }.joined(separator: ", ")
        let insert = try connection.prepare(
            "INSERT INTO \(table.name) (\(columns.joined(separator: ", "))) VALUES (\(placeholders))")
        var encoder = SQLiteRowEncoder(statement: insert)
        var written = 0
        for row in rows {
            encoder.position = 1
            try encode(row, &encoder)
            if table.isSequenced { insert.bind(Int32(columns.count), sequence) }
            _ = try insert.step()
            insert.reset()
            sequence += 1
            written += 1
        }
        return written
    }
}

/// The current row of an SQLite statement. Values of the wrong storage class read as missing (NaN for a
/// number), as ``SQLRow`` asks.
final class SQLiteRow: SQLRow {
    private let statement: SQLiteStatement

    init(_ statement: SQLiteStatement) { self.statement = statement }

    func text(_ column: Int) -> String? { statement.string(Int32(column)) }
    func real(_ column: Int) -> Double? { statement.rowDouble(Int32(column)) }
    func integer(_ column: Int) -> Int64? { statement.rowInt64(Int32(column)) }
    func boolean(_ column: Int) -> Bool? { statement.rowInt64(Int32(column)).map { $0 != 0 } }
    func time(_ column: Int) -> Timestamp? { statement.time(Int32(column)) }
    func isNull(_ column: Int) -> Bool { statement.isNull(Int32(column)) }
}

/// Binds one row's values to a prepared insert, in column order.
struct SQLiteRowEncoder: SQLRowEncoder {
    let statement: SQLiteStatement
    var position: Int32 = 1

    init(statement: SQLiteStatement) { self.statement = statement }

    mutating func text(_ value: String?) { statement.bind(next(), value) }
    mutating func real(_ value: Double?) { statement.bind(next(), value) }
    mutating func integer(_ value: Int?) { statement.bind(next(), value) }
    mutating func boolean(_ value: Bool?) { statement.bind(next(), value) }
    mutating func time(_ value: Timestamp) { statement.bind(next(), value.iso8601) }

    /// The parameter to bind next.
    private mutating func next() -> Int32 {
        defer { position += 1 }
        return position
    }
}

extension SQLiteDatabase {
    /// The device and inode of the file at `path`, `nil` when there is none.
    static func identity(of path: String) -> (UInt64, UInt64)? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return (UInt64(info.st_dev), UInt64(info.st_ino))
    }

    /// An open SQLite file keeps being read after it is deleted or replaced (by `mv`, `cp` to a new file, a
    /// restore): the connection would serve the old data as healthy for ever.
    func checkIdentity() throws {
        let path = connection.path
        guard let now = Self.identity(of: path) else {
            throw StoreError(.connectionFailed, "the SQLite store '\(path)' was deleted since it was opened")
        }
        guard let identity, now == identity else {
            throw StoreError(.connectionFailed, "the SQLite store '\(path)' was replaced since it was opened")
        }
    }
}
