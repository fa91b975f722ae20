/// The columns of a query, each with its kind, looked up by name when a decoder is made.
///
/// Every read builds its select list here, so the SQL and the positions its decoders read are one
/// definition: a decoder asks for `decided_at`, never for column 1.
struct SelectList {
    private(set) var items: [(expression: String, type: SQLType)] = []
    private var positions: [String: Int] = [:]

    /// Adds a column.
    /// - Parameters:
    ///   - name: the name decoders ask for.
    ///   - type: what kind of value it is.
    ///   - expression: the SQL that computes it (default: the name itself).
    mutating func add(_ name: String, _ type: SQLType, _ expression: String? = nil) {
        precondition(positions[name] == nil, "column \(name) selected twice")
        positions[name] = items.count
        items.append((expression ?? name, type))
    }

    /// Adds a table's columns, qualified by `prefix` (`d.`) in SQL and in the names decoders ask for.
    mutating func add(_ columns: [Schema.Column], prefix: String = "") {
        for column in columns { add(prefix + column.name, column.type, prefix + column.name) }
    }

    /// The position of a column; a missing name is a programming error.
    func position(_ name: String) -> Int {
        guard let position = positions[name] else { preconditionFailure("column \(name) is not selected") }
        return position
    }

    /// The list as SQL, each expression cast as the dialect needs.
    func sql(_ dialect: SQLDialect) -> String {
        items.map { dialect.read($0.expression, $0.type) }.joined(separator: ", ")
    }
}
