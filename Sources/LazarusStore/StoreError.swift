import LazarusCore

/// Every failure of the store layer: a stable code for programs and one clear line for people.
///
/// Messages never carry passwords (URLs are redacted) nor row contents: PostgreSQL's `DETAIL`
/// field, which quotes key values, is deliberately left out.
public typealias StoreError = LazarusError<StoreErrorCode>

/// What kind of failure a ``StoreError`` is.
public enum StoreErrorCode: String, Sendable {
    /// The store URL cannot be parsed or names an unknown scheme.
    case invalidURL = "invalid-url"
    /// The database cannot be reached or opened.
    case connectionFailed = "connection-failed"
    /// The tables exist but do not have the columns Lazarus needs.
    case schemaMismatch = "schema-mismatch"
    /// The role may not read a table Lazarus needs (a missing `GRANT`).
    case permissionDenied = "permission-denied"
    /// The store was migrated by a newer Lazarus than this one.
    case schemaTooNew = "schema-too-new"
    /// The tables have not been created yet (run a migration).
    case notMigrated = "not-migrated"
    /// The store already holds an experiment and the write was asked not to mix with it.
    case alreadyPopulated = "already-populated"
    /// A row would duplicate a primary key already in the store.
    case duplicateKey = "duplicate-key"
    /// A value cannot be stored (out of range for its column, not valid text, …).
    case invalidValue = "invalid-value"
    /// A stored value cannot be read back as the type Lazarus expects.
    case corruptData = "corrupt-data"
    /// Any other failure reported by the database.
    case databaseError = "database-error"
}
