import LazarusCore

/// Writes PostgreSQL's binary COPY format: exact doubles and timestamps, no text formatting per value.
///
/// Layout: a 19-byte header, then per row an int16 field count and per field an int32 length
/// (-1 for NULL) and the value in network byte order, then an int16 -1 trailer.
struct PostgresBinaryCopyWriter {
    static let signature: [UInt8] = Array("PGCOPY\n".utf8) + [0xFF, 0x0D, 0x0A, 0x00]
    /// Microseconds between the Unix epoch and PostgreSQL's, 2000-01-01.
    static let postgresEpochOffset: Int64 = 946_684_800_000_000

    static func header(into buffer: inout [UInt8]) {
        buffer.append(contentsOf: signature)
        appendInteger(Int32(0), to: &buffer)  // flags
        appendInteger(Int32(0), to: &buffer)  // header extension length
    }

    static func trailer(into buffer: inout [UInt8]) { appendInteger(Int16(-1), to: &buffer) }

    static func beginRow(fields: Int, into buffer: inout [UInt8]) {
        appendInteger(Int16(fields), to: &buffer)
    }

    static func text(_ value: String?, into buffer: inout [UInt8]) {
        guard let value else { return null(into: &buffer) }
        var copy = value
        copy.withUTF8 { utf8 in
            appendInteger(Int32(utf8.count), to: &buffer)
            buffer.append(contentsOf: utf8)
        }
    }

    static func bool(_ value: Bool?, into buffer: inout [UInt8]) {
        guard let value else { return null(into: &buffer) }
        appendInteger(Int32(1), to: &buffer)
        buffer.append(value ? 1 : 0)
    }

    static func int4(_ value: Int?, column: String, into buffer: inout [UInt8]) throws {
        guard let value else { return null(into: &buffer) }
        guard let narrow = Int32(exactly: value) else {
            throw StoreError(.invalidValue, "\(column) is out of range for a PostgreSQL integer column")
        }
        appendInteger(Int32(4), to: &buffer)
        appendInteger(narrow, to: &buffer)
    }

    static func int8(_ value: Int64?, into buffer: inout [UInt8]) {
        guard let value else { return null(into: &buffer) }
        appendInteger(Int32(8), to: &buffer)
        appendInteger(value, to: &buffer)
    }

    static func float8(_ value: Double?, into buffer: inout [UInt8]) {
        guard let value else { return null(into: &buffer) }
        appendInteger(Int32(8), to: &buffer)
        appendInteger(value.bitPattern, to: &buffer)
    }

    static func timestamp(_ value: Timestamp, into buffer: inout [UInt8]) {
        appendInteger(Int32(8), to: &buffer)
        appendInteger(value.microseconds - postgresEpochOffset, to: &buffer)
    }

    static func null(into buffer: inout [UInt8]) { appendInteger(Int32(-1), to: &buffer) }

    static func appendInteger<T: FixedWidthInteger>(_ value: T, to buffer: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { buffer.append(contentsOf: $0) }
    }
}

/// Reads rows of PostgreSQL's binary COPY format from the CopyData messages of a `COPY … TO STDOUT`.
///
/// Every read checks the remaining length, so a short or malformed message is an error, never a crash.
struct PostgresBinaryCopyReader {
    private let bytes: UnsafeRawBufferPointer
    private var offset = 0

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    var isAtEnd: Bool { offset >= bytes.count }

    /// Skips the file header if this message starts with one.
    mutating func skipHeaderIfPresent() throws {
        let signature = PostgresBinaryCopyWriter.signature
        guard bytes.count >= signature.count, zip(bytes.prefix(signature.count), signature).allSatisfy({ $0 == $1 })
        else { return }
        offset = signature.count
        _ = try integer(Int32.self)  // flags
        let extensionLength = try integer(Int32.self)
        try advance(Int(extensionLength))
    }

    /// Begins a row.
    /// - Returns: its field count, or `nil` at the trailer.
    mutating func beginRow() throws -> Int? {
        let count = try integer(Int16.self)
        return count == -1 ? nil : Int(count)
    }

    /// The next field's bytes, `nil` for NULL; they stay valid while the message does.
    mutating func field() throws -> UnsafeRawBufferPointer? {
        guard let length = try fieldLength() else { return nil }
        let start = offset
        try advance(length)
        return UnsafeRawBufferPointer(rebasing: bytes[start..<start + length])
    }

    private mutating func fieldLength() throws -> Int? {
        let length = try integer(Int32.self)
        if length == -1 { return nil }
        guard length >= 0 else { throw malformed() }
        guard offset + Int(length) <= bytes.count else { throw malformed() }
        return Int(length)
    }

    private mutating func integer<T: FixedWidthInteger>(_: T.Type) throws -> T {
        let size = MemoryLayout<T>.size
        guard offset + size <= bytes.count else { throw malformed() }
        let value = bytes.loadUnaligned(fromByteOffset: offset, as: T.self)
        offset += size
        return T(bigEndian: value)
    }

    private mutating func advance(_ count: Int) throws {
        guard count >= 0, offset + count <= bytes.count else { throw malformed() }
        offset += count
    }

    private func malformed() -> StoreError {
        StoreError(.corruptData, "PostgreSQL sent a COPY row this reader cannot decode")
    }
}
