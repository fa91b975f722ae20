import LazarusCore

/// The cold start's SQL, for both dialects: the plain-row predicate, the aggregates over it, the rows
/// outside it, and the per-day applicant sample.
///
/// Every statement is plain SQL that SQLite and PostgreSQL both run, apart from the few expressions
/// below that differ (finite checks, day numbers).
struct TotalsQueries {
    let dialect: Schema.Dialect

    /// `x` is a finite number. PostgreSQL orders NaN above infinity; SQLite stores NaN as NULL.
    func finite(_ x: String) -> String {
        switch dialect {
        case .postgres: "(\(x) > '-Infinity'::float8 AND \(x) < 'Infinity'::float8)"
        case .sqlite: "(\(x) > -1e999 AND \(x) < 1e999)"
        }
    }

    /// The UTC day number of a time column.
    func day(_ column: String) -> String {
        switch dialect {
        // Date arithmetic, not extract(epoch): that is numeric since PostgreSQL 14, and dividing it on every
        // row made the sample query three times slower (10M rows: seconds).
        case .postgres: "((\(column) AT TIME ZONE 'UTC')::date - DATE '1970-01-01')"
        case .sqlite: "CAST(julianday(substr(\(column), 1, 10)) - 2440587.5 AS INTEGER)"
        }
    }

    /// `x` is a boolean: not null, and on SQLite (which stores booleans as integers, and reads any non-zero
    /// value as true) exactly 0 or 1, so that `approved = 1` means what the row reader means.
    func boolean(_ x: String) -> String {
        dialect == .postgres ? "\(x) IS NOT NULL" : "(typeof(\(x)) = 'integer' AND \(x) IN (0, 1))"
    }

    /// `x` is a time the row readers read as a plausible instant (``Timestamp/isPlausible``), never more
    /// lenient: on PostgreSQL not NULL, finite and in the years 1900–9999; on SQLite, in addition, in the
    /// store's own fixed-width form and a real date (other spellings are left to the row readers).
    func plausibleTime(_ x: String) -> String {
        switch dialect {
        case .postgres:
            let (low, high) = ("'1900-01-01 00:00:00+00'::timestamptz", "'9999-12-31 23:59:59.999999+00'::timestamptz")
            return "(\(x) >= \(low) AND \(x) <= \(high))"
        case .sqlite:
            let shape =
                "[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z"
            // julianday alone takes 2023-02-30 and 24:00, which the row readers refuse.
            return """
                (\(x) GLOB '\(shape)' AND substr(\(x), 1, 4) >= '1900' AND julianday(\(x)) IS NOT NULL
                AND date(julianday(substr(\(x), 1, 10))) = substr(\(x), 1, 10) AND substr(\(x), 12, 2) < '24')
                """
        }
    }

    /// `decided_at` is on a day of the first or the last seven of `days`. On PostgreSQL as a range of
    /// instants, the same days exactly, which the `decided_at` index answers without a full scan.
    func inWindows(_ days: ClosedRange<Int64>) -> String {
        switch dialect {
        case .postgres:
            let perDay = Timestamp.microsecondsPerDay
            let referenceEnd = Timestamp(microseconds: (days.lowerBound + 7) * perDay).iso8601
            let recentStart = Timestamp(microseconds: (days.upperBound - 6) * perDay).iso8601
            return "(decided_at < '\(referenceEnd)'::timestamptz OR decided_at >= '\(recentStart)'::timestamptz)"
        case .sqlite:
            return "(\(day("decided_at")) < \(days.lowerBound + 7) OR \(day("decided_at")) > \(days.upperBound - 7))"
        }
    }

    /// Boolean true in a comparison.
    var yes: String { dialect == .postgres ? "true" : "1" }

    /// The sampling hash of `ingest_seq`; the same arithmetic as `ApplicantSample.hash`.
    static let hash = "(((ingest_seq % 2147483648) * 1103515245 + 12345) % 2147483648)"

    /// A valid exploit or compliance decision: stricter than `DecisionRow.defect == nil`, never looser.
    func plainDecision(_ d: String) -> String {
        let reasons = DecisionReason.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ")
        return """
            (\(d)variant IN ('exploit', 'compliance') AND \(boolean("\(d)approved")) AND \(d)reason IN (\(reasons))
            AND \(plausibleTime("\(d)decided_at"))
            AND \(d)propensity >= 0 AND \(d)propensity <= 1 AND \(d)score >= 0 AND \(d)score <= 1
            AND (\(d)propensity = 0 OR \(d)propensity >= \(DecisionRow.minimumPropensity))
            AND NOT (\(d)approved = \(yes) AND \(d)propensity = 0)
            AND (\(d)loan_amount IS NULL OR (\(d)loan_amount >= 0 AND \(finite("\(d)loan_amount")))))
            """
    }

