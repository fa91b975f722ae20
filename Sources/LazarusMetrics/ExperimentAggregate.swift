import LazarusCore

/// The cost-of-knowledge aggregates, updated row by row: the exporter's in-memory state.
///
/// Rows may arrive in any order (an outcome before its decision is held as an orphan until the
/// decision arrives), and each row is counted exactly once. Invalid rows are counted by reason and
/// never reach a sum.
public struct ExperimentAggregate: Sendable {
    public var riskThreshold: Double
    public var lifetimeValue: Double
    /// W: the model-quality figures rest on the explore loans decided at least this long before the newest
    /// decision (the data's own clock), whose outcome was observed before it.
    public var performanceWindowDays: Int

    /// An explore loan to an applicant production rejected, with its outcome: the blindness sample.
    struct Labelled: Sendable {
        var score: Double
        var propensity: Double
        var defaulted: Bool
        var decidedAt: Timestamp
        var observedAt: Timestamp
        var features: [Double]
    }

    static let features = ApplicantFeatures.modelColumns
    static let knownDecisions: [(Variant, String, DecisionReason)] = DecisionReason.allCases.map {
        ($0.variant, $0.approves ? "approve" : "reject", $0)
    }
    static let invalidReasons: [(String, String)] =
        DecisionDefect.allCases.map { ("lazarus_decisions", $0.rawValue) } + [
            ("lazarus_outcomes", "unknown_application"), ("lazarus_outcomes", "rejected_application"),
            ("lazarus_outcomes", "negative_amount"), ("lazarus_outcomes", "implausible_amount"),
            ("lazarus_outcomes", "null_field"), ("lazarus_outcomes", "bad_timestamp"),
            ("lazarus_outcomes", "observed_before_decision"), ("lazarus_outcomes", "repaid_with_loss"),
            ("lazarus_outcomes", "loss_exceeds_loan"),
            ("lazarus_budget_ledger", "unknown_kind"), ("lazarus_budget_ledger", "negative_amount"),
            ("lazarus_budget_ledger", "bad_timestamp"), ("lazarus_models", "bad_timestamp"),
        ] + ["lazarus_decisions", "lazarus_outcomes", "lazarus_budget_ledger"].map { ($0, "future_timestamp") }

    var decisionCounts: [String: Double] = [:]  // "variant|decision|reason"
    var invalid: [String: Double] = [:]  // "table|reason"
    var lastDecision: Timestamp?
    var firstDecision: Timestamp?
    var eligible = 0.0
    var exploreDecisions = 0.0
    /// Outcomes whose decision was not in the store when they were read; matched if it arrives.
    var orphans: [String: OutcomeRow] = [:]
    var approvedCount: [Variant: Double] = [:]
    var outcomeCounts: [String: Double] = [:]  // "variant|outcome"
    var outcomesMatched: [Variant: Double] = [:]
    var exploreLosses: [(at: Timestamp, loss: Double)] = []
    /// Losses of explore loans with propensity < 1: the loans only exploration made (the cost of knowledge).
    var incrementalLosses = 0.0
    /// The newest explore approval of an applicant production rejected: when, and its logged propensity,
    /// which is the policy's epsilon at that moment (ties on time keep the larger, so order does not matter).
    var epsilonEvidence: (at: Timestamp, propensity: Double)?
    var explorePrincipal = 0.0
    var explorePrincipalSettled = 0.0
    var goodLoansFound = 0.0
    var weightSum = 0.0
    var weightSquares = 0.0
    var weightMax = 0.0
    var blindnessSample: [Labelled] = []
    var ledger: [LedgerEntry] = []
    var models: [ModelRecord] = []
    /// Eligible applicants of the first and last seven days, for PSI and shadow approval rates.
    var sample = ApplicantSample()
    /// The newest time acted on: rows dated later wait in ``future`` (see ``advance(to:)``). Without a
    /// reader's clock, the end of year 9999.
    public internal(set) var horizon = Timestamp.lastPlausible
    var future = FutureRows()

    /// Creates empty aggregates.
    /// - Parameters:
    ///   - riskThreshold: production approves scores above this.
    ///   - lifetimeValue: dollars a good loan is worth.
    ///   - samplePerDay: eligible applicants kept per day for PSI and shadow approval rates.
    ///   - performanceWindowDays: W, for the model-quality figures.
    ///   - horizon: rows dated after it wait until ``advance(to:)`` passes their time.
    public init(
        riskThreshold: Double, lifetimeValue: Double, samplePerDay: Int = 2_000,
        performanceWindowDays: Int = Maturity.defaultWindowDays, horizon: Timestamp = .lastPlausible
    ) {
        self.horizon = horizon
        self.riskThreshold = riskThreshold
        self.lifetimeValue = lifetimeValue
        self.performanceWindowDays = performanceWindowDays
        self.sample = ApplicantSample(perDay: samplePerDay)
    }

    mutating func countInvalid(_ table: String, _ reason: String) { invalid["\(table)|\(reason)", default: 0] += 1 }

