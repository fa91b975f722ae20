import LazarusCore

/// The window a report covers: an ISO week or a range of days, [start, end) in UTC.
public struct ReportPeriod: Sendable, Equatable {
    /// First instant in the window.
    public var start: Timestamp
    /// First instant after the window.
    public var end: Timestamp
    /// The name used in file names: `2026-W47` or `2026-11-01_2026-11-14`.
    public var label: String

    /// The last instant a store holds: a window reaching past it ends there.
    static let lastInstant = Timestamp.lastPlausible

    /// Creates a period; an end past 9999 is taken as ``lastInstant``.
    public init(start: Timestamp, end: Timestamp, label: String) {
        self.start = start
        self.end = min(end, Self.lastInstant)
        self.label = label
    }

    /// An ISO 8601 week, `YYYY-Www`: Monday 00:00 UTC to the next Monday.
    /// - Throws: ``ReportError`` with code `invalidInput` for anything else.
    public init(isoWeek text: String) throws {
        let parts = text.split(separator: "-")
        // Digits only: Int() alone read `+026` as the year 26, and the label became a file name.
        func digits(_ part: Substring) -> Bool { part.allSatisfy { $0.isASCII && $0.isNumber } }
        guard parts.count == 2, parts[0].count == 4, digits(parts[0]), let year = Int(parts[0]), parts[1].first == "W",
            parts[1].count == 3, digits(parts[1].dropFirst()), let week = Int(parts[1].dropFirst()),
            (1...53).contains(week),
            let january4 = Timestamp(year: year, month: 1, day: 4)
        else { throw ReportError(.invalidInput, "--week must look like 2026-W47, got '\(text)'") }
        // Week 1 is the week with January 4th; weeks start on Monday.
        let day = Timestamp.microsecondsPerDay
        let january4Days = january4.microseconds / day
        let weekday = ((january4Days + 3) % 7 + 7) % 7  // 0 = Monday (1970-01-01 was a Thursday)
        let monday = january4Days - weekday + Int64(week - 1) * 7
        let start = Timestamp(microseconds: monday * day)
        guard week < 53 || Self.isoWeek(of: start).week == 53 else {
            throw ReportError(.invalidInput, "\(year) has no ISO week 53")
        }
        self.init(start: start, end: start.adding(microseconds: 7 * day), label: text)
    }

    /// Whole days from `from` to `to`, both inclusive (YYYY-MM-DD).
    /// - Throws: ``ReportError`` with code `invalidInput` for bad dates or `to` before `from`.
    public init(from: String, to: String) throws {
        guard from.count == 10, to.count == 10, let start = Timestamp(iso8601: from), let last = Timestamp(iso8601: to)
        else { throw ReportError(.invalidInput, "--from and --to must be dates like 2026-11-01") }
        guard last >= start else { throw ReportError(.invalidInput, "--to (\(to)) is before --from (\(from))") }
        self.init(start: start, end: last.adding(microseconds: Timestamp.microsecondsPerDay), label: "\(from)_\(to)")
    }

    /// The ISO year and week of an instant.
    public static func isoWeek(of t: Timestamp) -> (year: Int, week: Int) {
        let day = Timestamp.microsecondsPerDay
        let days = Int64((Double(t.microseconds) / Double(day)).rounded(.down))
        let weekday = ((days + 3) % 7 + 7) % 7
        let thursday = days - weekday + 3  // the ISO year is the year of the week's Thursday
        let year = Int(Timestamp(microseconds: thursday * day).iso8601.prefix(4))!
        let january1 = Timestamp(year: year, month: 1, day: 1)!.microseconds / day
        return (year, Int((thursday - january1) / 7) + 1)
    }

    /// The default window: the last complete ISO week of the data, or all of it when it spans less.
    /// - Parameters:
    ///   - first: the first decision.
    ///   - last: the last decision.
    public static func defaultPeriod(first: Timestamp, last: Timestamp) -> ReportPeriod {
        let day = Timestamp.microsecondsPerDay
        // The week is complete when the data reaches into its last day (Sunday).
        let afterLastDay = (last.microseconds / day + 1) * day
        let (year, week) = isoWeek(of: Timestamp(microseconds: afterLastDay - 1))
        var candidate = try! ReportPeriod(isoWeek: String(format: year, week))
        if candidate.end.microseconds > afterLastDay {
            candidate = try! ReportPeriod(
                isoWeek: String(format: isoWeek(of: candidate.start.adding(microseconds: -day))))
        }
        if candidate.start < first {
            let from = String(first.iso8601.prefix(10))
            let to = String(last.iso8601.prefix(10))
            return try! ReportPeriod(from: from, to: to)
        }
        return candidate
    }
}

extension String {
    /// `YYYY-Www` for an ISO year and week.
    init(format year: Int, _ week: Int) {
        self = "\(year)-W\(week < 10 ? "0" : "")\(week)"
    }

    init(format week: (year: Int, week: Int)) {
        self.init(format: week.year, week.week)
    }
}
