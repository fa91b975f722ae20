import LazarusCore

/// Eligible applicants of the first and the last seven days of the data, kept as a per-day sample of
/// bounded size, for feature PSI and shadow approval rates.
///
/// Each day keeps the `perDay` applicants with the smallest ``hash(_:)`` of their ingest sequence (a
/// bottom-k sample): all of them on a day with fewer, a uniform sample on a busier day. The sample of a
/// set of rows does not depend on the order they were read in, and the same hash is computed in SQL by
/// a cold start, so a cold start and row-by-row reading keep exactly the same applicants.
public struct ApplicantSample: Sendable {
    /// One sampled applicant.
    public struct Member: Sendable, Equatable {
        public var hash: Int64
        public var score: Double
        /// annual_income, credit_history_months, debt_to_income, credit_score, age.
        public var features: [Double]

        /// Creates a member.
        public init(hash: Int64, score: Double, features: [Double]) {
            self.hash = hash
            self.score = score
            self.features = features
        }
    }

    /// Applicants kept per day.
    public let perDay: Int
    private(set) var days: [Int64: [Member]] = [:]
    private(set) var firstDay: Int64?
    private(set) var lastDay: Int64?

    /// Creates an empty sample keeping `perDay` applicants a day.
    public init(perDay: Int = 2_000) {
        self.perDay = perDay
    }

    /// Notes the day range of every valid decision (eligible or not), which fixes the two windows.
    public mutating func observe(day: Int64) {
        firstDay = min(firstDay ?? day, day)
        lastDay = max(lastDay ?? day, day)
    }

    /// Offers one eligible applicant of `day`; kept when the day is in a window and its hash is among
    /// the day's `perDay` smallest.
    public mutating func offer(_ member: Member, day: Int64) {
        observe(day: day)
        guard isKept(day) else { return }
        days[day, default: []].append(member)
        if days[day]!.count >= 2 * perDay { trim(day) }
        // The windows move only forward and backward in time; days that left both are not needed again.
        if days.count > 2 * Int(ApplicantSampling.windowDays) + 2 { days = days.filter { isKept($0.key) } }
    }

    private func isKept(_ day: Int64) -> Bool {
        guard let firstDay, let lastDay else { return false }
        return ApplicantSampling.isKept(day, in: firstDay...lastDay)
    }

    private mutating func trim(_ day: Int64) {
        guard var members = days[day], members.count > perDay else { return }
        members.sort { $0.hash < $1.hash }
        members.removeLast(members.count - perDay)
        days[day] = members
    }

    /// The sampled applicants of the first seven days of the data.
    public func reference() -> [Member] {
        guard let firstDay, let lastDay else { return [] }
        return members(in: ApplicantSampling.windows(firstDay...lastDay).reference)
    }

    /// The sampled applicants of the last seven days of the data (the newest decision's day and the six
    /// before it).
    public func recent() -> [Member] {
        guard let firstDay, let lastDay else { return [] }
        return members(in: ApplicantSampling.windows(firstDay...lastDay).recent)
    }

    private func members(in range: Range<Int64>) -> [Member] {
        range.flatMap { day -> [Member] in
            guard let members = days[day] else { return [] }
            return Array(members.sorted { $0.hash < $1.hash }.prefix(perDay))
        }
    }
}
