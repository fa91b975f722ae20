import LazarusCore

extension ModelRecord {
    /// Decodes registry rows from a query that selected every column of ``Schema/models`` by name.
    struct Decoder {
        private let version, kind, createdAt, status, spec, metrics: Int

        init(_ select: SelectList) {
            func at(_ name: String) -> Int { select.position(name) }
            (version, kind, createdAt) = (at("version"), at("kind"), at("created_at"))
            (status, spec, metrics) = (at("status"), at("spec"), at("metrics"))
        }

        /// The model of this row; a creation time that cannot be read is ``Timestamp/unreadable``, for the
        /// exporter to count the row as invalid rather than fail on it (even on a retired model).
        func decode(_ row: some SQLRow) throws -> ModelRecord {
            ModelRecord(
                version: try row.text(version) ?? "", kind: try row.text(kind) ?? "",
                createdAt: try row.time(createdAt) ?? .unreadable,
                status: try row.text(status) ?? "", spec: try row.text(spec) ?? "{}",
                metrics: try row.text(metrics) ?? "{}")
        }
    }

    /// The values of this record in ``Schema/models`` column order, for an upsert.
    var values: [SQLValue] {
        [.text(version), .text(kind), .time(createdAt), .text(status), .json(spec), .json(metrics)]
    }
}
