import LazarusCore
import Testing

@testable import LazarusReport

@Suite("Report periods")
struct ReportPeriodTests {
    @Test(
        "ISO weeks start on Monday, week 1 holds January 4th",
        arguments: [
            ("2026-W47", "2026-11-16"), ("2026-W01", "2025-12-29"), ("2026-W53", "2026-12-28"),
            ("2021-W01", "2021-01-04"),
            ("2020-W53", "2020-12-28"),
        ])
    func isoWeeks(week: String, monday: String) throws {
        let period = try ReportPeriod(isoWeek: week)
        #expect(period.start == Timestamp(iso8601: monday))
        #expect(period.end == period.start.adding(microseconds: 7 * Timestamp.microsecondsPerDay))
        #expect(period.label == week)
        let (year, number) = ReportPeriod.isoWeek(
            of: period.start.adding(microseconds: 3 * Timestamp.microsecondsPerDay))
        #expect(String(format: year, number) == week)
    }

    @Test(
        "impossible weeks and dates are refused",
        arguments: [
            "2025-W53", "2026-W00", "2026-W54", "2026W47", "26-W47", "2026-47", "+026-W47", "2026-W+7", "-026-W47",
        ])
    func badWeeks(text: String) {
        #expect(throws: ReportError.self) { try ReportPeriod(isoWeek: text) }
    }

    @Test("--from/--to covers whole days, --to inclusive")
    func fromTo() throws {
        let period = try ReportPeriod(from: "2026-11-01", to: "2026-11-14")
        #expect(period.start == Timestamp(iso8601: "2026-11-01"))
        #expect(period.end == Timestamp(iso8601: "2026-11-15"))
        #expect(period.label == "2026-11-01_2026-11-14")
        #expect(throws: ReportError.self) { try ReportPeriod(from: "2026-11-14", to: "2026-11-01") }
        #expect(throws: ReportError.self) { try ReportPeriod(from: "2026-11-01", to: "tomorrow") }
    }

    @Test("a window up to 9999-12-31 ends at its last instant, never wrapping to year 0000")
    func lastDay() throws {
        let period = try ReportPeriod(from: "2026-11-01", to: "9999-12-31")
        #expect(period.end.iso8601.hasPrefix("9999-12-31T23:59:59.999999"))
        #expect(period.end > Timestamp(iso8601: "2026-11-02")!)
        #expect(try ReportPeriod(isoWeek: "9999-W52").end.iso8601.hasPrefix("9999-12-31T23:59:59"))
    }

    @Test("the default is the last complete ISO week, or the whole data when shorter")
    func defaultPeriod() throws {
        let first = Timestamp(iso8601: "2026-09-24T00:00:50Z")!
        #expect(
            ReportPeriod.defaultPeriod(first: first, last: Timestamp(iso8601: "2026-11-22T23:59:00Z")!).label
                == "2026-W47")
        // Data ending on a Friday: W47 is not complete, W46 is.
        #expect(
            ReportPeriod.defaultPeriod(first: first, last: Timestamp(iso8601: "2026-11-20T12:00:00Z")!).label
                == "2026-W46")
        let short = ReportPeriod.defaultPeriod(first: first, last: Timestamp(iso8601: "2026-09-27T10:00:00Z")!)
        #expect(short.label == "2026-09-24_2026-09-27")
    }
}
