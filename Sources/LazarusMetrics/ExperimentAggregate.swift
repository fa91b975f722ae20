import LazarusCore

/// The cost-of-knowledge aggregates, updated row by row: the exporter's in-memory state.
///
/// Rows may arrive in any order (an outcome before its decision is held as an orphan until the
/// decision arrives), and each row is counted exactly once. Invalid rows are counted by reason and
/// never reach a sum.
public struct ExperimentAggregate: Sendable {
    public var riskThreshold: Double
    public var lifetimeValue: Double

    /// What an approved decision needs to remember until (and after) its outcome arrives.
    struct Approved: Sendable {
        var variant: Variant
        var score: Double
        var propensity: Double
        var loanAmount: Double
        var decidedAt: Timestamp
        var features: [Double]
        var hasOutcome = false
    }

    /// An explore loan to an applicant production rejected, with its outcome: the blindness sample.
    struct Labelled: Sendable {
        var score: Double
        var propensity: Double
        var defaulted: Bool
        var decidedAt: Timestamp
        var features: [Double]
    }

    static let features = ["annual_income", "credit_history_months", "debt_to_income", "credit_score", "age"]
    static let knownDecisions: [(Variant, String, DecisionReason)] = [
        (.compliance, "reject", .complianceBlock), (.explore, "approve", .explore),
        (.exploit, "approve", .modelQualified),
        (.exploit, "reject", .modelHighRisk), (.exploit, "reject", .budgetExhausted),
    ]
    static let invalidReasons: [(String, String)] =
        DecisionDefect.allCases.map { ("lazarus_decisions", $0.rawValue) } + [
            ("lazarus_decisions", "duplicate"), ("lazarus_outcomes", "unknown_application"),
            ("lazarus_outcomes", "rejected_application"), ("lazarus_outcomes", "duplicate"),
            ("lazarus_outcomes", "negative_amount"), ("lazarus_outcomes", "null_field"),
            ("lazarus_budget_ledger", "unknown_kind"), ("lazarus_budget_ledger", "negative_amount"),
        ]

    var decisionCounts: [String: Double] = [:]  // "variant|decision|reason"
    var invalid: [String: Double] = [:]  // "table|reason"
    var lastDecision: Timestamp?
    var firstDecision: Timestamp?
    var eligible = 0.0
    var exploreDecisions = 0.0
    var approved: [String: Approved] = [:]
    var rejected = Set<String>()
    var orphans: [String: OutcomeRow] = [:]
    var approvedCount: [Variant: Double] = [:]
    var outcomeCounts: [String: Double] = [:]  // "variant|outcome"
    var outcomesMatched: [Variant: Double] = [:]
    var exploreLosses: [(at: Timestamp, loss: Double)] = []
    var explorePrincipal = 0.0
    var explorePrincipalSettled = 0.0
    var goodLoansFound = 0.0
    var weightSum = 0.0
    var weightSquares = 0.0
    var weightMax = 0.0
    var blindnessSample: [Labelled] = []
    var ledger: [LedgerEntry] = []
    var models: [ModelRecord] = []
    /// Features of every eligible applicant, with its day, for PSI and shadow approval rates.
    var applicants: [(at: Timestamp, score: Double, features: [Double])] = []

    public init(riskThreshold: Double, lifetimeValue: Double) {
        self.riskThreshold = riskThreshold
        self.lifetimeValue = lifetimeValue
    }

    mutating func countInvalid(_ table: String, _ reason: String) { invalid["\(table)|\(reason)", default: 0] += 1 }

