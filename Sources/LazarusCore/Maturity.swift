/// When a decision is mature (design.md, "Cohorts and maturity"): at a cut-off T, a decision is mature when
/// `decided_at ≤ T − W`, W the performance window, how long an outcome may take to arrive. The report (T = the
/// window's end) and the exporter (T = the newest decision) both ask this type.
public enum Maturity {
    /// The default W: the simulator's slowest outcome, a default charged off 42 days after the decision.
    public static let defaultWindowDays = 42

    /// T − W: the last decision instant that is mature at `cutoff`.
    public static func matureThrough(cutoff: Timestamp, windowDays: Int) -> Timestamp {
        cutoff.adding(microseconds: -Int64(windowDays) * Timestamp.microsecondsPerDay)
    }
}
