import LazarusCore

extension OutcomeRow {
    /// The table's columns an outcome is read from and written to (``Schema/outcomes``).
    static let columns = Schema.outcomes.writtenColumns

    /// Decodes outcomes from a query that selected ``columns`` under a prefix, by name.
    struct Decoder {
        private let applicationID, observedAt, defaulted, lossAmount: Int

        init(_ select: SelectList, prefix: String = "") {
            func at(_ name: String) -> Int { select.position(prefix + name) }
            (applicationID, observedAt) = (at("application_id"), at("observed_at"))
            (defaulted, lossAmount) = (at("defaulted"), at("loss_amount"))
        }

        /// The outcome of this row; an unreadable time is ``Timestamp/unreadable``, for the readers to count.
        func decode(_ row: some SQLRow) throws -> OutcomeRow {
            OutcomeRow(
                applicationID: try row.text(applicationID) ?? "", observedAt: try row.time(observedAt) ?? .unreadable,
                defaulted: try row.boolean(defaulted), lossAmount: try row.real(lossAmount))
        }
    }

    /// Writes this outcome's values in ``columns`` order.
    func encode(into encoder: inout some SQLRowEncoder) throws {
        try encoder.text(applicationID)
        try encoder.time(observedAt)
        try encoder.boolean(defaulted)
        try encoder.real(lossAmount)
    }
}