    /// A plain outcome: of a plain approved decision, with a known result and a sound loss.
    var plainOutcome: String {
        """
        (\(plainDecision("d.")) AND d.approved = \(yes) AND \(boolean("o.defaulted")) AND \(plausibleTime("o.observed_at"))
        AND (o.loss_amount IS NULL OR (o.loss_amount >= 0 AND \(finite("o.loss_amount")))))
        """
    }

    var decisionGroups: String {
        """
        SELECT variant, approved, reason, count(*), \(timeValue("min(decided_at)")), \(timeValue("max(decided_at)"))
        FROM lazarus_decisions WHERE \(plainDecision("")) GROUP BY variant, approved, reason
        """
    }

    var outcomeGroups: String {
        """
        SELECT d.variant, o.defaulted, count(*), sum(1 / d.propensity), sum(1 / (d.propensity * d.propensity)),
            max(1 / d.propensity)
        FROM lazarus_outcomes o JOIN lazarus_decisions d ON d.application_id = o.application_id
        WHERE \(plainOutcome) GROUP BY d.variant, o.defaulted
        """
    }

    /// A time column as the backend's decoders read it: epoch microseconds on PostgreSQL, text on SQLite.
    func timeValue(_ expression: String) -> String {
        dialect == .postgres ? PostgresStore.micros(expression) : expression
    }

    /// The filter of the decisions outside the plain predicate (a null predicate counts as outside).
    var otherDecisions: String {
        " WHERE NOT COALESCE(\(plainDecision("")), \(dialect == .postgres ? "false" : "0"))"
    }

    /// The filter of the outcomes (aliased `o`, joined to decisions `d`) outside the plain predicate.
    var otherOutcomes: String {
        " WHERE NOT COALESCE(\(plainOutcome), \(dialect == .postgres ? "false" : "0"))"
    }

    /// Outcome columns, sequence, then the decision's columns (null when there is no decision).
    static let outcomeJoin = """
        SELECT \(Columns.outcome.map { "o.\($0)" }.joined(separator: ", ")), o.ingest_seq,
            \(Columns.decision.map { "d.\($0)" }.joined(separator: ", "))
        FROM lazarus_outcomes o LEFT JOIN lazarus_decisions d ON d.application_id = o.application_id
        """

    /// The `perDay` smallest hashes of each day's plain, eligible applicants with sound features, on the
    /// days in the first and the last seven days of `days`.
    func sample(days: ClosedRange<Int64>, perDay: Int) -> String {
        let features = ["annual_income", "credit_history_months", "debt_to_income", "credit_score", "age"]
        // On SQLite an integer column can hold 30.5, which the row readers take as missing: not sampled.
        let integers: Set = ["credit_history_months", "credit_score", "age"]
        let sound = features.map { feature in
            let integer = dialect == .sqlite && integers.contains(feature) ? " AND typeof(\(feature)) = 'integer'" : ""
            return "\(feature) >= 0 AND \(finite(feature))\(integer)"
        }.joined(separator: " AND ")
        return """
            SELECT day, h, score, \(features.joined(separator: ", ")) FROM (
                SELECT \(day("decided_at")) AS day, \(Self.hash) AS h, score, \(features.joined(separator: ", ")),
                    row_number() OVER (PARTITION BY \(day("decided_at")) ORDER BY \(Self.hash)) AS pick
                FROM lazarus_decisions
                WHERE \(plainDecision("")) AND variant = 'exploit' AND \(sound) AND ingest_seq IS NOT NULL
                    AND \(inWindows(days))
            ) ranked WHERE pick <= \(perDay)
            """
    }

    /// The lowest and highest sequence of a table.
    static func sequenceRange(_ table: String) -> String {
        "SELECT min(ingest_seq), max(ingest_seq) FROM \(table)"
    }

    /// The sequences above a floor.
    static func sequences(_ table: String, above floor: Int64) -> String {
        "SELECT ingest_seq FROM \(table) WHERE ingest_seq > \(floor)"
    }
}

extension TotalsQueries {
    /// The days of the plain decisions, from their groups' first and last times (no scan of its own).
    /// Invalid rows must not move the PSI windows; the valid explore rows outside this range only widen it,
    /// so the sample read for it holds every day the final windows keep.
    static func dayRange(of groups: [ExperimentTotals.DecisionGroup]) -> ClosedRange<Int64>? {
        guard let first = groups.map(\.first).min(), let last = groups.map(\.last).max() else { return nil }
        return day(first)...day(last)
    }

    /// The UTC day number of a timestamp (floor division, also before 1970).
    static func day(_ t: Timestamp) -> Int64 {
        let perDay = Timestamp.microsecondsPerDay
        let micros = t.microseconds
        return micros >= 0 ? micros / perDay : (micros + 1) / perDay - 1
    }
}
