import LazarusCore

/// What writing a whole experiment needs from a backend; the steps are shared by both stores.
protocol ExperimentWriter {
    /// Runs `body` in one write transaction, rolling back if it throws.
    func inWriteTransaction<T>(_ body: () throws -> T) throws -> T
    /// Rows in the decisions and ledger tables, read so that no other writer can add any before commit.
    func experimentRowCounts() throws -> (decisions: Int, ledger: Int)
    /// Deletes every row of every Lazarus table, inside the caller's transaction.
    func removeAllRows() throws
    /// Inserts decisions, inside the caller's transaction.
    func writeDecisionRows(_ rows: some Sequence<DecisionRow>) throws
    /// Inserts outcomes, inside the caller's transaction.
    func writeOutcomeRows(_ rows: some Sequence<OutcomeRow>) throws
    /// Inserts ledger entries, inside the caller's transaction.
    func writeLedger(_ entries: [LedgerEntry]) throws
}

extension ExperimentWriter {
    /// Writes decisions, outcomes and ledger entries in one transaction, after checking or clearing the
    /// store as `mode` says.
    func writeExperimentRows(
        decisions: some Sequence<DecisionRow>, outcomes: some Sequence<OutcomeRow>, ledger: [LedgerEntry],
        mode: ExperimentWriteMode
    ) throws {
        try inWriteTransaction {
            switch mode {
            case .new:
                let counts = try experimentRowCounts()
                if counts.decisions > 0 || counts.ledger > 0 {
                    throw ExperimentWriteMode.populatedError(decisions: counts.decisions, ledger: counts.ledger)
                }
            case .replace:
                try removeAllRows()
            case .append:
                break
            }
            try writeDecisionRows(decisions)
            try writeOutcomeRows(outcomes)
            try writeLedger(ledger)
        }
    }
}
