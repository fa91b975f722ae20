import LazarusCore

extension LedgerEntry {
    /// Decodes ledger entries from a query that selected every column of ``Schema/ledger`` by name.
    struct Decoder {
        private let id, at, kind, amount, note: Int

        init(_ select: SelectList) {
            (id, at, kind) = (select.position("id"), select.position("at"), select.position("kind"))
            (amount, note) = (select.position("amount"), select.position("note"))
        }

        /// The entry of this row.
        /// - Throws: ``StoreError`` `corruptData` when its time cannot be read or its amount is NULL: the
        ///   budget cannot be known without every entry. An amount that is no number reads as NaN.
        func decode(_ row: some SQLRow) throws -> LedgerEntry {
            guard let time = try row.time(at) else {
                throw StoreError(.corruptData, "\(Schema.ledger.name) has a time that is not an instant")
            }
            // NaN (also text on SQLite) is kept: `LedgerEntry.defect` counts it as an invalid row.
            guard let dollars = try row.real(amount) else {
                throw StoreError(.corruptData, "\(Schema.ledger.name) has an amount that is NULL")
            }
            return LedgerEntry(
                id: try row.integer(id), at: time, rawKind: try row.text(kind) ?? "", amount: dollars,
                note: try row.text(note))
        }
    }

    /// This entry's values in ``Schema/ledger``'s written-column order (the store assigns the id).
    var values: [SQLValue] { [.time(at), .text(kind), .real(amount), .text(note)] }
}
