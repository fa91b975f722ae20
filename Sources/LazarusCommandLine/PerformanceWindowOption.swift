import ArgumentParser
import Foundation
import LazarusCore

/// `--performance-window DAYS` with its `LAZARUS_PERFORMANCE_WINDOW_DAYS` fallback: how long an outcome may
/// take to arrive. Figures built on outcomes rest on the decisions at least this old (design.md, "Cohorts and
/// maturity"). The report and the exporter read it the same way.
public struct PerformanceWindowOption: ParsableArguments {
    @Option(
        name: .customLong("performance-window"), parsing: .unconditional,
        help: ArgumentHelp(
            "Days an outcome may take to arrive (default: $LAZARUS_PERFORMANCE_WINDOW_DAYS, else 42).",
            discussion: "Outcome-based figures rest on the decisions at least this old at the cut-off.",
            valueName: "days"))
    public var performanceWindow: String?

    public init() {}

    /// The window in whole days, checked.
    /// - Throws: ``CommandLineError`` for anything but a whole number of days from 1 to 3650.
    public func days(_ environment: Environment) throws -> Int {
        let text = environment.string(
            performanceWindow, "LAZARUS_PERFORMANCE_WINDOW_DAYS", default: String(Maturity.defaultWindowDays))
        guard let days = Int(text.trimmingCharacters(in: .whitespaces)), (1...3650).contains(days) else {
            throw CommandLineError(
                "the performance window must be a whole number of days from 1 to 3650, got '\(text)'")
        }
        return days
    }
}
