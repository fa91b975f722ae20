import LazarusCore

extension SQLiteStore {
    public func readSnapshot<T>(_ body: () throws -> T) throws -> T {
        // A deferred transaction: its first read fixes the snapshot, and in WAL mode it blocks no writer.
        try inTransaction(begin: "BEGIN DEFERRED", body)
    }

    public func experimentTotals(samplePerDay: Int, recentSequences: Int64) throws -> ExperimentTotals {
        let queries = TotalsQueries(dialect: .sqlite)
        let decisionsTable = Schema.decisions.name
        return try readSnapshot {
            var totals = ExperimentTotals()
            totals.decisionSequences = try sequences(decisionsTable, recent: recentSequences)
            totals.outcomeSequences = try sequences(Schema.outcomes.name, recent: recentSequences)
            let decisions = try connection.prepare(queries.decisionGroups)
            while try decisions.step() {
                totals.decisionGroups.append(
                    .init(
                        variant: decisions.string(0) ?? "", approved: try decisions.bool(1) ?? false,
                        reason: decisions.string(2) ?? "", count: try decisions.int(3) ?? 0,
                        first: try timestamp(decisions, 4, table: decisionsTable),
                        last: try timestamp(decisions, 5, table: decisionsTable)))
            }
            let outcomes = try connection.prepare(queries.outcomeGroups)
            while try outcomes.step() {
                totals.outcomeGroups.append(
                    .init(
                        variant: outcomes.string(0) ?? "", defaulted: try outcomes.bool(1) ?? false,
                        count: try outcomes.int(2) ?? 0, weightSum: try outcomes.double(3) ?? 0,
                        weightSquares: try outcomes.double(4) ?? 0, weightMax: try outcomes.double(5) ?? 0))
            }
            totals.dayRange = TotalsQueries.dayRange(of: totals.decisionGroups)
            if let days = totals.dayRange {
                let sample = try connection.prepare(queries.sample(days: days, perDay: samplePerDay))
                while try sample.step() {
                    totals.sample.append(
                        .init(
                            day: try sample.int64(0) ?? 0, hash: try sample.int64(1) ?? 0,
                            score: try sample.double(2) ?? .nan,
                            features: try (3..<8).map { try sample.double(Int32($0)) ?? .nan }))
                }
            }
            let others = try connection.prepare(
                "SELECT \(Columns.list(Columns.decision)), ingest_seq FROM \(decisionsTable)" + queries.otherDecisions)
            while try others.step() {
                totals.otherDecisions.append((try decision(others, at: 0)!, try others.int64(15) ?? 0))
            }
            try streamOutcomeMatches(TotalsQueries.outcomeJoin + queries.otherOutcomes) { row, decision, sequence in
                totals.otherOutcomes.append((row, decision, sequence))
            }
            return totals
        }
    }

    private func sequences(_ table: String, recent: Int64) throws -> ExperimentTotals.Sequences {
        let range = try connection.prepare(TotalsQueries.sequenceRange(table))
        guard try range.step(), let top = try range.int64(1) else {
            return .init(floor: 0, recent: [])
        }
        // `recent` below the top, never at the lowest visible value: one below it may belong to a transaction
        // still open (on an empty table, the very first insert) and must be read when it commits; the tracker
        // holds such a gap open until it does, or times it out. Nor lower: the values above the floor are read
        // into memory, and on a large table they must not be all of it. Identity values start at 1.
        let floor = max(top - recent, 0)
        let values = try connection.prepare(TotalsQueries.sequences(table, above: floor))
        var recentValues: [Int64] = []
        while try values.step() { recentValues.append(try values.int64(0) ?? 0) }
        return .init(floor: floor, recent: recentValues)
    }
}
