import LazarusCore

/// Runs synthetic applications through the real policy, in time order, with outcomes arriving later.
///
/// Events are processed as they would happen: before each application, every budget period that has
/// begun and every outcome that has been observed is applied, so the budget ticks down only when an
/// explore loan's default is observed, and exploration stops as soon as the period's budget is spent.
public struct ExperimentSimulator: Sendable {
    /// The run's settings.
    public let settings: SimulationSettings

    /// Creates a simulator.
    public init(settings: SimulationSettings) {
        self.settings = settings
    }

    /// Runs the experiment.
    /// - Parameter progress: called with the number of applications decided so far, every 1,000 and at the end.
    /// - Returns: the tables and the summary.
    /// - Throws: what the budget throws (the in-memory budget does not).
    public func run(progress: (Int) -> Void = { _ in }) throws -> SimulatedExperiment {
        let policy = Policy(settings: settings.policy)
        let budget = try InMemoryLossBudget(granting: 0)
        var clock = EventClock(settings: settings)
        var summary = SimulationSummary()
        var decisions: [DecisionRow] = []
        decisions.reserveCapacity(settings.applications)
        var outcomes: [OutcomeRow] = []
        var ledger: [LedgerEntry] = []
        var queue = MinHeap<PendingOutcome>()

        let span = settings.end.microseconds - settings.start.microseconds
        let slot = Double(span) / Double(settings.applications)
        for index in 0..<settings.applications {
            let applicant = GeneratingModel.applicant(seed: settings.seed, index: UInt64(index + settings.idOffset))
            let offset = Int64((Double(index) + applicant.draws.arrival) * slot)
            let decidedAt = settings.start.adding(microseconds: min(offset, span - 1))
            try clock.advance(to: decidedAt, budget: budget, queue: &queue, ledger: &ledger, summary: &summary) {
                outcomes.append($0)
            }

            let view = Applicant(
                age: applicant.features.age ?? 0, recentBankruptcy: applicant.features.recentBankruptcy ?? false,
                score: applicant.score)
            let decision = policy.decide(view, draw: applicant.draws.policy) { budget.hasRemaining() }
            let id = Self.applicationID(seed: settings.seed, index: index + settings.idOffset)
            decisions.append(
                DecisionRow(
                    applicationID: id, decidedAt: decidedAt, variant: decision.variant.rawValue,
                    approved: decision.approved, reason: decision.reason.rawValue, propensity: decision.propensity,
                    score: applicant.score, modelVersion: ProductionModel.version, loanAmount: applicant.loanAmount,
                    features: applicant.features))
            summary.decisions[.init(variant: decision.variant, reason: decision.reason), default: 0] += 1
            if decision.approved {
                queue.push(
                    PendingOutcome(
                        id: id, decidedAt: decidedAt, applicant: applicant, variant: decision.variant,
                        threshold: settings.policy.riskThreshold))
                if decision.variant == .explore {
                    summary.exploreLoans += 1
                    if applicant.score <= settings.policy.riskThreshold { summary.exploreLoansToRejected += 1 }
                }
            }
            if (index + 1) % 1000 == 0 { progress(index + 1) }
        }
        try clock.advance(to: settings.end, budget: budget, queue: &queue, ledger: &ledger, summary: &summary) {
            outcomes.append($0)
        }
        while let pending = queue.popMin() { summary.pending[pending.variant, default: 0] += 1 }
        let state = budget.state()
        summary.budgetRemaining = state.remaining
        summary.budgetGranted = state.granted
        progress(settings.applications)
        return SimulatedExperiment(decisions: decisions, outcomes: outcomes, ledger: ledger, summary: summary)
    }
}

extension ExperimentSimulator {
    /// `sim-<seed>-<index>` with the index zero-padded to 8 digits: ids sort in arrival order, so the
    /// primary-key index of the store grows at its end instead of splitting pages all over.
    static func applicationID(seed: UInt64, index: Int) -> String {
        let digits = String(index)
        let padding = digits.count < 8 ? String(repeating: "0", count: 8 - digits.count) : ""
        return "sim-" + String(seed) + "-" + padding + digits
    }
}

/// An approved loan waiting for its outcome, ordered by when it will be observed. Kept small: the
/// heap moves these around on every push and pop.
struct PendingOutcome: Comparable {
    let observedAt: Timestamp
    let id: String
    let variant: Variant
    let defaulted: Bool
    let loss: Double
    let rejectedByModel: Bool
    let thinFileHighEarner: Bool

    init(id: String, decidedAt: Timestamp, applicant: SyntheticApplicant, variant: Variant, threshold: Double) {
        let defaulted = applicant.defaults
        let days = GeneratingModel.observationDelayDays(defaulted: defaulted, draw: applicant.draws.delay)
        self.observedAt = decidedAt.adding(microseconds: Int64(days * Double(Timestamp.microsecondsPerDay)))
        self.id = id
        self.variant = variant
        self.defaulted = defaulted
        self.loss =
            defaulted
            ? GeneratingModel.loss(principal: applicant.loanAmount, draw: applicant.draws.lossGivenDefault) : 0
        self.rejectedByModel = applicant.score <= threshold
        self.thinFileHighEarner = applicant.isThinFileHighEarner
    }

    static func < (lhs: PendingOutcome, rhs: PendingOutcome) -> Bool {
        (lhs.observedAt, lhs.id) < (rhs.observedAt, rhs.id)
    }

    static func == (lhs: PendingOutcome, rhs: PendingOutcome) -> Bool {
        lhs.observedAt == rhs.observedAt && lhs.id == rhs.id
    }
}
