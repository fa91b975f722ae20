import LazarusCore

/// The kinds of value Lazarus reads and writes, whatever the backend calls them.
///
/// A query's select list names the kind of each column; the dialect turns it into the cast PostgreSQL's
/// binary COPY needs (the bytes carry no type) and SQLite ignores.
enum SQLType: Sendable {
    /// Text (`text` / `TEXT`).
    case text
    /// A double (`double precision` / `REAL`).
    case real
    /// A 32-bit integer column (`integer`); read as 64 bits, so a lender's `bigint` column still decodes.
    case integer
    /// A 64-bit integer (`bigint`): sequences, ids and counts.
    case bigint
    /// A boolean (`boolean` / `INTEGER` 0 or 1).
    case boolean
    /// An instant (`timestamptz` / ISO 8601 UTC text).
    case time
    /// A JSON document (`jsonb` / `TEXT`), read as text.
    case json
}

/// A value bound to a statement's parameter.
enum SQLValue: Sendable {
    case text(String?)
    case real(Double?)
    case integer(Int64?)
    case boolean(Bool?)
    case time(Timestamp)
    case json(String)

    /// The kind of value, for the dialect's placeholder cast.
    var type: SQLType {
        switch self {
        case .text: .text
        case .real: .real
        case .integer: .bigint
        case .boolean: .boolean
        case .time: .time
        case .json: .json
        }
    }
}