    /// Adds one decision row.
    ///
    /// Memory does not grow with the table: approved decisions are not remembered, because outcomes are
    /// read joined to their decision. Duplicate rows cannot reach here: the primary keys refuse them.
    /// - Parameters:
    ///   - row: the decision as stored.
    ///   - sequence: its `ingest_seq`, which picks the applicants kept for PSI (see ``ApplicantSample``).
    public mutating func ingest(_ row: DecisionRow, sequence: Int64) {
        let table = "lazarus_decisions"
        if let defect = row.defect { return countInvalid(table, defect.rawValue) }
        if row.decidedAt > horizon { return future.hold(row, sequence: sequence) }
        // Only valid decisions fix the PSI windows: one bad row dated 1970 must not empty them.
        sample.observe(day: row.decidedAt.utcDay)
        // Valid rows have every one of these (`defect` checked them).
        let variant = Variant(rawValue: row.variant!)!
        let reason = DecisionReason(rawValue: row.reason!)!
        let approvedFlag = row.approved!
        let decision = approvedFlag ? "approve" : "reject"
        decisionCounts["\(variant.rawValue)|\(decision)|\(reason.rawValue)", default: 0] += 1
        lastDecision = max(lastDecision ?? row.decidedAt, row.decidedAt)
        firstDecision = min(firstDecision ?? row.decidedAt, row.decidedAt)
        if variant != .compliance {
            eligible += 1
            if let features = row.features.modelVector {
                sample.offer(
                    .init(hash: ApplicantSampling.hash(sequence), score: row.score!, features: features),
                    day: row.decidedAt.utcDay)
            }
        }
        if variant == .explore { exploreDecisions += 1 }
        if variant == .explore, approvedFlag, let propensity = row.propensity, propensity < 1 {
            let evidence = (at: row.decidedAt, propensity: propensity)
            if epsilonEvidence.map({ ($0.at, $0.propensity) < (evidence.at, evidence.propensity) }) ?? true {
                epsilonEvidence = evidence
            }
        }
        if approvedFlag {
            approvedCount[variant, default: 0] += 1
            if variant == .explore { explorePrincipal += row.loanAmount ?? 0 }
        }
        if let orphan = orphans.removeValue(forKey: row.applicationID) { ingest(orphan, decision: row) }
    }

    /// The model features of an applicant, in ``features`` order, each kept when present (a model may
    /// use only some); a missing one is NaN or -1, which ``isSound(_:)`` refuses.
    static func featureVector(_ f: ApplicantFeatures) -> [Double] {
        [
            f.annualIncome ?? .nan, Double(f.creditHistoryMonths ?? -1), f.debtToIncome ?? .nan,
            Double(f.creditScore ?? -1), Double(f.age ?? -1),
        ]
    }

    /// Adds one outcome row, with its decision as the store has it now.
    /// - Parameters:
    ///   - row: the outcome as stored.
    ///   - decision: the decision with the same application id, `nil` when there is none (yet).
    public mutating func ingest(_ row: OutcomeRow, decision: DecisionRow?) {
        let table = "lazarus_outcomes"
        guard let defaulted = row.defaulted else { return countInvalid(table, "null_field") }
        guard row.observedAt.isPlausible else { return countInvalid(table, "bad_timestamp") }
        if let defect = row.lossDefect { return countInvalid(table, defect) }
        let due = Self.due(row, decision)
        if due > horizon { return future.hold(row, decision: decision, due: due) }
        let loss = row.lossAmount ?? 0
        // Perhaps its decision commits later: held, and counted as unknown until it comes.
        guard let decision else { return orphans[row.applicationID] = row }
        guard decision.defect == nil else { return countInvalid(table, "unknown_application") }
        guard decision.approved == true else { return countInvalid(table, "rejected_application") }
        if let contradiction = row.contradiction(decidedAt: decision.decidedAt, loanAmount: decision.loanAmount) {
            return countInvalid(table, contradiction)
        }
        let variant = Variant(rawValue: decision.variant!)!
        let score = decision.score!
        let propensity = decision.propensity!
        outcomeCounts["\(variant.rawValue)|\(defaulted ? "defaulted" : "repaid")", default: 0] += 1
        outcomesMatched[variant, default: 0] += 1
        let weight = 1 / propensity
        weightSum += weight
        weightSquares += weight * weight
        weightMax = max(weightMax, weight)
        guard variant == .explore else { return }
        explorePrincipalSettled += decision.loanAmount ?? 0
        if defaulted { exploreLosses.append((row.observedAt, loss)) }
        if defaulted && propensity < 1 { incrementalLosses += loss }
        if score <= riskThreshold {
            if !defaulted { goodLoansFound += 1 }
            // The rejected region of design.md: production rejected it (score ≤ threshold) and it was a random
            // approval (propensity < 1), as `ExplorationValue.Applicant.inRejectedRegion` has it.
            guard propensity < 1 else { return }
            blindnessSample.append(
                Labelled(
                    score: score, propensity: propensity, defaulted: defaulted, decidedAt: decision.decidedAt,
                    observedAt: row.observedAt, features: Self.featureVector(decision.features)))
        }
    }

    /// Replaces the ledger (a small table, read whole).
    /// Entries dated after the horizon do not act yet: a reset dated next year must not empty today's budget.
    public mutating func setLedger(_ entries: [LedgerEntry]) {
        invalid = invalid.filter { !$0.key.hasPrefix("lazarus_budget_ledger|") }
        ledger = entries.filter { entry in
            guard let defect = entry.defect ?? (entry.at > horizon ? "future_timestamp" : nil) else { return true }
            countInvalid("lazarus_budget_ledger", defect)
            return false
        }.sorted { ($0.at, $0.id ?? 0) < ($1.at, $1.id ?? 0) }
    }

    /// Replaces the model registry (a small table, read whole).
    public mutating func setModels(_ records: [ModelRecord]) {
        invalid = invalid.filter { !$0.key.hasPrefix("lazarus_models|") }
        models = records.filter { record in
            guard record.createdAt.isPlausible else {
                countInvalid("lazarus_models", "bad_timestamp")
                return false
            }
            return record.status == "shadow" || record.status == "active"
        }
    }
}
