import LazarusCore

extension SQLiteStore: ExperimentWriter {
    public func writeExperiment(
        decisions: some Sequence<DecisionRow>, outcomes: some Sequence<OutcomeRow>, ledger: [LedgerEntry],
        mode: ExperimentWriteMode
    ) throws {
        try writeExperimentRows(decisions: decisions, outcomes: outcomes, ledger: ledger, mode: mode)
    }

    public func deleteAllRows() throws {
        try inTransaction { try removeAllRows() }
    }

    func inWriteTransaction<T>(_ body: () throws -> T) throws -> T { try inTransaction(body) }

    /// BEGIN IMMEDIATE already holds the write lock, so the counts cannot change before commit.
    func experimentRowCounts() throws -> (decisions: Int, ledger: Int) {
        (try count(Schema.decisions.name), try count(Schema.ledger.name))
    }

    func removeAllRows() throws {
        for table in Schema.tables { try connection.execute("DELETE FROM \(table.name)") }
    }

    func writeDecisionRows(_ rows: some Sequence<DecisionRow>) throws { _ = try writeDecisions(rows) }

    func writeOutcomeRows(_ rows: some Sequence<OutcomeRow>) throws { _ = try writeOutcomes(rows) }

    /// Rows in a table.
    func count(_ table: String) throws -> Int {
        let statement = try connection.prepare("SELECT COUNT(*) FROM \(table)")
        _ = try statement.step()
        return try statement.int(0) ?? 0
    }
}
