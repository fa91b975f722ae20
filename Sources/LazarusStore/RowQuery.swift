import LazarusCore

/// Which rows of an append-mostly table to read: after a watermark and/or inside a time window.
public struct RowQuery: Sendable, Equatable {
    /// Read only rows whose ingest sequence is greater than this (an incremental read).
    public var afterSequence: Int64?
    /// Read only rows at or after this instant (`decided_at` or `observed_at`).
    public var from: Timestamp?
    /// Read only rows strictly before this instant.
    public var before: Timestamp?
    /// Decisions only: read only rows of this variant (outcome reads ignore it).
    public var variant: Variant?

    /// Creates a query; with no arguments it reads every row.
    public init(afterSequence: Int64? = nil, from: Timestamp? = nil, before: Timestamp? = nil, variant: Variant? = nil)
    {
        self.afterSequence = afterSequence
        self.from = from
        self.before = before
        self.variant = variant
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
    ///   - variantColumn: the decisions' `variant` column, for a decision read (`nil`: no variant filter).
    func sql(
        timeColumn: String, timestamp: (Timestamp) -> String, prefix: String = "", variantColumn: String? = nil
    ) -> String {
        var terms: [String] = []
        // The variant is one of Variant's fixed raw values, never user text.
        if let variant, let variantColumn { terms.append("\(variantColumn) = '\(variant.rawValue)'") }
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
