import LazarusCore

extension PostgresStore {
    public func readSnapshot<T>(_ body: () throws -> T) throws -> T {
        try inTransaction(begin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", body)
    }

    public func experimentTotals(samplePerDay: Int, recentSequences: Int64) throws -> ExperimentTotals {
        let queries = TotalsQueries(dialect: .postgres)
        return try readSnapshot {
            var totals = ExperimentTotals()
            totals.decisionSequences = try sequences(Schema.decisions.name, recent: recentSequences)
            totals.outcomeSequences = try sequences(Schema.outcomes.name, recent: recentSequences)
            let decisions = try connection.execute(queries.decisionGroups)
            for row in 0..<decisions.rowCount {
                totals.decisionGroups.append(
                    .init(
                        variant: decisions.string(row, 0) ?? "", approved: decisions.string(row, 1) == "t",
                        reason: decisions.string(row, 2) ?? "", count: Int(decisions.string(row, 3) ?? "") ?? 0,
                        first: try Self.timestamp(decisions.string(row, 4)),
                        last: try Self.timestamp(decisions.string(row, 5))))
            }
            let outcomes = try connection.execute(queries.outcomeGroups)
            for row in 0..<outcomes.rowCount {
                func number(_ column: Int) -> Double { outcomes.string(row, column).flatMap { Double($0) } ?? 0 }
                totals.outcomeGroups.append(
                    .init(
                        variant: outcomes.string(row, 0) ?? "", defaulted: outcomes.string(row, 1) == "t",
                        count: Int(number(2)), weightSum: number(3), weightSquares: number(4), weightMax: number(5)))
            }
            totals.dayRange = TotalsQueries.dayRange(of: totals.decisionGroups)
            if let days = totals.dayRange {
                let sample = try connection.execute(queries.sample(days: days, perDay: samplePerDay))
                for row in 0..<sample.rowCount {
                    func number(_ column: Int) -> Double { sample.string(row, column).flatMap { Double($0) } ?? .nan }
                    totals.sample.append(
                        .init(
                            day: Int64(number(0)), hash: Int64(number(1)), score: number(2),
                            features: (3..<8).map(number)))
                }
            }
            let select = "SELECT \(Self.decisionColumns()), ingest_seq::int8 FROM \(Schema.decisions.name)"
            try copyOut(select + queries.otherDecisions) { reader in
                guard let row = try Self.decodeDecision(&reader) else { throw Self.nullKey() }
                let sequence = try reader.int8()
                totals.otherDecisions.append((row, sequence ?? 0))
                return sequence
            }
            try copyOut(Self.outcomeMatches + queries.otherOutcomes) { reader in
                let (row, decision, sequence) = try Self.decodeOutcomeMatch(&reader)
                totals.otherOutcomes.append((row, decision, sequence ?? 0))
                return sequence
            }
            return totals
        }
    }

    private func sequences(_ table: String, recent: Int64) throws -> ExperimentTotals.Sequences {
        let range = try connection.execute(TotalsQueries.sequenceRange(table))
        guard let top = range.string(0, 1).flatMap({ Int64($0) }) else { return .init(floor: 0, recent: []) }
        // `recent` below the top, never at the lowest visible value: one below it may belong to a transaction
        // still open (on an empty table, the very first insert) and must be read when it commits; the tracker
        // holds such a gap open until it does, or times it out. Nor lower: the values above the floor are read
        // into memory, and on a large table they must not be all of it. Identity values start at 1.
        let floor = max(top - recent, 0)
        let values = try connection.execute(TotalsQueries.sequences(table, above: floor))
        return .init(
            floor: floor, recent: (0..<values.rowCount).compactMap { values.string($0, 0).flatMap(Int64.init) })
    }
}
