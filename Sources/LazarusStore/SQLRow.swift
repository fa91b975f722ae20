import LazarusCore

/// One row of a query's result, read by position in the query's ``SelectList``.
///
/// Readers are lenient, because other programs write the decision and outcome tables: a value of the
/// wrong kind is missing (`nil`), or NaN for a number, so that the domain code counts the row as
/// invalid instead of one row stopping every read. Only bytes the backend cannot decode at all throw.
protocol SQLRow: AnyObject {
    /// Text; `nil` for NULL.
    func text(_ column: Int) throws -> String?
    /// A number; `nil` for NULL, NaN for a value that is not a number.
    func real(_ column: Int) throws -> Double?
    /// An integer; `nil` for NULL or a value that is not a whole number.
    func integer(_ column: Int) throws -> Int64?
    /// A boolean; `nil` for NULL or a value that is not one.
    func boolean(_ column: Int) throws -> Bool?
    /// An instant; `nil` for NULL, a value that is no time, or an infinite one.
    func time(_ column: Int) throws -> Timestamp?
    /// Whether the value is NULL (rather than of the wrong kind).
    func isNull(_ column: Int) throws -> Bool
}

/// Writes one row's values, in the order of the table's written columns (``Schema/Table/writtenColumns``).
protocol SQLRowEncoder {
    mutating func text(_ value: String?) throws
    mutating func real(_ value: Double?) throws
    mutating func integer(_ value: Int?) throws
    mutating func boolean(_ value: Bool?) throws
    mutating func time(_ value: Timestamp) throws
}

extension SQLRow {
    /// A count the database computed; 0 for NULL.
    func count(_ column: Int) throws -> Int { Int(try integer(column) ?? 0) }

    /// An `ingest_seq`: `nil` for NULL (a row another program wrote without one, numbered later by the
    /// SQLite trigger); any other value that is not a whole number stops the read, because a watermark
    /// built on it would skip or repeat rows.
    func sequence(_ column: Int) throws -> Int64? {
        if let value = try integer(column) { return value }
        guard try isNull(column) else {
            throw StoreError(.corruptData, "an ingest_seq is not a whole number; fix the row or renumber the table")
        }
        return nil
    }
}
