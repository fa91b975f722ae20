import LazarusCore
import Testing

@testable import LazarusSimulation

@Suite("Experiment simulator")
struct ExperimentSimulatorTests {
    static func settings(
        applications: Int = 20_000, seed: UInt64 = 7, period: SimulationSettings.BudgetPeriod = .day,
        budget: Double = 1000, epsilon: Double = 0.01
    ) throws -> SimulationSettings {
        try SimulationSettings(
            applications: applications, days: 30, seed: seed, policy: PolicySettings(epsilon: epsilon),
            lossBudget: budget, budgetPeriod: period)
    }

    @Test("equal settings give identical tables; another seed gives others")
    func deterministic() throws {
        let a = try ExperimentSimulator(settings: Self.settings()).run()
        let b = try ExperimentSimulator(settings: Self.settings()).run()
        #expect(a.decisions == b.decisions)
        #expect(a.outcomes == b.outcomes)
        #expect(a.ledger == b.ledger)
        #expect(a.summary == b.summary)
        let c = try ExperimentSimulator(settings: Self.settings(seed: 8)).run()
        #expect(c.decisions.map(\.features) != a.decisions.map(\.features))
    }

    @Test("the population does not depend on the policy settings")
    func populationIsFixed() throws {
        let a = try ExperimentSimulator(settings: Self.settings(epsilon: 0.01)).run()
        let b = try ExperimentSimulator(settings: Self.settings(epsilon: 0.2)).run()
        #expect(a.decisions.map(\.features) == b.decisions.map(\.features))
        #expect(a.decisions.map(\.score) == b.decisions.map(\.score))
    }

    @Test(
        "replaying the tables, every decision agrees with the budget the design defines",
        arguments: [SimulationSettings.BudgetPeriod.day, .once], [100.0, 1000.0])
    func budgetReplay(period: SimulationSettings.BudgetPeriod, budget: Double) throws {
        let run = try ExperimentSimulator(settings: Self.settings(period: period, budget: budget)).run()
        let remaining = BudgetReplay(run).remainingBeforeEachDecision()
        var explored = 0
        var exhausted = 0
        for (decision, left) in zip(run.decisions, remaining) {
            switch decision.reason {
            case DecisionReason.explore.rawValue:
                explored += 1
                #expect(left > 0, "exploration without budget at \(decision.decidedAt)")
            case DecisionReason.budgetExhausted.rawValue:
                exhausted += 1
                #expect(left <= 0)
                #expect(decision.propensity == 0)
            case DecisionReason.modelHighRisk.rawValue:
                #expect(left > 0)
                #expect(decision.propensity == 0.01)
            default: break
            }
        }
        #expect(explored > 0)
        if budget == 100 { #expect(exhausted > 0, "a small budget must run out") }
    }

    @Test("decisions follow the policy's rules row by row")
    func rowsFollowPolicy() throws {
        let run = try ExperimentSimulator(settings: Self.settings()).run()
        for row in run.decisions {
            let features = row.features
            if (features.age ?? 0) < 18 || features.recentBankruptcy == true {
                #expect(row.reason == DecisionReason.complianceBlock.rawValue)
                #expect(row.propensity == 0 && row.approved == false && row.variant == "compliance")
            } else if row.variant == "exploit" {
                #expect(row.approved == ((row.score ?? 0) > 0.5))
            } else {
                #expect(row.variant == "explore" && row.approved == true)
                #expect(row.propensity == ((row.score ?? 0) > 0.5 ? 1 : 0.01))
            }
        }
    }

    @Test("outcomes arrive later, only for approved loans, and the rest are pending")
    func outcomes() throws {
        let settings = try Self.settings()
        let run = try ExperimentSimulator(settings: settings).run()
        let decisions = Dictionary(uniqueKeysWithValues: run.decisions.map { ($0.applicationID, $0) })
        for outcome in run.outcomes {
            let decision = try #require(decisions[outcome.applicationID])
            #expect(decision.approved == true)
            #expect(outcome.observedAt > decision.decidedAt)
            #expect(outcome.observedAt <= settings.end)
            #expect(((outcome.lossAmount ?? -1) > 0) == (outcome.defaulted == true))
            #expect((outcome.lossAmount ?? 0) <= (decision.loanAmount ?? 0))
        }
        #expect(run.outcomes.map(\.observedAt) == run.outcomes.map(\.observedAt).sorted())
        let approved = run.decisions.filter { $0.approved == true }.count
        let pending = run.summary.pending.values.reduce(0, +)
        #expect(pending > 0)
        #expect(pending + run.outcomes.count == approved)
    }

    @Test("the summary agrees with a recount of the tables")
    func summaryMatchesTables() throws {
        let run = try ExperimentSimulator(settings: Self.settings()).run()
        let decisions = Dictionary(uniqueKeysWithValues: run.decisions.map { ($0.applicationID, $0) })
        let exploreOutcomes = run.outcomes.filter { decisions[$0.applicationID]?.variant == "explore" }
        #expect(run.summary.exploreLoans == run.decisions.filter { $0.variant == "explore" }.count)
        #expect(run.summary.exploreDefaults == exploreOutcomes.filter { $0.defaulted == true }.count)
        let losses = exploreOutcomes.compactMap(\.lossAmount).reduce(0, +)
        #expect(abs(run.summary.explorationLosses - losses) < 1e-6)
        let good = exploreOutcomes.filter { $0.defaulted == false && (decisions[$0.applicationID]?.score ?? 1) <= 0.5 }
        #expect(run.summary.goodLoansFound == good.count)
        #expect(run.summary.decisions.values.reduce(0, +) == run.decisions.count)
        #expect(run.ledger.filter { $0.kind == "grant" }.count == 30)
    }

    @Test(
        "impossible settings are refused",
        arguments: [(0, 30, 1000.0), (-5, 30, 1000.0), (100, 0, 1000.0), (100, 30, -1.0)])
    func invalid(applications: Int, days: Int, budget: Double) {
        let error = #expect(throws: CoreError.self) {
            try SimulationSettings(
                applications: applications, days: days, policy: PolicySettings(), lossBudget: budget)
        }
        #expect(error?.code == .invalidSetting)
    }

