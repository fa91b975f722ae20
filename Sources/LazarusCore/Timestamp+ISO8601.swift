extension Timestamp {
    /// The fixed-width ISO 8601 form `YYYY-MM-DDTHH:MM:SS.ffffffZ` used in the SQLite store.
    ///
    /// Fixed width keeps lexicographic order equal to time order, so SQLite compares and indexes
    /// these strings correctly, and the form is what SQLite's own date functions read.
    public var iso8601: String {
        var micros = microseconds % Self.microsecondsPerDay
        var days = microseconds / Self.microsecondsPerDay
        if micros < 0 {
            micros += Self.microsecondsPerDay
            days -= 1
        }
        let date = Self.civil(days: days)
        let secondsOfDay = micros / 1_000_000
        // Written digit by digit into the string's own storage: this runs once per row on bulk writes.
        return String(unsafeUninitializedCapacity: 27) { out in
            var at = 0
            func put(_ value: Int64, width: Int) {
                var v = value
                for i in stride(from: at + width - 1, through: at, by: -1) {
                    out[i] = UInt8(ascii: "0") + UInt8(v % 10)
                    v /= 10
                }
                at += width
            }
            func put(_ ascii: Unicode.Scalar) {
                out[at] = UInt8(ascii: ascii)
                at += 1
            }
            put(date.year, width: 4)
            put("-")
            put(date.month, width: 2)
            put("-")
            put(date.day, width: 2)
            put("T")
            put(secondsOfDay / 3600, width: 2)
            put(":")
            put(secondsOfDay / 60 % 60, width: 2)
            put(":")
            put(secondsOfDay % 60, width: 2)
            put(".")
            put(micros % 1_000_000, width: 6)
            put("Z")
            return at
        }
    }

    /// Parses an ISO 8601 UTC timestamp.
    ///
    /// Accepts `YYYY-MM-DD`, and `YYYY-MM-DD[T ]HH:MM[:SS[.f…]]` followed by `Z`, `+00:00`, `+00` or nothing
    /// (taken as UTC). Other offsets are rejected rather than silently shifted.
    /// - Parameter text: the text to parse.
    /// - Returns: `nil` when the text is not such a timestamp.
    public init?(iso8601 text: String) {
        // A concrete overload: the generic one below is not specialised across modules, and stores call
        // this once per row.
        var copy = text
        guard let parsed = copy.withUTF8({ Self.parse($0) }) else { return nil }
        self = parsed
    }

    /// Parses an ISO 8601 UTC timestamp from UTF-8 bytes in place (see ``init(iso8601:)-(String)``): a store's
    /// row reader hands its column buffer over without making a `String` of it first.
    public init?(iso8601Bytes bytes: UnsafeBufferPointer<UInt8>) {
        guard let parsed = Self.parse(bytes) else { return nil }
        self = parsed
    }

    /// Parses an ISO 8601 UTC timestamp from any string-like value (see ``init(iso8601:)-(String)``).
    public init?(iso8601 text: some StringProtocol) {
        // Stored timestamps are native strings with contiguous UTF-8: parse in place, no copy.
        if let parsed = text.utf8.withContiguousStorageIfAvailable({ Self.parse($0) }) {
            guard let parsed else { return nil }
            self = parsed
        } else {
            guard let parsed = Array(text.utf8).withUnsafeBufferPointer({ Self.parse($0) }) else { return nil }
            self = parsed
        }
    }

    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Timestamp? {
        var i = 0
        func number(_ width: Int) -> Int? {
            guard i + width <= bytes.count else { return nil }
            var v = 0
            for b in bytes[i..<i + width] {
                guard b >= 48, b <= 57 else { return nil }
                v = v * 10 + Int(b - 48)
            }
            i += width
            return v
        }
        // A byte, not a Character: building a Character per call cost a tenth of a report's time.
        func expect(_ c: Unicode.Scalar) -> Bool {
            guard i < bytes.count, bytes[i] == UInt8(ascii: c) else { return false }
            i += 1
            return true
        }
        guard let year = number(4), expect("-"), let month = number(2), expect("-"), let day = number(2) else {
            return nil
        }
        var hour = 0
        var minute = 0
        var second = 0
        var micro = 0
        if i < bytes.count {
            guard expect("T") || expect(" "), let h = number(2), expect(":"), let m = number(2) else { return nil }
            hour = h
            minute = m
            if expect(":") {
                guard let s = number(2) else { return nil }
                second = s
                if expect(".") {
                    var scale = 100_000
                    var digits = 0
                    while i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 {
                        if digits < 6 { micro += Int(bytes[i] - 48) * scale }
                        scale /= 10
                        digits += 1
                        i += 1
                    }
                    guard digits > 0 else { return nil }
                }
            }
            let rest = bytes.count - i
            if rest == 1 {
                guard bytes[i] == UInt8(ascii: "Z") || bytes[i] == UInt8(ascii: "z") else { return nil }
            } else if rest > 1 {
                let zone = String(decoding: UnsafeBufferPointer(rebasing: bytes[i...]), as: UTF8.self)
                guard ["+00:00", "+00", "+0000"].contains(zone) else { return nil }
            }
        }
        return Timestamp(
            year: year, month: month, day: day, hour: hour, minute: minute, second: second, microsecond: micro)
    }
}

extension Timestamp: CustomStringConvertible {
    public var description: String { iso8601 }
}
