extension Timestamp {
    /// The last plausible instant (9999-12-31T23:59:59.999999Z): year 10000 has no four-digit spelling, and its
    /// first instant was written, and compared, as year 0000.
    public static let lastPlausible = Timestamp(microseconds: 253_402_300_799_999_999)

    /// How far past the reader's clock a row's time may lie and still count: the writers' clocks drift from
    /// the reader's by seconds, a well-run host's by far less than this. A row dated later is not yet a fact
    /// (a ledger reset dated next year must not empty today's budget, nor one decision dated 2031 become
    /// "now"): it is counted as `future_timestamp` until it falls due.
    public static let futureTolerance: Int64 = 15 * 60 * 1_000_000

    /// The newest time a reader acts on when its clock reads `seconds` since the Unix epoch: that clock plus
    /// ``futureTolerance``. A clock that is no plausible instant acts on nothing beyond the end of year 9999.
    /// - Parameter seconds: the reader's wall clock, seconds since 1970-01-01T00:00:00Z.
    public static func horizon(readerClock seconds: Double) -> Timestamp {
        guard seconds.isFinite, abs(seconds) < 1e12 else { return lastPlausible }
        return min(Timestamp(microseconds: Int64(seconds * 1_000_000) + futureTolerance), lastPlausible)
    }
}
