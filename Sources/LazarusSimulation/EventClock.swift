import LazarusCore

/// Applies, in time order, the budget periods and observed outcomes that come before a moment.
struct EventClock {
    let settings: SimulationSettings
    /// The start of the next budget period not yet opened.
    private var nextPeriod: Timestamp
    private var periodIsExhausted = false

    init(settings: SimulationSettings) {
        self.settings = settings
        self.nextPeriod = settings.start
    }

    /// Applies everything that happens strictly before `moment` (or at it, for the run's end).
    mutating func advance(
        to moment: Timestamp, budget: InMemoryLossBudget, queue: inout MinHeap<PendingOutcome>,
        ledger: inout [LedgerEntry], summary: inout SimulationSummary, observe: (OutcomeRow) -> Void
    ) throws {
        let inclusive = moment == settings.end
        while true {
            let outcomeTime = queue.min?.observedAt
            let periodDue = nextPeriod < settings.end && nextPeriod <= moment
            // A period that begins at the same instant as an outcome opens first: the loss belongs to it.
            if periodDue, outcomeTime.map({ nextPeriod <= $0 }) ?? true {
                try openPeriod(budget: budget, ledger: &ledger)
                continue
            }
            guard let outcomeTime, outcomeTime < moment || (inclusive && outcomeTime <= moment) else { return }
            let pending = queue.popMin()!
            try observeOutcome(pending, budget: budget, summary: &summary, observe: observe)
        }
    }

    private mutating func openPeriod(budget: InMemoryLossBudget, ledger: inout [LedgerEntry]) throws {
        let first = nextPeriod == settings.start
        if !first || settings.resetFirstPeriod {
            ledger.append(LedgerEntry(at: nextPeriod, kind: .reset, amount: 0, note: "new budget period"))
        }
        ledger.append(
            LedgerEntry(
                at: nextPeriod, kind: .grant, amount: settings.lossBudget,
                note: settings.budgetPeriod == .day ? "daily exploration budget" : "exploration budget"))
        try budget.startPeriod(granting: settings.lossBudget)
        periodIsExhausted = false
        switch settings.budgetPeriod {
        case .once: nextPeriod = settings.end
        case .day: nextPeriod = nextPeriod.adding(microseconds: Timestamp.microsecondsPerDay)
        }
    }

    private mutating func observeOutcome(
        _ pending: PendingOutcome, budget: InMemoryLossBudget, summary: inout SimulationSummary,
        observe: (OutcomeRow) -> Void
    ) throws {
        observe(
            OutcomeRow(
                applicationID: pending.id, observedAt: pending.observedAt, defaulted: pending.defaulted,
                lossAmount: pending.loss))
        summary.observedOutcomes += 1
        guard pending.variant == .explore else { return }
        if pending.thinFileHighEarner { summary.thinFileHighEarnerExploreOutcomes += 1 }
        if pending.defaulted {
            summary.exploreDefaults += 1
            summary.explorationLosses += pending.loss
            if try budget.spend(pending.loss).exhausted, !periodIsExhausted {
                periodIsExhausted = true
                summary.exhaustedPeriods += 1
            }
        } else if pending.rejectedByModel {
            summary.goodLoansFound += 1
        }
    }
}
