import LazarusCore

extension PostgresStore {
    public func decidedRange() throws -> ClosedRange<Timestamp>? {
        try verifySchema()
        let queries = TotalsQueries(dialect: .postgres)
        let filter = "FILTER (WHERE \(queries.plausibleTime("decided_at")))"
        let range = try connection.execute(
            "SELECT \(Self.micros("min(decided_at) \(filter)")), \(Self.micros("max(decided_at) \(filter)")) "
                + "FROM lazarus_decisions")
        guard range.string(0, 0) != nil else { return nil }
        return try Self.timestamp(range.string(0, 0))...Self.timestamp(range.string(0, 1))
    }

    public func summary() throws -> StoreSummary {
        let version = try verifySchema()
        // One repeatable-read snapshot, so counts and groups describe the same moment.
        return try inTransaction {
            try connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            // The time ranges over plausible times only: an `infinity` has no epoch to cast, and the row
            // readers count such rows as invalid anyway.
            let queries = TotalsQueries(dialect: .postgres)
            func plausible(_ f: String, _ column: String) -> String {
                Self.micros("\(f)(\(column)) FILTER (WHERE \(queries.plausibleTime(column)))")
            }
            let totals = try connection.execute(
                """
                SELECT (SELECT count(*) FROM lazarus_budget_ledger), (SELECT count(*) FROM lazarus_models),
                    count(*), \(plausible("min", "decided_at")), \(plausible("max", "decided_at")),
                    (SELECT count(*) FROM lazarus_outcomes),
                    (SELECT \(plausible("min", "observed_at")) FROM lazarus_outcomes),
                    (SELECT \(plausible("max", "observed_at")) FROM lazarus_outcomes)
                FROM lazarus_decisions
                """)
            func int(_ column: Int) -> Int { totals.string(0, column).flatMap { Int($0) } ?? 0 }
            func range(_ low: Int, _ high: Int) throws -> ClosedRange<Timestamp>? {
                guard totals.string(0, low) != nil else { return nil }
                return try Self.timestamp(totals.string(0, low))...Self.timestamp(totals.string(0, high))
            }
            var summary = StoreSummary(
                schemaVersion: version, decisionCount: int(2), outcomeCount: int(5), ledgerCount: int(0),
                modelCount: int(1), decidedRange: try range(3, 4), observedRange: try range(6, 7),
                decisionGroups: [], outcomeGroups: [])

            let decisions = try connection.execute(
                "SELECT variant, approved, reason, count(*) FROM lazarus_decisions GROUP BY variant, approved, reason")
            for row in 0..<decisions.rowCount {
                summary.decisionGroups.append(
                    .init(
                        variant: decisions.string(row, 0), approved: decisions.string(row, 1).map { $0 == "t" },
                        reason: decisions.string(row, 2), count: decisions.string(row, 3).flatMap { Int($0) } ?? 0))
            }
            let outcomes = try connection.execute(
                """
                SELECT d.variant, o.defaulted, count(*), coalesce(sum(o.loss_amount), 0)::float8
                FROM lazarus_outcomes o LEFT JOIN lazarus_decisions d ON d.application_id = o.application_id
                GROUP BY d.variant, o.defaulted
                """)
            for row in 0..<outcomes.rowCount {
                summary.outcomeGroups.append(
                    .init(
                        variant: outcomes.string(row, 0), defaulted: outcomes.string(row, 1).map { $0 == "t" },
                        count: outcomes.string(row, 2).flatMap { Int($0) } ?? 0,
                        lossDollars: outcomes.string(row, 3).flatMap { Double($0) } ?? 0))
            }
            return summary
        }
    }
}
