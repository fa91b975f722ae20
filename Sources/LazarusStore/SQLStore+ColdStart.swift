import LazarusCore

extension SQLStore {
    func coldStartSnapshot(samplePerDay: Int, recentSequences: Int64, horizon: Timestamp) throws -> ColdStartSnapshot {
        let queries = ColdStartQueries(dialect: dialect, horizon: horizon)
        return try readSnapshot {
            var snapshot = ColdStartSnapshot()
            snapshot.decisionSequences = try sequences(Schema.decisions.name, recent: recentSequences)
            snapshot.outcomeSequences = try sequences(Schema.outcomes.name, recent: recentSequences)

            let (decisions, decisionsFrom) = queries.decisionGroups
            let d = decisions.position
            try query(decisions, decisionsFrom) { row in
                guard let first = try row.time(d("first")), let last = try row.time(d("last")) else {
                    throw StoreError(.corruptData, "\(Schema.decisions.name) has a time that is not an instant")
                }
                snapshot.decisionGroups.append(
                    .init(
                        variant: try row.text(d("variant")) ?? "", approved: try row.boolean(d("approved")) ?? false,
                        reason: try row.text(d("reason")) ?? "", count: try row.count(d("n")), first: first, last: last)
                )
            }
            let (outcomes, outcomesFrom) = queries.outcomeGroups
            let o = outcomes.position
            try query(outcomes, outcomesFrom) { row in
                func number(_ name: String) throws -> Double { try row.real(o(name)) ?? 0 }
                snapshot.outcomeGroups.append(
                    .init(
                        variant: try row.text(o("variant")) ?? "", defaulted: try row.boolean(o("defaulted")) ?? false,
                        count: try row.count(o("n")), weightSum: try number("weights"),
                        weightSquares: try number("squares"), weightMax: try number("largest")))
            }
            snapshot.dayRange = ColdStartQueries.dayRange(of: snapshot.decisionGroups)
            if let days = snapshot.dayRange {
                let (sample, sampleFrom) = queries.sample(days: days, perDay: samplePerDay)
                let features = ApplicantFeatures.modelColumns.map(sample.position)
                let (day, hash, score) = (sample.position("day"), sample.position("hash"), sample.position("score"))
                try query(sample, sampleFrom) { row in
                    snapshot.sample.append(
                        .init(
                            day: try row.integer(day) ?? 0, hash: try row.integer(hash) ?? 0,
                            score: try row.real(score) ?? .nan, features: try features.map { try row.real($0) ?? .nan })
                    )
                }
            }
            try streamDecisions(filter: queries.otherDecisions) { row, sequence in
                snapshot.otherDecisions.append((row, sequence))
            }
            try streamOutcomeMatches(filter: queries.otherOutcomes) { row, decision, sequence in
                snapshot.otherOutcomes.append((row, decision, sequence))
            }
            return snapshot
        }
    }

    /// The sequence floor and the values above it of a table.
    private func sequences(_ table: String, recent: Int64) throws -> ColdStartSnapshot.Sequences {
        var range = SelectList()
        range.add("top", .bigint, "max(ingest_seq)")
        guard let top = try first(range, "FROM \(table)", { try $0.sequence(0) }) ?? nil else {
            return .init(floor: 0, recent: [])
        }
        // `recent` below the top, never at the lowest visible value: one below it may belong to a transaction
        // still open (on an empty table, the very first insert) and must be read when it commits; the tracker
        // holds such a gap open until it does, or times it out. Nor lower: the values above the floor are read
        // into memory, and on a large table they must not be all of it. Identity values start at 1.
        let floor = max(top - recent, 0)
        var values = SelectList()
        values.add("ingest_seq", .bigint)
        var recentValues: [Int64] = []
        try query(values, "FROM \(table) WHERE ingest_seq > \(floor)") { row in
            if let value = try row.sequence(0) { recentValues.append(value) }
        }
        return .init(floor: floor, recent: recentValues)
    }
}
