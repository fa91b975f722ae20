import LazarusCore

/// What a backend supplies to ``SQLStore``, and only what differs between backends: its dialect,
/// statements, a query that hands each row to a sequential reader, and its bulk write path. Every query,
/// decoder and transaction rule is written once, in ``SQLStore``, over these.
protocol SQLDatabase: AnyObject {
    /// The backend's row reader, one object reused for every row of a query.
    associatedtype Row: SQLRow
    /// The backend's row writer for bulk inserts.
    associatedtype Encoder: SQLRowEncoder

    /// The dialect its SQL is written in.
    var dialect: SQLDialect { get }

    /// Runs statements that return no rows.
    func execute(_ sql: String) throws

    /// Runs one statement that returns no rows with bound parameters (written with
    /// ``SQLDialect/placeholder(_:_:)``).
    func execute(_ sql: String, _ values: [SQLValue]) throws

    /// Runs a query and hands each row to `body`, in the order the database returns them, without holding
    /// the result in memory. An error `body` throws stops the query and is rethrown.
    /// - Parameter sql: a `SELECT` whose columns are a ``SelectList`` rendered in this dialect.
    func query(_ sql: String, _ body: (Row) throws -> Void) throws

    /// Inserts rows into `table` in the caller's transaction by the backend's fastest path (binary COPY,
    /// one prepared statement), each written by `encode` in ``Schema/Table/writtenColumns`` order;
    /// sequenced tables get each row's next `ingest_seq`. All rows or none.
    /// - Returns: the number of rows written.
    func bulkInsert<Rows: Sequence>(
        into table: Schema.Table, _ rows: Rows, encode: (Rows.Element, inout Encoder) throws -> Void
    ) throws -> Int

    /// Throws when what the connection reads is no longer what its URL names (an SQLite file deleted or
    /// replaced under it); a server connection has nothing to check.
    func checkIdentity() throws

    /// Whether counting a table's rows is cheap enough for every refresh (an SQLite file's size; not a
    /// server's table of hundreds of millions of rows, where the primary keys refuse duplicates anyway).
    var countsRowsCheaply: Bool { get }
}

extension SQLDatabase {
    func checkIdentity() throws {}
    var countsRowsCheaply: Bool { false }
}
