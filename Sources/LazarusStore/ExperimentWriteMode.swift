/// What writing an experiment does with a store that already holds one.
public enum ExperimentWriteMode: String, Sendable, CaseIterable {
    /// Refuse: two experiments are never mixed silently.
    case new
    /// Add the new rows to the existing experiment.
    case append
    /// Delete every row first, in the same transaction.
    case replace

    /// The error for a `.new` write into a populated store.
    static func populatedError(decisions: Int, ledger: Int) -> StoreError {
        StoreError(
            .alreadyPopulated,
            "the store already holds an experiment (\(decisions) decisions, \(ledger) ledger entries);"
                + " pass --append to add to it or --replace to start over")
    }
}
