import LazarusCore
import Testing

@testable import LazarusStore

@Suite("PostgreSQL binary COPY codec")
struct PostgresBinaryCopyTests {
    @Test("what the writer encodes the reader decodes, nulls included")
    func roundTrip() throws {
        typealias W = PostgresBinaryCopyWriter
        var buffer: [UInt8] = []
        W.header(into: &buffer)
        W.beginRow(fields: 6, into: &buffer)
        W.text("é✓", into: &buffer)
        W.timestamp(Timestamp(microseconds: -1), into: &buffer)
        W.bool(nil, into: &buffer)
        try W.int4(-42, column: "x", into: &buffer)
        W.float8(0.1 + 0.2, into: &buffer)
        W.int8(Int64.max, into: &buffer)
        W.trailer(into: &buffer)

        try buffer.withUnsafeBytes { bytes in
            var reader = PostgresBinaryCopyReader(bytes)
            try reader.skipHeaderIfPresent()
            #expect(try reader.beginRow() == 6)
            #expect(try reader.text() == "é✓")
            #expect(try reader.timestamp() == Timestamp(microseconds: -1))
            #expect(try reader.bool() == nil)
            #expect(try reader.int4() == -42)
            #expect(try reader.float8() == 0.1 + 0.2)
            #expect(try reader.int8() == Int64.max)
            #expect(try reader.beginRow() == nil)
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
                _ = try reader.beginRow()
                _ = try reader.text()
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
}
