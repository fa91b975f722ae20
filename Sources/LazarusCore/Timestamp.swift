/// A UTC instant with microsecond resolution, the resolution of PostgreSQL's `timestamptz`.
///
/// Stored as an integer so that watermarks compare exactly and round-trip through both stores
/// without the rounding a `Double` of seconds would bring.
public struct Timestamp: Hashable, Comparable, Sendable {
    /// Microseconds since 1970-01-01T00:00:00Z.
    public var microseconds: Int64

    /// Creates a timestamp from microseconds since the Unix epoch.
    /// - Parameter microseconds: microseconds since 1970-01-01T00:00:00Z.
    public init(microseconds: Int64) {
        self.microseconds = microseconds
    }

    /// Creates a timestamp from whole seconds since the Unix epoch.
    /// - Parameter seconds: seconds since 1970-01-01T00:00:00Z.
    public init(seconds: Int64) {
        self.microseconds = seconds * 1_000_000
    }

    /// Seconds since the Unix epoch, as Prometheus timestamps are expressed.
    public var secondsSinceEpoch: Double { Double(microseconds) / 1_000_000 }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.microseconds < rhs.microseconds }

    /// Returns this instant moved by a number of microseconds.
    /// - Parameter delta: microseconds to add (negative to go back).
    /// - Returns: the shifted timestamp.
    public func adding(microseconds delta: Int64) -> Timestamp { Timestamp(microseconds: microseconds + delta) }

    /// What a store's row readers give for a time they cannot read (NULL, `infinity`, text that is not a
    /// time), so that the row is counted as invalid instead of stopping the whole read.
    public static let unreadable = Timestamp(microseconds: .min)

    /// The UTC day number: whole days since 1970-01-01, rounded down (also before 1970). The SQL that
    /// must agree with it is `SQLDialect.day` in LazarusStore.
    public var utcDay: Int64 {
        let perDay = Timestamp.microsecondsPerDay
        return microseconds >= 0 ? microseconds / perDay : (microseconds + 1) / perDay - 1
    }

    /// Whether this is an instant a lender's tables can hold: 1900-01-01 up to the end of year 9999 UTC.
    /// ``unreadable`` is not.
    public var isPlausible: Bool { (-2_208_988_800_000_000..<253_402_300_800_000_000).contains(microseconds) }
}

extension Timestamp {
    /// Microseconds in a day (UTC days have no leap seconds here, as in PostgreSQL and SQLite).
    public static let microsecondsPerDay: Int64 = 86_400_000_000

    /// Days since 1970-01-01 for a proleptic Gregorian civil date (H. Hinnant's `days_from_civil`).
    static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The civil date of a day count since 1970-01-01 (H. Hinnant's `civil_from_days`).
    static func civil(days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Creates a timestamp from UTC calendar fields.
    /// - Returns: `nil` when a field is out of range.
    public init?(
        year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0, microsecond: Int = 0
    ) {
        guard (1...12).contains(month), (1...31).contains(day), (0...23).contains(hour), (0...59).contains(minute),
            (0...59).contains(second), (0...999_999).contains(microsecond)
        else { return nil }
        let d = Self.days(year: Int64(year), month: Int64(month), day: Int64(day))
        // Reject dates such as February 30 that normalise into the next month.
        guard Self.civil(days: d) == (Int64(year), Int64(month), Int64(day)) else { return nil }
        let seconds = d * 86_400 + Int64(hour) * 3600 + Int64(minute) * 60 + Int64(second)
        self.init(microseconds: seconds * 1_000_000 + Int64(microsecond))
    }
}
