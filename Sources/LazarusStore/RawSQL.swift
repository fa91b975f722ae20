import LazarusCore

/// Raw SQL on a store's own connection, as another program writing the tables would run it. For tests
/// (`@_spi(Testing) import LazarusStore`): Lazarus itself never runs SQL it did not build.
@_spi(Testing) public protocol RawSQL {
    /// Runs statements that return no rows.
    func executeRaw(_ sql: String) throws
    /// The value of one SQL expression (`(SELECT count(*) FROM t)`) as text, `nil` for NULL.
    func rawValue(_ expression: String) throws -> String?
}

@_spi(Testing) extension SQLStore: RawSQL {
    public func executeRaw(_ sql: String) throws { try database.execute(sql) }

    public func rawValue(_ expression: String) throws -> String? {
        var select = SelectList()
        select.add("value", .text, expression)
        return try first(select, "") { try $0.text(0) } ?? nil
    }
}
