import LazarusCore

extension SQLStore {
    func writeExperiment(
        decisions: some Sequence<DecisionRow>, outcomes: some Sequence<OutcomeRow>, ledger: [LedgerEntry],
        mode: ExperimentWriteMode
    ) throws {
        try inTransaction {
            switch mode {
            case .new:
                // Other writers are kept out between this check and the commit.
                if let lock = dialect.lockForWrite([Schema.decisions.name, Schema.ledger.name]) {
                    try database.execute(lock)
                }
                let (decisionCount, ledgerCount) = (try count(Schema.decisions.name), try count(Schema.ledger.name))
                if decisionCount > 0 || ledgerCount > 0 {
                    throw ExperimentWriteMode.populatedError(decisions: decisionCount, ledger: ledgerCount)
                }
            case .replace:
                try removeAllRows()
            case .append:
                break
            }
            _ = try writeDecisions(decisions)
            _ = try writeOutcomes(outcomes)
            try writeLedger(ledger)
        }
    }

    func deleteAllRows() throws {
        try inTransaction { try removeAllRows() }
    }

    private func removeAllRows() throws {
        for statement in dialect.deleteAll(Schema.tables.map(\.name)) { try database.execute(statement) }
    }
}
