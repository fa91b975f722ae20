/// Column lists shared by both backends' reads and writes, in the order values are bound and read.
enum Columns {
    static let decision = [
        "application_id", "decided_at", "variant", "approved", "reason", "propensity", "score", "model_version",
        "loan_amount", "age", "annual_income", "debt_to_income", "credit_score", "credit_history_months",
        "recent_bankruptcy",
    ]
    static let outcome = ["application_id", "observed_at", "defaulted", "loss_amount"]
    static let ledger = ["at", "kind", "amount", "note"]
    static let model = ["version", "kind", "created_at", "status", "spec", "metrics"]

    static func list(_ columns: [String]) -> String { columns.joined(separator: ", ") }

    static func placeholders(_ count: Int, postgres: Bool = false) -> String {
        (1...count).map { postgres ? "$\($0)" : "?\($0)" }.joined(separator: ", ")
    }
}
