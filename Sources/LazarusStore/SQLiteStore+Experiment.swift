import LazarusCore

extension SQLiteStore {
    public func writeExperiment(
        decisions: some Sequence<DecisionRow>, outcomes: some Sequence<OutcomeRow>, ledger: [LedgerEntry],
        mode: ExperimentWriteMode
    ) throws {
        try inTransaction {
            switch mode {
            case .new:
                let decisionCount = try count(Schema.decisions.name)
                let ledgerCount = try count(Schema.ledger.name)
                if decisionCount > 0 || ledgerCount > 0 {
                    throw ExperimentWriteMode.populatedError(decisions: decisionCount, ledger: ledgerCount)
                }
            case .replace:
                try deleteRows()
            case .append:
                break
            }
            _ = try writeDecisions(decisions)
            _ = try writeOutcomes(outcomes)
            try writeLedger(ledger)
        }
    }

    public func deleteAllRows() throws {
        try inTransaction { try deleteRows() }
    }

    private func deleteRows() throws {
        for table in Schema.tables { try connection.execute("DELETE FROM \(table.name)") }
    }

    /// Rows in a table.
    func count(_ table: String) throws -> Int {
        let statement = try connection.prepare("SELECT COUNT(*) FROM \(table)")
        _ = try statement.step()
        return try statement.int(0) ?? 0
    }
}
