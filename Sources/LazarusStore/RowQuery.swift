import LazarusCore

/// Which rows of an append-mostly table to read: after a watermark and/or inside a time window.
public struct RowQuery: Sendable, Equatable {
    /// Read only rows whose ingest sequence is greater than this (an incremental read).
    public var afterSequence: Int64?
    /// Read only rows at or after this instant (`decided_at` or `observed_at`).
    public var from: Timestamp?
    /// Read only rows strictly before this instant.
    public var before: Timestamp?

    /// Creates a query; with no arguments it reads every row.
    public init(afterSequence: Int64? = nil, from: Timestamp? = nil, before: Timestamp? = nil) {
        self.afterSequence = afterSequence
        self.from = from
        self.before = before
    }

    /// Every row.
    public static let all = RowQuery()

    /// The SQL `WHERE` clause for this query on a table with the given time column, and for an
    /// incremental read an `ORDER BY ingest_seq` (the index serves it), so sequences arrive ascending.
    ///
    /// Values are inlined because PostgreSQL's COPY takes no parameters; they are integers and
    /// timestamps this type formats itself, never user text, so nothing can be injected.
    /// - Parameters:
    ///   - timeColumn: `decided_at` or `observed_at`, with any table prefix.
    ///   - timestamp: the backend's timestamp literal.
    ///   - prefix: the table prefix of `ingest_seq` (`o.` in a join).
    func sql(timeColumn: String, timestamp: (Timestamp) -> String, prefix: String = "") -> String {
        var terms: [String] = []
        if let afterSequence { terms.append("\(prefix)ingest_seq > \(afterSequence)") }
        if let from { terms.append("\(timeColumn) >= \(timestamp(from))") }
        if let before { terms.append("\(timeColumn) < \(timestamp(before))") }
        let filter = terms.isEmpty ? "" : " WHERE " + terms.joined(separator: " AND ")
        return filter + (afterSequence == nil ? "" : " ORDER BY \(prefix)ingest_seq")
    }
}

/// What a streaming read saw.
public struct StreamResult: Sendable, Equatable {
    /// Rows passed to the body.
    public var rows: Int
    /// The highest ingest sequence among them: the watermark for the next incremental read.
    public var lastSequence: Int64?
}

/// The schema versions before and after a migration.
public struct MigrationResult: Sendable, Equatable {
    /// The version found, `nil` for an empty database.
    public var from: Int?
    /// The version now in place.
    public var to: Int
}
