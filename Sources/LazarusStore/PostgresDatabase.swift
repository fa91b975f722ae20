import LazarusCore

/// The PostgreSQL backend, through libpq: queries stream through binary `COPY … TO STDOUT`, bulk writes
/// go through binary `COPY … FROM STDIN`.
final class PostgresDatabase: SQLDatabase {
    typealias Row = PostgresCopyRow
    typealias Encoder = PostgresRowEncoder

    let connection: PostgresConnection
    var dialect: SQLDialect { .postgres }

    /// Bytes per CopyData batch of a bulk write: large enough to amortise the call, small enough to stream.
    static let copyChunkBytes = 1 << 20

    /// Connects to the database a libpq URI names.
    /// - Throws: ``StoreError`` with code `connectionFailed`; the message never holds the password.
    init(uri: String) throws {
        connection = try PostgresConnection(uri: uri)
        // Timestamps are written and compared in UTC whatever the server's default.
        try connection.execute("SET TIME ZONE 'UTC'")
    }

    func execute(_ sql: String) throws { try connection.execute(sql) }

    func execute(_ sql: String, _ values: [SQLValue]) throws {
        let parameters: [String?] = values.map { value in
            switch value {
            case .text(let v): v
            case .real(let v): v.map { String($0) }
            case .integer(let v): v.map { String($0) }
            case .boolean(let v): v.map { $0 ? "t" : "f" }
            case .time(let v): v.iso8601
            case .json(let v): v
            }
        }
        try connection.execute(sql, parameters)
    }

    func query(_ sql: String, _ body: (PostgresCopyRow) throws -> Void) throws {
        let row = PostgresCopyRow()
        var first = true
        try connection.copyOut("COPY (\(sql)) TO STDOUT (FORMAT binary)") { message in
            // libpq hands over one CopyData message per row; the first also holds the header, the last
            // may be the trailer alone.
            var reader = PostgresBinaryCopyReader(message)
            if first {
                try reader.skipHeaderIfPresent()
                first = false
            }
            while !reader.isAtEnd, try row.load(&reader) { try body(row) }
        }
    }

    func bulkInsert<Rows: Sequence>(
        into table: Schema.Table, _ rows: Rows, encode: (Rows.Element, inout PostgresRowEncoder) throws -> Void
    ) throws -> Int {
        let columns = table.writtenColumns
        var iterator = rows.makeIterator()
        var encoder = PostgresRowEncoder(columns: columns)
        var written = 0
        var headerSent = false
        let names = columns.map(\.name).joined(separator: ", ")
        // One COPY is atomic: a failure anywhere writes none of the rows.
        try connection.copyIn("COPY \(table.name) (\(names)) FROM STDIN (FORMAT binary)") { buffer in
            swap(&buffer, &encoder.buffer)
            defer { swap(&buffer, &encoder.buffer) }
            if !headerSent {
                PostgresBinaryCopyWriter.header(into: &encoder.buffer)
                headerSent = true
            }
            while encoder.buffer.count < Self.copyChunkBytes {
                guard let row = iterator.next() else {
                    PostgresBinaryCopyWriter.trailer(into: &encoder.buffer)
                    return false
                }
                encoder.beginRow()
                try encode(row, &encoder)
                written += 1
            }
            return true
        }
        return written
    }
}

/// One row of a binary COPY: the fields located once, then decoded as the select list's casts made them.
final class PostgresCopyRow: SQLRow {
    // Read on every column of every row: no dynamic exclusivity check (the row is used by one query, on
    // one thread, and never while `load` runs).
    @exclusivity(unchecked) private var fields = ContiguousArray<UnsafeRawBufferPointer?>()

    /// Reads the next row's fields from `reader`; `false` at the trailer.
    func load(_ reader: inout PostgresBinaryCopyReader) throws -> Bool {
        guard let count = try reader.beginRow() else { return false }
        guard count >= 0 else { throw Self.malformed() }
        fields.removeAll(keepingCapacity: true)
        for _ in 0..<count { fields.append(try reader.field()) }
        return true
    }

    func text(_ column: Int) throws -> String? {
        try field(column).map { String(decoding: $0, as: UTF8.self) }
    }

    func real(_ column: Int) throws -> Double? {
        try field(column, width: 8).map { Double(bitPattern: Self.load(UInt64.self, $0)) }
    }

    func integer(_ column: Int) throws -> Int64? {
        try field(column, width: 8).map { Self.load(Int64.self, $0) }
    }

    func boolean(_ column: Int) throws -> Bool? {
        try field(column, width: 1).map { $0[0] != 0 }
    }

    /// `infinity` and `-infinity` (Int64.max and .min) are no instant: `nil`.
    func time(_ column: Int) throws -> Timestamp? {
        guard let raw = try integer(column), raw != .max, raw != .min else { return nil }
        let (unix, overflow) = raw.addingReportingOverflow(PostgresBinaryCopyWriter.postgresEpochOffset)
        return overflow ? nil : Timestamp(microseconds: unix)
    }

    func isNull(_ column: Int) throws -> Bool { try field(column) == nil }

    private func field(_ column: Int, width: Int? = nil) throws -> UnsafeRawBufferPointer? {
        guard column < fields.count else { throw Self.malformed() }
        guard let bytes = fields[column] else { return nil }
        guard width == nil || bytes.count == width else { throw Self.malformed() }
        return bytes
    }

    private static func load<T: FixedWidthInteger>(_: T.Type, _ bytes: UnsafeRawBufferPointer) -> T {
        T(bigEndian: bytes.loadUnaligned(as: T.self))
    }

    private static func malformed() -> StoreError {
        StoreError(.corruptData, "PostgreSQL sent a COPY row this reader cannot decode")
    }
}

/// Appends one row's values to a binary COPY stream, each in its column's wire type.
struct PostgresRowEncoder: SQLRowEncoder {
    private let columns: [Schema.Column]
    private var position = 0
    var buffer: [UInt8] = []

    init(columns: [Schema.Column]) { self.columns = columns }

    mutating func beginRow() {
        position = 0
        PostgresBinaryCopyWriter.beginRow(fields: columns.count, into: &buffer)
    }

    mutating func text(_ value: String?) { next { PostgresBinaryCopyWriter.text(value, into: &$0) } }
    mutating func real(_ value: Double?) { next { PostgresBinaryCopyWriter.float8(value, into: &$0) } }
    mutating func boolean(_ value: Bool?) { next { PostgresBinaryCopyWriter.bool(value, into: &$0) } }
    mutating func time(_ value: Timestamp) { next { PostgresBinaryCopyWriter.timestamp(value, into: &$0) } }

    mutating func integer(_ value: Int?) throws {
        let column = columns[position]
        if column.type == .bigint {
            next { PostgresBinaryCopyWriter.int8(value.map { Int64($0) }, into: &$0) }
        } else {
            try PostgresBinaryCopyWriter.int4(value, column: column.name, into: &buffer)
            position += 1
        }
    }

    private mutating func next(_ write: (inout [UInt8]) -> Void) {
        write(&buffer)
        position += 1
    }
}
