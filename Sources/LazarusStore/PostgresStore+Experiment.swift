import LazarusCore

extension PostgresStore {
    public func writeExperiment(
        decisions: some Sequence<DecisionRow>, outcomes: some Sequence<OutcomeRow>, ledger: [LedgerEntry],
        mode: ExperimentWriteMode
    ) throws {
        try inTransaction {
            switch mode {
            case .new:
                // Lock out a concurrent writer between this check and the COPY.
                try connection.execute(
                    "LOCK TABLE \(Schema.decisions.name), \(Schema.ledger.name) IN SHARE ROW EXCLUSIVE MODE")
                let counts = try connection.execute(
                    "SELECT (SELECT count(*) FROM \(Schema.decisions.name)), (SELECT count(*) FROM \(Schema.ledger.name))"
                )
                let decisionCount = Int(counts.string(0, 0) ?? "") ?? 0
                let ledgerCount = Int(counts.string(0, 1) ?? "") ?? 0
                if decisionCount > 0 || ledgerCount > 0 {
                    throw ExperimentWriteMode.populatedError(decisions: decisionCount, ledger: ledgerCount)
                }
            case .replace:
                try truncateAll()
            case .append:
                break
            }
            try insertDecisions(decisions)
            try insertOutcomes(outcomes)
            try writeLedger(ledger)
        }
    }

    public func deleteAllRows() throws {
        try inTransaction { try truncateAll() }
    }

    private func truncateAll() throws {
        let tables = Schema.tables.map(\.name).joined(separator: ", ")
        try connection.execute("TRUNCATE \(tables) RESTART IDENTITY")
    }
}
