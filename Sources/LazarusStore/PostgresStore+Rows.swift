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

    /// The decision columns with casts that pin the wire types, so a lender's table with, say, bigint
    /// ages still decodes correctly.
    static func decisionColumns(_ prefix: String = "") -> String {
        """
        \(prefix)application_id::text, \(prefix)decided_at::timestamptz, \(prefix)variant::text,
        \(prefix)approved::boolean, \(prefix)reason::text, \(prefix)propensity::float8, \(prefix)score::float8,
        \(prefix)model_version::text, \(prefix)loan_amount::float8, \(prefix)age::int4,
        \(prefix)annual_income::float8, \(prefix)debt_to_income::float8, \(prefix)credit_score::int4,
        \(prefix)credit_history_months::int4, \(prefix)recent_bankruptcy::boolean
        """
    }

    static let outcomeColumns =
        "o.application_id::text, o.observed_at::timestamptz, o.defaulted::boolean, o.loss_amount::float8"

    /// Decodes the fifteen columns of ``decisionColumns(_:)``; `nil` when the application id is null
    /// (no decision on the other side of a join).
    static func decodeDecision(_ reader: inout PostgresBinaryCopyReader) throws -> DecisionRow? {
        let applicationID = try reader.text()
        let decidedAt = try reader.rowTime()
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
        guard let applicationID else { return nil }
        return DecisionRow(
            applicationID: applicationID, decidedAt: decidedAt, variant: variant, approved: approved,
            reason: reason, propensity: propensity, score: score, modelVersion: modelVersion,
            loanAmount: loanAmount, features: features)
    }

    static func decodeOutcome(_ reader: inout PostgresBinaryCopyReader) throws -> OutcomeRow {
        let applicationID = try reader.text() ?? ""
        let observedAt = try reader.rowTime()
        return OutcomeRow(
            applicationID: applicationID, observedAt: observedAt, defaulted: try reader.bool(),
            lossAmount: try reader.float8())
    }

    @discardableResult public func streamDecisions(
        _ query: RowQuery, sequenced body: (DecisionRow, Int64) throws -> Void
    ) throws -> StreamResult {
        let select = "SELECT \(Self.decisionColumns()), ingest_seq::int8 FROM \(Schema.decisions.name)"
        return try copyOut(
            select + query.sql(timeColumn: "decided_at", timestamp: Self.literal, variantColumn: "variant")
        ) { reader in
            guard let row = try Self.decodeDecision(&reader) else { throw Self.nullKey() }
            let sequence = try reader.int8()
            try body(row, sequence ?? 0)
            return sequence
        }
    }

    @discardableResult public func streamOutcomes(
        _ query: RowQuery, sequenced body: (OutcomeRow, Int64) throws -> Void
    ) throws -> StreamResult {
        let select = "SELECT \(Self.outcomeColumns), o.ingest_seq::int8 FROM \(Schema.outcomes.name) o"
        return try copyOut(select + query.sql(timeColumn: "o.observed_at", timestamp: Self.literal, prefix: "o.")) {
            reader in
            let row = try Self.decodeOutcome(&reader)
            let sequence = try reader.int8()
            try body(row, sequence ?? 0)
            return sequence
        }
    }

    @discardableResult public func streamOutcomeMatches(
        _ query: RowQuery, _ body: (OutcomeRow, DecisionRow?, Int64) throws -> Void
    ) throws -> StreamResult {
        let filter = query.sql(timeColumn: "o.observed_at", timestamp: Self.literal, prefix: "o.")
        return try copyOut(Self.outcomeMatches + filter) { reader in
            let (row, decision, sequence) = try Self.decodeOutcomeMatch(&reader)
            try body(row, decision, sequence ?? 0)
            return sequence
        }
    }

    static let outcomeMatches = """
        SELECT \(outcomeColumns), o.ingest_seq::int8, \(decisionColumns("d."))
        FROM \(Schema.outcomes.name) o LEFT JOIN \(Schema.decisions.name) d ON d.application_id = o.application_id
        """

    static func decodeOutcomeMatch(
        _ reader: inout PostgresBinaryCopyReader
    ) throws -> (OutcomeRow, DecisionRow?, Int64?) {
        let row = try decodeOutcome(&reader)
        let sequence = try reader.int8()
        return (row, try decodeDecision(&reader), sequence)
    }

    /// Streams a query through binary `COPY … TO STDOUT`; `decode` reads one row and returns its sequence.
    @discardableResult func copyOut(
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

    static func nullKey() -> StoreError {
        StoreError(.corruptData, "a decision has no application id")
    }
}
