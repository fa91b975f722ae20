import LazarusCore

extension DecisionRow {
    /// The table's columns a decision is read from and written to (``Schema/decisions``).
    static let columns = Schema.decisions.writtenColumns

    /// Decodes decisions from a query that selected ``columns`` under a prefix, by name: positions are
    /// looked up once per query, not per row.
    struct Decoder {
        private let applicationID, decidedAt, variant, approved, reason, propensity, score, modelVersion: Int
        private let loanAmount, age, annualIncome, debtToIncome, creditScore, creditHistoryMonths: Int
        private let recentBankruptcy: Int

        init(_ select: SelectList, prefix: String = "") {
            func at(_ name: String) -> Int { select.position(prefix + name) }
            (applicationID, decidedAt, variant) = (at("application_id"), at("decided_at"), at("variant"))
            (approved, reason, propensity) = (at("approved"), at("reason"), at("propensity"))
            (score, modelVersion, loanAmount) = (at("score"), at("model_version"), at("loan_amount"))
            (age, annualIncome, debtToIncome) = (at("age"), at("annual_income"), at("debt_to_income"))
            (creditScore, creditHistoryMonths) = (at("credit_score"), at("credit_history_months"))
            recentBankruptcy = at("recent_bankruptcy")
        }

        /// The decision of this row; `nil` when its application id is null (no decision on the other side
        /// of a join). A time that cannot be read is ``Timestamp/unreadable``, for the readers to count.
        func decode(_ row: some SQLRow) throws -> DecisionRow? {
            guard let id = try row.text(applicationID) else { return nil }
            func int(_ column: Int) throws -> Int? { try row.integer(column).flatMap { Int(exactly: $0) } }
            let features = ApplicantFeatures(
                age: try int(age), annualIncome: try row.real(annualIncome),
                debtToIncome: try row.real(debtToIncome), creditScore: try int(creditScore),
                creditHistoryMonths: try int(creditHistoryMonths), recentBankruptcy: try row.boolean(recentBankruptcy))
            return DecisionRow(
                applicationID: id, decidedAt: try row.time(decidedAt) ?? .unreadable, variant: try row.text(variant),
                approved: try row.boolean(approved), reason: try row.text(reason),
                propensity: try row.real(propensity), score: try row.real(score),
                modelVersion: try row.text(modelVersion), loanAmount: try row.real(loanAmount), features: features)
        }
    }

    /// Writes this decision's values in ``columns`` order.
    func encode(into encoder: inout some SQLRowEncoder) throws {
        try encoder.text(applicationID)
        try encoder.time(decidedAt)
        try encoder.text(variant)
        try encoder.boolean(approved)
        try encoder.text(reason)
        try encoder.real(propensity)
        try encoder.real(score)
        try encoder.text(modelVersion)
        try encoder.real(loanAmount)
        try encoder.integer(features.age)
        try encoder.real(features.annualIncome)
        try encoder.real(features.debtToIncome)
        try encoder.integer(features.creditScore)
        try encoder.integer(features.creditHistoryMonths)
        try encoder.boolean(features.recentBankruptcy)
    }
}
