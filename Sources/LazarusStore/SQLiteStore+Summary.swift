import LazarusCore

extension SQLiteStore {
    public func summary() throws -> StoreSummary {
        let version = try verifySchema()
        // One read transaction, so the counts and groups describe the same moment.
        try connection.execute("BEGIN")
        defer { try? connection.execute("COMMIT") }
        var summary = StoreSummary(
            schemaVersion: version, decisionCount: 0, outcomeCount: 0, ledgerCount: 0, modelCount: 0,
            decidedRange: nil, observedRange: nil, decisionGroups: [], outcomeGroups: [])
        summary.ledgerCount = try count(Schema.ledger.name)
        summary.modelCount = try count(Schema.models.name)
        (summary.decisionCount, summary.decidedRange) = try countAndRange(Schema.decisions.name, "decided_at")
        (summary.outcomeCount, summary.observedRange) = try countAndRange(Schema.outcomes.name, "observed_at")

        let decisions = try connection.prepare(
            "SELECT variant, approved, reason, COUNT(*) FROM lazarus_decisions GROUP BY variant, approved, reason")
        while try decisions.step() {
            summary.decisionGroups.append(
                .init(
                    variant: decisions.string(0), approved: try decisions.bool(1), reason: decisions.string(2),
                    count: try decisions.int(3) ?? 0))
        }
        let outcomes = try connection.prepare(
            """
            SELECT d.variant, o.defaulted, COUNT(*), TOTAL(o.loss_amount)
            FROM lazarus_outcomes o LEFT JOIN lazarus_decisions d ON d.application_id = o.application_id
            GROUP BY d.variant, o.defaulted
            """)
        while try outcomes.step() {
            summary.outcomeGroups.append(
                .init(
                    variant: outcomes.string(0), defaulted: try outcomes.bool(1), count: try outcomes.int(2) ?? 0,
                    lossDollars: try outcomes.double(3) ?? 0))
        }
        return summary
    }

    public func decidedRange() throws -> ClosedRange<Timestamp>? {
        try verifySchema()
        // The decided_at index walked from each end to the first plausible time: two short reads, not a scan.
        let plausible = TotalsQueries(dialect: .sqlite).plausibleTime("decided_at")
        func end(_ order: String) throws -> Timestamp? {
            let statement = try connection.prepare(
                "SELECT decided_at FROM \(Schema.decisions.name) WHERE \(plausible) ORDER BY decided_at \(order) LIMIT 1"
            )
            guard try statement.step() else { return nil }
            return try timestamp(statement, 0, table: Schema.decisions.name)
        }
        guard let low = try end("ASC"), let high = try end("DESC") else { return nil }
        return low...high
    }

    private func countAndRange(_ table: String, _ column: String) throws -> (Int, ClosedRange<Timestamp>?) {
        // Over plausible times only: text that is no time would not parse, and the row readers count such
        // rows as invalid anyway.
        let plausible = TotalsQueries(dialect: .sqlite).plausibleTime(column)
        let statement = try connection.prepare(
            "SELECT COUNT(*), MIN(\(column)) FILTER (WHERE \(plausible)), MAX(\(column)) FILTER (WHERE \(plausible)) FROM \(table)"
        )
        _ = try statement.step()
        let count = try statement.int(0) ?? 0
        guard count > 0, !statement.isNull(1) else { return (count, nil) }
        let low = try timestamp(statement, 1, table: table)
        let high = try timestamp(statement, 2, table: table)
        return (count, low...high)
    }
}
