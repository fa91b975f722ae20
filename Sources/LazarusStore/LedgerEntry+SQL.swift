import LazarusCore

extension LedgerEntry {
    /// Decodes ledger entries from a query that selected every column of ``Schema/ledger`` by name.
    struct Decoder {
        private let id, at, kind, amount, note: Int

        init(_ select: SelectList) {
            (id, at, kind) = (select.position("id"), select.position("at"), select.position("kind"))
            (amount, note) = (select.position("amount"), select.position("note"))
        }

        /// The entry of this row. A time that cannot be read is ``Timestamp/unreadable`` and an amount that is
        /// no number NaN: one bad row written by another program is counted (``LedgerEntry/defect``), not a
        /// read that fails and stops every refresh and report.
        func decode(_ row: some SQLRow) throws -> LedgerEntry {
            LedgerEntry(
                id: try row.integer(id), at: try row.time(at) ?? .unreadable, rawKind: try row.text(kind) ?? "",
                amount: try row.real(amount) ?? .nan, note: try row.text(note))
        }
    }

    /// This entry's values in ``Schema/ledger``'s written-column order (the store assigns the id).
    var values: [SQLValue] { [.time(at), .text(kind), .real(amount), .text(note)] }
}
