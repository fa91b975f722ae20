import LazarusCore
import LazarusTestSupport
import Testing

@testable import LazarusStore

@Suite("PostgreSQL binary COPY codec")
struct PostgresBinaryCopyTests {
    @Test("what the writer encodes the reader decodes, nulls included")
    func roundTrip() throws {
        typealias W = PostgresBinaryCopyWriter
        var buffer: [UInt8] = []
        W.header(into: &buffer)
        W.beginRow(fields: 7, into: &buffer)
        W.text("é✓", into: &buffer)
        W.timestamp(Timestamp(microseconds: -1), into: &buffer)
        W.bool(nil, into: &buffer)
        W.int8(-42, into: &buffer)
        W.float8(0.1 + 0.2, into: &buffer)
        W.int8(Int64.max, into: &buffer)
        W.bool(true, into: &buffer)
        W.trailer(into: &buffer)

        try buffer.withUnsafeBytes { bytes in
            var reader = PostgresBinaryCopyReader(bytes)
            try reader.skipHeaderIfPresent()
            let row = PostgresCopyRow()
            #expect(try row.load(&reader))
            #expect(try row.text(0) == "é✓")
            #expect(try row.time(1) == Timestamp(microseconds: -1))
            #expect(try row.boolean(2) == nil)
            #expect(try row.integer(3) == -42)
            #expect(try row.real(4) == 0.1 + 0.2)
            // Int64.max is PostgreSQL's `infinity`: no instant.
            #expect(try row.integer(5) == Int64.max)
            #expect(try row.time(5) == nil)
            #expect(try row.boolean(6) == true)
            // A field of the wrong width for its kind is a decoding error, not a wrong value.
            #expect(throws: StoreError.self) { try row.real(6) }
            #expect(throws: StoreError.self) { try row.text(7) }
            #expect(try row.load(&reader) == false)
            #expect(reader.isAtEnd)
        }
    }

    @Test("the timestamp epoch is PostgreSQL's, 2000-01-01")
    func epoch() {
        var buffer: [UInt8] = []
        PostgresBinaryCopyWriter.timestamp(Timestamp(iso8601: "2000-01-01T00:00:00Z")!, into: &buffer)
        #expect(buffer == [0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0])
    }

    @Test("a truncated message is an error, not a crash", arguments: [1, 3, 7, 12])
    func truncated(cut: Int) throws {
        var buffer: [UInt8] = []
        PostgresBinaryCopyWriter.beginRow(fields: 1, into: &buffer)
        PostgresBinaryCopyWriter.text("abcdefgh", into: &buffer)
        let short = Array(buffer.prefix(cut))
        #expect(throws: StoreError.self) {
            try short.withUnsafeBytes { bytes in
                var reader = PostgresBinaryCopyReader(bytes)
                _ = try PostgresCopyRow().load(&reader)
            }
        }
    }

    @Test("an integer too large for int4 is refused")
    func int4Range() {
        var buffer: [UInt8] = []
        #expect(throws: StoreError.self) {
            try PostgresBinaryCopyWriter.int4(Int(Int32.max) + 1, column: "age", into: &buffer)
        }
    }

    @Test("a negative field count is an error, not a crash")
    func negativeFieldCount() {
        let bytes: [UInt8] = [0xFF, 0xFE]
        #expect(throws: StoreError.self) {
            try bytes.withUnsafeBytes { raw in
                var reader = PostgresBinaryCopyReader(raw)
                _ = try PostgresCopyRow().load(&reader)
            }
        }
    }
}
