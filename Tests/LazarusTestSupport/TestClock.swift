import Foundation

/// The wall clock for tests that refresh an exporter state: its horizon (the clock plus the future tolerance)
/// must lie after the fixtures' times, and a gap timeout is measured in seconds added to it.
public enum TestClock {
    /// When the test process first asked: seconds since the Unix epoch.
    public static let start = Date().timeIntervalSince1970
}
