import LazarusCore

extension PostgresStore {
    /// Rows per CopyData message batch: large enough to amortise the call, small enough to stream.
    static let copyChunkBytes = 1 << 20

    // A COPY is atomic on its own, so the single-table writes need no explicit transaction;
    // writeExperiment wraps several of them in one.
    @discardableResult public func insertDecisions(_ rows: some Sequence<DecisionRow>) throws -> Int {
        let fields = Columns.decision.count
        return try copyIn(table: Schema.decisions.name, columns: Columns.decision, rows) { row, buffer in
            typealias W = PostgresBinaryCopyWriter
            W.beginRow(fields: fields, into: &buffer)
            W.text(row.applicationID, into: &buffer)
            W.timestamp(row.decidedAt, into: &buffer)
            W.text(row.variant, into: &buffer)
            W.bool(row.approved, into: &buffer)
            W.text(row.reason, into: &buffer)
            W.float8(row.propensity, into: &buffer)
            W.float8(row.score, into: &buffer)
            W.text(row.modelVersion, into: &buffer)
            W.float8(row.loanAmount, into: &buffer)
            try W.int4(row.features.age, column: "age", into: &buffer)
            W.float8(row.features.annualIncome, into: &buffer)
            W.float8(row.features.debtToIncome, into: &buffer)
            try W.int4(row.features.creditScore, column: "credit_score", into: &buffer)
            try W.int4(row.features.creditHistoryMonths, column: "credit_history_months", into: &buffer)
            W.bool(row.features.recentBankruptcy, into: &buffer)
        }
    }

    @discardableResult public func insertOutcomes(_ rows: some Sequence<OutcomeRow>) throws -> Int {
        let fields = Columns.outcome.count
        return try copyIn(table: Schema.outcomes.name, columns: Columns.outcome, rows) { row, buffer in
            typealias W = PostgresBinaryCopyWriter
            W.beginRow(fields: fields, into: &buffer)
            W.text(row.applicationID, into: &buffer)
            W.timestamp(row.observedAt, into: &buffer)
            W.bool(row.defaulted, into: &buffer)
            W.float8(row.lossAmount, into: &buffer)
        }
    }

    /// One binary `COPY … FROM STDIN`: atomic, so a failure anywhere writes none of the rows.
    private func copyIn<S: Sequence>(
        table: String, columns: [String], _ rows: S, encode: (S.Element, inout [UInt8]) throws -> Void
    ) throws -> Int {
        var iterator = rows.makeIterator()
        var written = 0
        var headerSent = false
        try connection.copyIn("COPY \(table) (\(Columns.list(columns))) FROM STDIN (FORMAT binary)") { buffer in
            if !headerSent {
                PostgresBinaryCopyWriter.header(into: &buffer)
                headerSent = true
            }
            while buffer.count < Self.copyChunkBytes {
                guard let row = iterator.next() else {
                    PostgresBinaryCopyWriter.trailer(into: &buffer)
                    return false
                }
                try encode(row, &buffer)
                written += 1
            }
            return true
        }
        return written
    }

    @discardableResult public func streamDecisions(
        _ query: RowQuery, _ body: (DecisionRow) throws -> Void
    ) throws -> StreamResult {
        // Casts pin the wire types, so a lender's table with, say, bigint ages still decodes correctly.
        let select = """
            SELECT application_id::text, decided_at::timestamptz, variant::text, approved::boolean, reason::text,
                propensity::float8, score::float8, model_version::text, loan_amount::float8, age::int4,
                annual_income::float8, debt_to_income::float8, credit_score::int4, credit_history_months::int4,
                recent_bankruptcy::boolean, ingest_seq::int8
            FROM \(Schema.decisions.name)
            """
        let filter = query.whereClause(timeColumn: "decided_at", timestamp: Self.literal)
        return try copyOut(select + filter) { reader in
            let applicationID = try reader.text() ?? ""
            guard let decidedAt = try reader.timestamp() else { throw Self.nullTime() }
            let variant = try reader.text()
            let approved = try reader.bool()
            let reason = try reader.text()
            let propensity = try reader.float8()
            let score = try reader.float8()
            let modelVersion = try reader.text()
            let loanAmount = try reader.float8()
            let features = ApplicantFeatures(
                age: try reader.int4(), annualIncome: try reader.float8(), debtToIncome: try reader.float8(),
                creditScore: try reader.int4(), creditHistoryMonths: try reader.int4(),
                recentBankruptcy: try reader.bool())
            let sequence = try reader.int8()
            try body(
                DecisionRow(
                    applicationID: applicationID, decidedAt: decidedAt, variant: variant, approved: approved,
                    reason: reason, propensity: propensity, score: score, modelVersion: modelVersion,
                    loanAmount: loanAmount, features: features))
            return sequence
        }
    }

    @discardableResult public func streamOutcomes(
        _ query: RowQuery, _ body: (OutcomeRow) throws -> Void
    ) throws -> StreamResult {
        let select = """
            SELECT application_id::text, observed_at::timestamptz, defaulted::boolean, loss_amount::float8,
                ingest_seq::int8
            FROM \(Schema.outcomes.name)
            """
        let filter = query.whereClause(timeColumn: "observed_at", timestamp: Self.literal)
        return try copyOut(select + filter) { reader in
            let applicationID = try reader.text() ?? ""
            guard let observedAt = try reader.timestamp() else { throw Self.nullTime() }
            let defaulted = try reader.bool()
            let loss = try reader.float8()
            let sequence = try reader.int8()
            try body(
                OutcomeRow(applicationID: applicationID, observedAt: observedAt, defaulted: defaulted, lossAmount: loss)
            )
            return sequence
        }
    }

    /// Streams a query through binary `COPY … TO STDOUT`; `decode` reads one row and returns its sequence.
    private func copyOut(
        _ select: String, decode: (inout PostgresBinaryCopyReader) throws -> Int64?
    ) throws -> StreamResult {
        var result = StreamResult(rows: 0, lastSequence: nil)
        var first = true
        try connection.copyOut("COPY (\(select)) TO STDOUT (FORMAT binary)") { message in
            var reader = PostgresBinaryCopyReader(message)
            if first {
                try reader.skipHeaderIfPresent()
                first = false
            }
            while !reader.isAtEnd, try reader.beginRow() != nil {
                result.record(try decode(&reader))
            }
        }
        return result
    }

    private static func nullTime() -> StoreError {
        StoreError(.corruptData, "a row has no timestamp")
    }
}
