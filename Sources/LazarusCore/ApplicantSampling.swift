/// The rules of the per-day applicant sample behind feature PSI and shadow approval rates, defined once
/// for the Swift that samples row by row and the SQL that samples at a cold start.
///
/// Each day keeps the applicants with the smallest ``hash(_:)`` of their ingest sequence; the days kept
/// are the first and the last ``windowDays`` of the data.
public enum ApplicantSampling {
    /// Days in each of the two PSI windows.
    public static let windowDays: Int64 = 7

    /// The hash's modulus, multiplier and increment: `(s mod m · a + c) mod m`.
    public static let modulus: Int64 = 2_147_483_648
    public static let multiplier: Int64 = 1_103_515_245
    public static let increment: Int64 = 12_345

    /// The sampling hash of an ingest sequence, a permutation of each run of 2³¹ values that spreads
    /// consecutive rows; every product fits in 63 bits, so SQLite and PostgreSQL compute it in plain integer
    /// arithmetic (``hashSQL(_:)``).
    public static func hash(_ sequence: Int64) -> Int64 {
        ((sequence % modulus) * multiplier + increment) % modulus
    }

    /// ``hash(_:)`` as an SQL expression over an integer column.
    public static func hashSQL(_ column: String) -> String {
        "(((\(column) % \(modulus)) * \(multiplier) + \(increment)) % \(modulus))"
    }

    /// The reference and recent windows of data spanning `days` (UTC day numbers): the first
    /// ``windowDays`` and the last ``windowDays`` (the newest day and the six before it).
    public static func windows(_ days: ClosedRange<Int64>) -> (reference: Range<Int64>, recent: Range<Int64>) {
        (days.lowerBound..<(days.lowerBound + windowDays), (days.upperBound - windowDays + 1)..<(days.upperBound + 1))
    }

    /// Whether `day` is in either window of data spanning `days`.
    public static func isKept(_ day: Int64, in days: ClosedRange<Int64>) -> Bool {
        let (reference, recent) = windows(days)
        return reference.contains(day) || recent.contains(day)
    }
}
