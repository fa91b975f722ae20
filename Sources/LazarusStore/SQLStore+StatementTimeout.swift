extension SQLStore {
    func limitStatements(toSeconds seconds: Double) throws -> Double? {
        guard let query = dialect.statementTimeoutSetting else { return nil }
        var current: (milliseconds: Int64, source: String)?
        try database.query(query) { row in
            if let milliseconds = try row.integer(0), let source = try row.text(1) { current = (milliseconds, source) }
        }
        guard let current else { return nil }
        // Only a limit nobody chose (the default) or one this program set earlier is replaced.
        guard current.source == "default" || current.source == "session" else {
            return current.milliseconds > 0 ? Double(current.milliseconds) / 1000 : nil
        }
        let milliseconds = max(1, Int64((seconds * 1000).rounded()))
        try database.execute("SET statement_timeout = \(milliseconds)")
        return Double(milliseconds) / 1000
    }
}
