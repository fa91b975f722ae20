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
            let id = "sim-\(settings.seed)-\(index + settings.idOffset)"
            decisions.append(
                DecisionRow(
                    applicationID: id, decidedAt: decidedAt, variant: decision.variant.rawValue,
                    approved: decision.approved, reason: decision.reason.rawValue, propensity: decision.propensity,
                    score: applicant.score, modelVersion: ProductionModel.version, loanAmount: applicant.loanAmount,
                    features: applicant.features))
            summary.decisions[.init(variant: decision.variant, reason: decision.reason), default: 0] += 1
            if decision.approved {
                queue.push(
                    PendingOutcome(id: id, decidedAt: decidedAt, applicant: applicant, variant: decision.variant))
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

/// An approved loan waiting for its outcome, ordered by when it will be observed.
struct PendingOutcome: Comparable {
    let observedAt: Timestamp
    let id: String
    let applicant: SyntheticApplicant
    let variant: Variant

    init(id: String, decidedAt: Timestamp, applicant: SyntheticApplicant, variant: Variant) {
        let days = GeneratingModel.observationDelayDays(defaulted: applicant.defaults, draw: applicant.draws.delay)
        self.observedAt = decidedAt.adding(microseconds: Int64(days * Double(Timestamp.microsecondsPerDay)))
        self.id = id
        self.applicant = applicant
        self.variant = variant
    }

    static func < (lhs: PendingOutcome, rhs: PendingOutcome) -> Bool {
        (lhs.observedAt, lhs.id) < (rhs.observedAt, rhs.id)
    }

    static func == (lhs: PendingOutcome, rhs: PendingOutcome) -> Bool {
        lhs.observedAt == rhs.observedAt && lhs.id == rhs.id
    }
}
