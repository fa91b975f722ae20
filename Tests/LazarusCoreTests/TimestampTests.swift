import LazarusCore
import Testing

@Suite("Timestamp")
struct TimestampTests {
    // Epoch seconds computed independently with Python's datetime (see the commit message of this file).
    @Test(
        "formats and parses known instants",
        arguments: [
            ("2026-11-23T15:37:44.000000Z", Int64(1_795_448_264)),
            ("2000-01-01T00:00:00.000000Z", Int64(946_684_800)),
            ("1969-12-31T23:59:59.000000Z", Int64(-1)),
            ("2024-02-29T12:00:00.000000Z", Int64(1_709_208_000)),
            ("1970-01-01T00:00:00.000000Z", Int64(0)),
        ])
    func knownInstants(text: String, seconds: Int64) throws {
        let t = Timestamp(seconds: seconds)
        #expect(t.iso8601 == text)
        #expect(Timestamp(iso8601: text) == t)
    }

    @Test(
        "keeps microseconds exactly, before and after the epoch",
        arguments: [Int64(1), 999_999, -1, -999_999, 123_456_789_012_345])
    func microsecondRoundTrip(micros: Int64) throws {
        let t = Timestamp(microseconds: micros)
        #expect(Timestamp(iso8601: t.iso8601) == t)
    }

    @Test(
        "accepts the UTC spellings analysts type",
        arguments: [
            "2026-11-23T15:37:44Z", "2026-11-23 15:37:44", "2026-11-23T15:37:44+00:00", "2026-11-23T15:37:44.000Z",
            "2026-11-23T15:37:44.0000009Z",
        ])
    func utcSpellings(text: String) {
        #expect(Timestamp(iso8601: text) == Timestamp(seconds: 1_795_448_264))
    }

    @Test("a bare date is midnight UTC")
    func bareDate() {
        #expect(Timestamp(iso8601: "2026-11-23") == Timestamp(seconds: 1_795_392_000))
    }

    @Test(
        "rejects what is not a UTC timestamp",
        arguments: [
            "", "2026-13-01", "2026-02-30", "2026-11-23T25:00:00Z", "2026-11-23T15:37:44+01:00", "23/11/2026",
            "2026-11-23T15:37:44.Z", "2026-11-23T15:37Zjunk", "2026-1-23",
        ])
    func rejects(text: String) {
        #expect(Timestamp(iso8601: text) == nil)
    }

    @Test("text order is time order, so SQLite can compare the strings")
    func lexicographicOrder() {
        let instants = [Int64(-5_000_000), -1, 0, 1, 999_999, 1_000_000, 1_795_448_264_000_000].map(
            Timestamp.init(microseconds:))
        let texts = instants.map(\.iso8601)
        #expect(texts == texts.sorted())
        #expect(Set(texts.map(\.count)) == [27])
    }
}
