import LazarusCore

extension PostgresStore: ExperimentWriter {
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

    func experimentRowCounts() throws -> (decisions: Int, ledger: Int) {
        // Lock out a concurrent writer between this check and the COPY.
        try connection.execute(
            "LOCK TABLE \(Schema.decisions.name), \(Schema.ledger.name) IN SHARE ROW EXCLUSIVE MODE")
        let counts = try connection.execute(
            "SELECT (SELECT count(*) FROM \(Schema.decisions.name)), (SELECT count(*) FROM \(Schema.ledger.name))")
        return (Int(counts.string(0, 0) ?? "") ?? 0, Int(counts.string(0, 1) ?? "") ?? 0)
    }

    func removeAllRows() throws {
        let tables = Schema.tables.map(\.name).joined(separator: ", ")
        try connection.execute("TRUNCATE \(tables) RESTART IDENTITY")
    }

    // A COPY is atomic and works inside the caller's transaction.
    func writeDecisionRows(_ rows: some Sequence<DecisionRow>) throws { try insertDecisions(rows) }

    func writeOutcomeRows(_ rows: some Sequence<OutcomeRow>) throws { try insertOutcomes(rows) }
}