    @Test("with the defaults, about 1,000 explore loans and a budget that is really spent")
    func defaults() throws {
        let run = try ExperimentSimulator(settings: SimulationSettings(policy: PolicySettings())).run()
        #expect((850...1100).contains(run.summary.exploreLoans))
        #expect(run.summary.explorationLosses > 5_000)
        #expect(run.summary.exhaustedPeriods > 0)
        #expect(run.summary.goodLoansFound >= 50)
        #expect(run.summary.thinFileHighEarnerExploreOutcomes >= 50)
    }
}

/// An independent reading of the design's budget rule, from the tables alone: the budget remaining is
/// the grants since the last reset minus the losses of explore loans observed since then.
struct BudgetReplay {
    let run: SimulatedExperiment

    init(_ run: SimulatedExperiment) {
        self.run = run
    }

    func remainingBeforeEachDecision() -> [Double] {
        let variants = Dictionary(uniqueKeysWithValues: run.decisions.map { ($0.applicationID, $0.variant) })
        // (time, order, change): ledger rows first at a tie, then losses.
        var events: [(Timestamp, Int, (inout Double) -> Void)] = []
        for entry in run.ledger {
            let amount = entry.amount
            events.append((entry.at, 0, entry.kind == "reset" ? { $0 = 0 } : { $0 += amount }))
        }
        for outcome in run.outcomes where variants[outcome.applicationID] == "explore" && outcome.defaulted == true {
            let loss = outcome.lossAmount ?? 0
            events.append((outcome.observedAt, 1, { $0 -= loss }))
        }
        events.sort { ($0.0, $0.1) < ($1.0, $1.1) }
        var remaining = 0.0
        var next = 0
        return run.decisions.map { decision in
            while next < events.count, events[next].0 <= decision.decidedAt {
                events[next].2(&remaining)
                next += 1
            }
            return remaining
        }
    }
}
