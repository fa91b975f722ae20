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
        /// - Throws: ``StoreError`` `corruptData` when its time or amount cannot be read: the budget cannot be
        ///   known without every entry.
        func decode(_ row: some SQLRow) throws -> LedgerEntry {
            guard let time = try row.time(at) else {
                throw StoreError(.corruptData, "\(Schema.ledger.name) has a time that is not an instant")
            }
            guard let dollars = try row.real(amount), !dollars.isNaN else {
                throw StoreError(.corruptData, "\(Schema.ledger.name) has an amount this reader cannot decode")
            }
            return LedgerEntry(
                id: try row.integer(id), at: time, rawKind: try row.text(kind) ?? "", amount: dollars,
                note: try row.text(note))
        }
    }

    /// Writes this entry's values in ``Schema/ledger``'s written-column order (the store assigns the id).
    func encode(into encoder: inout some SQLRowEncoder) throws {
        try encoder.time(at)
        try encoder.text(kind)
        try encoder.real(amount)
        try encoder.text(note)
    }
}
