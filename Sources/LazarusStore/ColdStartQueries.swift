import LazarusCore

/// The cold start's SQL: the plain-row predicate, the aggregates over it, the rows outside it, and the
/// per-day applicant sample. Written once; the dialect spells the few expressions that differ.
struct ColdStartQueries {
    let dialect: SQLDialect
    /// Rows dated after it are not plain: the reader holds them until they fall due.
    let horizon: Timestamp

    /// A valid exploit or compliance decision dated up to the horizon: stricter than `DecisionRow.defect == nil`,
    /// never looser.
    func plainDecision(_ d: String) -> String {
        // The reasons of the plain arms, each with the variant and approval it implies (`inconsistent_decision`).
        let logged = DecisionReason.allCases.filter { $0.variant != .explore }.map { reason in
            "(\(d)reason = '\(reason.rawValue)' AND \(d)variant = '\(reason.variant.rawValue)' AND \(d)approved = \(reason.approves ? dialect.yes : dialect.no))"
        }.joined(separator: " OR ")
        let yes = dialect.yes
        return """
            (\(dialect.boolean("\(d)approved")) AND (\(logged))
            AND \(dialect.plausibleTime("\(d)decided_at")) AND \(d)decided_at <= \(dialect.literal(horizon))
            AND \(d)propensity >= 0 AND \(d)propensity <= 1 AND \(d)score >= 0 AND \(d)score <= 1
            AND (\(d)propensity = 0 OR \(d)propensity >= \(DecisionRow.minimumPropensity))
            AND NOT (\(d)approved = \(yes) AND \(d)propensity = 0)
            AND (\(d)loan_amount IS NULL OR (\(d)loan_amount >= 0 AND \(d)loan_amount <= \(DecisionRow.maximumAmount)
                AND \(dialect.finite("\(d)loan_amount")))))
            """
    }

    /// A plain outcome: of a plain approved decision, with a known result and a sound loss that contradicts
    /// nothing (`OutcomeRow.contradiction`). Times compare as stored: both are plausible here, so on SQLite
    /// in the one fixed-width form, whose text order is time order.
    var plainOutcome: String {
        """
        (\(plainDecision("d.")) AND d.approved = \(dialect.yes) AND \(dialect.boolean("o.defaulted"))
        AND \(dialect.plausibleTime("o.observed_at")) AND o.observed_at >= d.decided_at
        AND o.observed_at <= \(dialect.literal(horizon))
        AND (o.loss_amount IS NULL OR (o.loss_amount >= 0 AND o.loss_amount <= \(DecisionRow.maximumAmount)
            AND \(dialect.finite("o.loss_amount"))
            AND (o.defaulted = \(dialect.yes) OR o.loss_amount = 0)
            AND (d.loan_amount IS NULL OR d.loan_amount <= 0 OR o.loss_amount <= d.loan_amount))))
        """
    }

    /// Plain decisions by variant, approval and reason, with their first and last times.
    var decisionGroups: (SelectList, String) {
        var select = SelectList()
        select.add("variant", .text)
        select.add("approved", .boolean)
        select.add("reason", .text)
        select.add("n", .bigint, "count(*)")
        select.add("first", .time, "min(decided_at)")
        select.add("last", .time, "max(decided_at)")
        return (select, "FROM lazarus_decisions WHERE \(plainDecision("")) GROUP BY variant, approved, reason")
    }

    /// Plain outcomes by variant and result, with their 1/propensity weights summed.
    var outcomeGroups: (SelectList, String) {
        var select = SelectList()
        select.add("variant", .text, "d.variant")
        select.add("defaulted", .boolean, "o.defaulted")
        select.add("n", .bigint, "count(*)")
        select.add("weights", .real, "sum(1 / d.propensity)")
        select.add("squares", .real, "sum(1 / (d.propensity * d.propensity))")
        select.add("largest", .real, "max(1 / d.propensity)")
        return (
            select,
            """
            FROM lazarus_outcomes o JOIN lazarus_decisions d ON d.application_id = o.application_id
            WHERE \(plainOutcome) GROUP BY d.variant, o.defaulted
            """
        )
    }

    /// The filter of the decisions outside the plain predicate (a null predicate counts as outside).
    var otherDecisions: String { " WHERE NOT COALESCE(\(plainDecision("")), \(dialect.no))" }

    /// The filter of the outcomes (aliased `o`, joined to decisions `d`) outside the plain predicate.
    var otherOutcomes: String { " WHERE NOT COALESCE(\(plainOutcome), \(dialect.no))" }

    /// The `perDay` smallest hashes of each day's plain, eligible applicants with sound model features
    /// (``ApplicantFeatures/modelVector``), on the days of the two PSI windows of `days`
    /// (``ApplicantSampling``). Columns `day`, `hash`, `score`, then the features by name.
    func sample(days: ClosedRange<Int64>, perDay: Int) -> (SelectList, String) {
        let features = ApplicantFeatures.modelColumns
        let integers = Set(Schema.decisions.columns.filter { $0.type == .integer }.map(\.name))
        let sound = features.map { feature in
            let whole = integers.contains(feature) ? " AND \(dialect.integral(feature))" : ""
            return "\(feature) >= 0 AND \(dialect.finite(feature))\(whole)"
        }.joined(separator: " AND ")
        let (reference, recent) = ApplicantSampling.windows(days)
        let hash = ApplicantSampling.hashSQL("ingest_seq")
        var select = SelectList()
        select.add("day", .bigint)
        select.add("hash", .bigint, "h")
        select.add("score", .real)
        for feature in features { select.add(feature, .real) }
        let columns = (["score"] + features).joined(separator: ", ")
        return (
            select,
            """
            FROM (
                SELECT \(dialect.day("decided_at")) AS day, \(hash) AS h, \(columns),
                    row_number() OVER (PARTITION BY \(dialect.day("decided_at")) ORDER BY \(hash)) AS pick
                FROM lazarus_decisions
                WHERE \(plainDecision("")) AND variant = 'exploit' AND \(sound) AND ingest_seq IS NOT NULL
                    AND (\(dialect.decided(onDays: reference)) OR \(dialect.decided(onDays: recent)))
            ) ranked WHERE pick <= \(perDay)
            """
        )
    }
}

extension ColdStartQueries {
    /// The days of the plain decisions, from their groups' first and last times (no scan of its own).
    /// Invalid rows must not move the PSI windows; the valid explore rows outside this range only widen it,
    /// so the sample read for it holds every day the final windows keep.
    static func dayRange(of groups: [ColdStartSnapshot.DecisionGroup]) -> ClosedRange<Int64>? {
        guard let first = groups.map(\.first).min(), let last = groups.map(\.last).max() else { return nil }
        return first.utcDay...last.utcDay
    }
}
