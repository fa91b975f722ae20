import LazarusCore

extension SQLStore {
    func summary() throws -> StoreSummary {
        let version = try verifySchema()
        // One snapshot, so the counts and groups describe the same moment.
        return try readSnapshot {
            var summary = StoreSummary(
                schemaVersion: version, decisionCount: 0, outcomeCount: 0, ledgerCount: 0, modelCount: 0,
                decidedRange: nil, observedRange: nil, decisionGroups: [], outcomeGroups: [])
            summary.ledgerCount = try count(Schema.ledger.name)
            summary.modelCount = try count(Schema.models.name)
            (summary.decisionCount, summary.decidedRange) = try countAndRange(Schema.decisions.name, "decided_at")
            (summary.outcomeCount, summary.observedRange) = try countAndRange(Schema.outcomes.name, "observed_at")

            var decisions = SelectList()
            decisions.add("variant", .text)
            decisions.add("approved", .boolean)
            decisions.add("reason", .text)
            decisions.add("n", .bigint, "count(*)")
            try query(decisions, "FROM lazarus_decisions GROUP BY variant, approved, reason") { row in
                summary.decisionGroups.append(
                    .init(
                        variant: try row.text(0), approved: try row.boolean(1), reason: try row.text(2),
                        count: try row.count(3)))
            }
            var outcomes = SelectList()
            outcomes.add("variant", .text, "d.variant")
            outcomes.add("defaulted", .boolean, "o.defaulted")
            outcomes.add("n", .bigint, "count(*)")
            outcomes.add("losses", .real, "coalesce(sum(o.loss_amount), 0)")
            let from = """
                FROM lazarus_outcomes o LEFT JOIN lazarus_decisions d ON d.application_id = o.application_id
                GROUP BY d.variant, o.defaulted
                """
            try query(outcomes, from) { row in
                summary.outcomeGroups.append(
                    .init(
                        variant: try row.text(0), defaulted: try row.boolean(1), count: try row.count(2),
                        lossDollars: try row.real(3) ?? 0))
            }
            return summary
        }
    }

    func decidedRange(through horizon: Timestamp) throws -> ClosedRange<Timestamp>? {
        try verifySchema()
        // The decided_at index walked from each end to the first plausible time: two short reads, not a scan.
        let plausible = "\(dialect.plausibleTime("decided_at")) AND decided_at <= \(dialect.literal(horizon))"
        func end(_ order: String) throws -> Timestamp? {
            var select = SelectList()
            select.add("decided_at", .time)
            let rest = "FROM \(Schema.decisions.name) WHERE \(plausible) ORDER BY decided_at \(order) LIMIT 1"
            return try first(select, rest) { try $0.time(0) } ?? nil
        }
        // Both ends from one snapshot: a replace committing between them could otherwise invert the range.
        return try readSnapshot {
            guard let low = try end("ASC"), let high = try end("DESC"), low <= high else { return nil }
            return low...high
        }
    }

    /// Rows of a table, and the range of its plausible times: text that is no time and `infinity` have no
    /// place in it, and the row readers count such rows as invalid anyway.
    private func countAndRange(_ table: String, _ column: String) throws -> (Int, ClosedRange<Timestamp>?) {
        let plausible = "FILTER (WHERE \(dialect.plausibleTime(column)))"
        var select = SelectList()
        select.add("n", .bigint, "count(*)")
        select.add("low", .time, "min(\(column)) \(plausible)")
        select.add("high", .time, "max(\(column)) \(plausible)")
        let found = try first(select, "FROM \(table)") { row in
            (try row.count(0), try row.time(1), try row.time(2))
        }
        guard let (count, low, high) = found else { return (0, nil) }
        guard let low, let high else { return (count, nil) }
        return (count, low...high)
    }
}