    /// Adds one decision row.
    public mutating func ingest(_ row: DecisionRow) {
        let table = "lazarus_decisions"
        if let defect = row.defect { return countInvalid(table, defect.rawValue) }
        // Valid rows have every one of these (`defect` checked them).
        let variant = Variant(rawValue: row.variant!)!
        let reason = DecisionReason(rawValue: row.reason!)!
        let approvedFlag = row.approved!
        let propensity = row.propensity!
        let score = row.score!
        guard approved[row.applicationID] == nil, !rejected.contains(row.applicationID) else {
            return countInvalid(table, "duplicate")
        }
        let decision = approvedFlag ? "approve" : "reject"
        decisionCounts["\(variant.rawValue)|\(decision)|\(reason.rawValue)", default: 0] += 1
        lastDecision = max(lastDecision ?? row.decidedAt, row.decidedAt)
        firstDecision = min(firstDecision ?? row.decidedAt, row.decidedAt)
        let f = row.features
        let features = [
            f.annualIncome ?? .nan, Double(f.creditHistoryMonths ?? -1), f.debtToIncome ?? .nan,
            Double(f.creditScore ?? -1), Double(f.age ?? -1),
        ]
        if variant != .compliance {
            eligible += 1
            if features.allSatisfy({ $0.isFinite && $0 >= 0 }) { applicants.append((row.decidedAt, score, features)) }
        }
        if variant == .explore { exploreDecisions += 1 }
        if approvedFlag {
            // Only explore loans need their features later (the blindness sample): keep the rest small.
            approved[row.applicationID] = Approved(
                variant: variant, score: score, propensity: propensity, loanAmount: row.loanAmount ?? 0,
                decidedAt: row.decidedAt, features: variant == .explore ? features : [])
            approvedCount[variant, default: 0] += 1
            if variant == .explore { explorePrincipal += row.loanAmount ?? 0 }
        } else {
            rejected.insert(row.applicationID)
        }
        if let orphan = orphans.removeValue(forKey: row.applicationID) { ingest(orphan) }
    }

    /// Adds one outcome row.
    public mutating func ingest(_ row: OutcomeRow) {
        let table = "lazarus_outcomes"
        guard let defaulted = row.defaulted else { return countInvalid(table, "null_field") }
        let loss = row.lossAmount ?? 0
        guard loss.isFinite, loss >= 0 else { return countInvalid(table, "negative_amount") }
        if rejected.contains(row.applicationID) { return countInvalid(table, "rejected_application") }
        guard var loan = approved[row.applicationID] else {
            // Perhaps its decision is not read yet: held, and counted as unknown until it comes.
            if orphans[row.applicationID] != nil { return countInvalid(table, "duplicate") }
            orphans[row.applicationID] = row
            return
        }
        guard !loan.hasOutcome else { return countInvalid(table, "duplicate") }
        loan.hasOutcome = true
        approved[row.applicationID] = loan
        outcomeCounts["\(loan.variant.rawValue)|\(defaulted ? "defaulted" : "repaid")", default: 0] += 1
        outcomesMatched[loan.variant, default: 0] += 1
        let weight = 1 / loan.propensity
        weightSum += weight
        weightSquares += weight * weight
        weightMax = max(weightMax, weight)
        guard loan.variant == .explore else { return }
        explorePrincipalSettled += loan.loanAmount
        if defaulted { exploreLosses.append((row.observedAt, loss)) }
        if loan.score <= riskThreshold {
            if !defaulted { goodLoansFound += 1 }
            blindnessSample.append(
                Labelled(
                    score: loan.score, propensity: loan.propensity, defaulted: defaulted, decidedAt: loan.decidedAt,
                    features: loan.features))
        }
    }

    /// Replaces the ledger (a small table, read whole).
    public mutating func setLedger(_ entries: [LedgerEntry]) {
        invalid = invalid.filter { !$0.key.hasPrefix("lazarus_budget_ledger|") }
        ledger = entries.filter { entry in
            guard LedgerEntry.Kind(rawValue: entry.kind) != nil else {
                countInvalid("lazarus_budget_ledger", "unknown_kind")
                return false
            }
            guard entry.amount.isFinite, entry.amount >= 0 else {
                countInvalid("lazarus_budget_ledger", "negative_amount")
                return false
            }
            return true
        }.sorted { ($0.at, $0.id ?? 0) < ($1.at, $1.id ?? 0) }
    }

    /// Replaces the model registry (a small table, read whole).
    public mutating func setModels(_ records: [ModelRecord]) {
        models = records.filter { $0.status == "shadow" || $0.status == "active" }
    }
}
