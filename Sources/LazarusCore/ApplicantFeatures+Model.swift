extension ApplicantFeatures {
    /// The table columns of the five model features, in the order of ``modelVector``: the one list the
    /// exporter's sample, the report's models and the cold start's SQL share.
    public static let modelColumns = [
        "annual_income", "credit_history_months", "debt_to_income", "credit_score", "age",
    ]

    /// The five model features in ``modelColumns`` order, or `nil` when any is missing, not finite or
    /// negative: the one rule of a sound feature vector, for the exporter and the report alike (the SQL of
    /// the cold start's sample states the same rule over ``modelColumns``).
    public var modelVector: [Double]? {
        guard let income = annualIncome, let history = creditHistoryMonths, let dti = debtToIncome,
            let score = creditScore, let age
        else { return nil }
        let vector = [income, Double(history), dti, Double(score), Double(age)]
        return vector.allSatisfy { $0.isFinite && $0 >= 0 } ? vector : nil
    }
}
