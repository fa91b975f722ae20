import LazarusCore

/// The exploration loss budget kept in PostgreSQL, shared by deciders on many machines.
///
/// Every operation is one atomic statement on the single row of `lazarus_budget_state`: the row lock
/// serialises concurrent spends, so none is lost and exactly one sees the budget run out. Starting a
/// period also appends its `reset` and `grant` to `lazarus_budget_ledger`, in the same transaction.
/// One connection per instance: give each concurrent decider its own.
public final class PostgresLossBudget: LossBudget {
    private let connection: PostgresConnection
    private let table = Schema.budgetState.name

    /// Connects to a migrated PostgreSQL store.
    /// - Parameter uri: a libpq connection URI.
    /// - Throws: ``StoreError`` when the database cannot be reached or is not migrated to schema v2.
    public init(uri: String) throws {
        connection = try PostgresConnection(uri: uri)
        try connection.execute("SET TIME ZONE 'UTC'")
    }

    public func hasRemaining() throws -> Bool { try state().remaining > 0 }

    public func state() throws -> BudgetState {
        let result = try connection.execute("SELECT granted, spent FROM \(table) WHERE id = 1")
        guard result.rowCount == 1, let granted = result.string(0, 0).flatMap(Double.init),
            let spent = result.string(0, 1).flatMap(Double.init)
        else { throw Self.noPeriod() }
        return BudgetState(granted: granted, spent: spent)
    }

    @discardableResult public func spend(_ dollars: Double) throws -> BudgetSpend {
        let amount = try Self.validated(dollars, "a loss")
        let result = try connection.execute(
            "UPDATE \(table) SET spent = spent + $1::float8 WHERE id = 1 RETURNING granted - (spent - $1::float8), granted - spent",
            [String(amount)])
        guard result.rowCount == 1, let before = result.string(0, 0).flatMap(Double.init),
            let after = result.string(0, 1).flatMap(Double.init)
        else { throw Self.noPeriod() }
        return BudgetSpend(before: before, after: after)
    }

    public func startPeriod(granting dollars: Double) throws {
        let amount = try Self.validated(dollars, "the loss budget")
        try connection.execute("BEGIN")
        do {
            try connection.execute(
                """
                INSERT INTO \(table) (id, period_started_at, granted, spent) VALUES (1, now(), $1::float8, 0)
                ON CONFLICT (id) DO UPDATE SET period_started_at = now(), granted = $1::float8, spent = 0
                """,
                [String(amount)])
            try connection.execute(
                """
                INSERT INTO \(Schema.ledger.name) (at, kind, amount, note) VALUES
                    (now(), 'reset', 0, 'new budget period'), (now(), 'grant', $1::float8, 'budget of the period')
                """,
                [String(amount)])
            try connection.execute("COMMIT")
        } catch {
            _ = try? connection.execute("ROLLBACK")
            throw error
        }
    }

    private static func noPeriod() -> StoreError {
        StoreError(.notMigrated, "no loss budget period has been started in this store (start one with a grant)")
    }
}
