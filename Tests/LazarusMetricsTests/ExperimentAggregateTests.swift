import LazarusCore
import LazarusSimulation
import Testing

@testable import LazarusMetrics

@Suite("Cost-of-knowledge aggregates")
struct ExperimentAggregateTests {
    static let run = try! ExperimentSimulator(
        settings: SimulationSettings(applications: 20_000, days: 20, seed: 9, policy: PolicySettings())
    ).run()

    static let byID = Dictionary(uniqueKeysWithValues: run.decisions.map { ($0.applicationID, $0) })

    /// Every row once, decisions first, outcomes joined to their decision as the store reads them.
    static func full() -> ExperimentAggregate {
        // A 5-day performance window, so that 20 days of data have matured loans to judge the models on.
        var aggregate = ExperimentAggregate(riskThreshold: 0.5, lifetimeValue: 500, performanceWindowDays: 5)
        for (index, row) in run.decisions.enumerated() { aggregate.ingest(row, sequence: Int64(index + 1)) }
        run.outcomes.forEach { aggregate.ingest($0, decision: byID[$0.applicationID]) }
        aggregate.setLedger(run.ledger)
        return aggregate
    }

    static func value(_ families: [MetricFamily], _ name: String, _ labels: [String: String] = [:]) -> Double? {
        families.first { $0.name == name }?.samples.first { sample in
            labels.allSatisfy { key, value in sample.labels.contains { $0.0 == key && $0.1 == value } }
        }?.value
    }

    @Test("every contract metric agrees with a direct count of the tables")
    func againstTables() throws {
        let f = Self.full().families(RefreshStatus(up: true, lastRefresh: 1, duration: 0.5))
        let decisions = Dictionary(uniqueKeysWithValues: Self.run.decisions.map { ($0.applicationID, $0) })
        func count(_ variant: String, _ reason: String) -> Double {
            Double(Self.run.decisions.filter { $0.variant == variant && $0.reason == reason }.count)
        }
        #expect(
            Self.value(f, "lazarus_decisions_total", ["variant": "explore", "reason": "PROJECT_LAZARUS_EXPLORE"])
                == count("explore", "PROJECT_LAZARUS_EXPLORE"))
        #expect(
            Self.value(f, "lazarus_decisions_total", ["reason": "BUDGET_EXHAUSTED"])
                == count("exploit", "BUDGET_EXHAUSTED"))
        let exploreOutcomes = Self.run.outcomes.filter { decisions[$0.applicationID]?.variant == "explore" }
        #expect(
            Self.value(f, "lazarus_outcomes_total", ["variant": "explore", "outcome": "defaulted"])
                == Double(exploreOutcomes.filter { $0.defaulted == true }.count))
        let approvedExplore = Self.run.decisions.filter { $0.variant == "explore" }
        #expect(
            Self.value(f, "lazarus_outcomes_pending", ["variant": "explore"])
                == Double(approvedExplore.count - exploreOutcomes.count))
        let losses = exploreOutcomes.reduce(0) { $0 + ($1.lossAmount ?? 0) }
        #expect(abs(Self.value(f, "lazarus_exploration_losses_dollars_total")! - losses) < 1e-6)
        let settled = Set(exploreOutcomes.map(\.applicationID))
        let exposure = approvedExplore.filter { !settled.contains($0.applicationID) }.reduce(0) {
            $0 + ($1.loanAmount ?? 0)
        }
        #expect(abs(Self.value(f, "lazarus_exploration_exposure_dollars")! - exposure) < 1e-6)
        let good = exploreOutcomes.filter { $0.defaulted == false && (decisions[$0.applicationID]?.score ?? 1) <= 0.5 }
            .count
        #expect(Self.value(f, "lazarus_good_loans_found_total") == Double(good))
        #expect(abs(Self.value(f, "lazarus_projected_revenue_lift_dollars")! - (Double(good) * 500 - losses)) < 1e-6)
        // Budget: the last period's grant minus the explore losses observed since its reset.
        let reset = Self.run.ledger.last { $0.kind == "reset" }!.at
        let spent = exploreOutcomes.filter { $0.observedAt >= reset }.reduce(0) { $0 + ($1.lossAmount ?? 0) }
        #expect(Self.value(f, "lazarus_loss_budget_granted_dollars") == 1000)
        #expect(abs(Self.value(f, "lazarus_loss_budget_remaining_dollars")! - (1000 - spent)) < 1e-6)
        let weights = Self.run.outcomes.map { 1 / (decisions[$0.applicationID]!.propensity!) }
        let ess = weights.reduce(0, +) * weights.reduce(0, +) / weights.reduce(0) { $0 + $1 * $1 }
        #expect(abs(Self.value(f, "lazarus_ipw_effective_sample_size")! - ess) < 1e-6 * ess)
        let eligible = Self.run.decisions.filter { $0.variant != "compliance" }.count
        #expect(Self.value(f, "lazarus_explore_rate") == Double(approvedExplore.count) / Double(eligible))
        // Model quality rests on matured loans: decided at least 5 days before the newest decision T, outcome
        // observed before T.
        let newest = Self.run.decisions.map(\.decidedAt).max()!
        let matured = exploreOutcomes.filter {
            let decision = decisions[$0.applicationID]!
            return decision.score! <= 0.5 && $0.observedAt < newest
                && decision.decidedAt <= newest.adding(microseconds: -5 * Timestamp.microsecondsPerDay)
        }
        #expect(!matured.isEmpty)
        #expect(Self.value(f, "lazarus_model_blindness_samples", ["model": "production"]) == Double(matured.count))
        #expect(
            Self.value(f, "lazarus_model_blindness_defaults", ["model": "production"])
                == Double(matured.filter { $0.defaulted == true }.count))
        #expect(Self.value(f, "lazarus_invalid_rows", ["reason": "unknown_application"]) == 0)
    }

    @Test("rows in any order and any batches give the same metrics, each counted once")
    func orderIndependence() {
        let reference = Self.full().families(RefreshStatus(up: true, lastRefresh: 1, duration: 0))
        var generator = SplitMix64(seed: 4)
        for _ in 0..<3 {
            var aggregate = ExperimentAggregate(riskThreshold: 0.5, lifetimeValue: 500)
            // Outcomes may come before their decisions (another transaction committed first): they are
            // read without a decision, held, and matched when the decision arrives.
            var events: [Either] =
                Self.run.decisions.enumerated().map { .decision($0.element, Int64($0.offset + 1)) }
                + Self.run.outcomes.map { .outcome($0) }
            events.shuffle(using: &generator)
            var seen = Set<String>()
            for event in events {
                switch event {
                case .decision(let row, let sequence):
                    seen.insert(row.applicationID)
                    aggregate.ingest(row, sequence: sequence)
                case .outcome(let row):
                    aggregate.ingest(
                        row, decision: seen.contains(row.applicationID) ? Self.byID[row.applicationID] : nil)
                }
            }
            aggregate.setLedger(Self.run.ledger)
            let families = aggregate.families(RefreshStatus(up: true, lastRefresh: 1, duration: 0))
            for name in [
                "lazarus_decisions_total", "lazarus_outcomes_total", "lazarus_outcomes_pending",
                "lazarus_good_loans_found_total", "lazarus_invalid_rows", "lazarus_feature_psi",
                "lazarus_shadow_approval_rate",
            ] {
                #expect(families.first { $0.name == name } == reference.first { $0.name == name }, "\(name)")
            }
            let a = Self.value(families, "lazarus_exploration_losses_dollars_total")!
            let b = Self.value(reference, "lazarus_exploration_losses_dollars_total")!
            #expect(abs(a - b) < 1e-6)
        }
    }

    enum Either {
        case decision(DecisionRow, Int64)
        case outcome(OutcomeRow)
    }

    @Test("rows that break the contract are counted by reason and never reach a sum")
    func invalidRows() {
        var aggregate = ExperimentAggregate(riskThreshold: 0.5, lifetimeValue: 500)
        let good = Self.run.decisions.first { $0.variant == "explore" && $0.approved == true }!
        var bad = good
        bad.applicationID = "x1"
        bad.propensity = nil
        aggregate.ingest(bad, sequence: 1)
        bad.applicationID = "x2"
        bad.propensity = 1.5
        aggregate.ingest(bad, sequence: 2)
        bad.applicationID = "x3"
        bad.propensity = 0.01
        bad.variant = "mystery"
        aggregate.ingest(bad, sequence: 3)
        bad.variant = "explore"
        bad.score = .nan
        aggregate.ingest(bad, sequence: 4)
        var rejected = good
        rejected.applicationID = "x5"
        rejected.approved = false
        rejected.reason = "MODEL_HIGH_RISK"
        rejected.variant = "exploit"
        aggregate.ingest(rejected, sequence: 5)
        aggregate.ingest(good, sequence: 6)
        let at = good.decidedAt
        aggregate.ingest(
            OutcomeRow(applicationID: good.applicationID, observedAt: at, defaulted: true, lossAmount: -5),
            decision: good)
        aggregate.ingest(
            OutcomeRow(applicationID: "nobody", observedAt: at, defaulted: true, lossAmount: 5), decision: nil)
        aggregate.ingest(
            OutcomeRow(applicationID: "x5", observedAt: at, defaulted: true, lossAmount: 5), decision: rejected)
        aggregate.ingest(OutcomeRow(applicationID: "x3", observedAt: at, defaulted: true, lossAmount: 5), decision: bad)
        aggregate.ingest(OutcomeRow(applicationID: "x6", observedAt: at, defaulted: nil, lossAmount: 5), decision: good)
        aggregate.ingest(
            OutcomeRow(applicationID: good.applicationID, observedAt: at, defaulted: true, lossAmount: 7),
            decision: good)
        let f = aggregate.families(RefreshStatus(up: true, lastRefresh: nil, duration: nil))
        func invalid(_ table: String, _ reason: String) -> Double? {
            Self.value(f, "lazarus_invalid_rows", ["table": table, "reason": reason])
        }
        #expect(invalid("lazarus_decisions", "null_field") == 1)
        #expect(invalid("lazarus_decisions", "propensity_out_of_range") == 1)
        #expect(invalid("lazarus_decisions", "unknown_variant") == 1)
        #expect(invalid("lazarus_decisions", "non_finite") == 1)
        #expect(invalid("lazarus_outcomes", "negative_amount") == 1)
        // "nobody" has no decision, x3's decision is itself invalid.
        #expect(invalid("lazarus_outcomes", "unknown_application") == 2)
        #expect(invalid("lazarus_outcomes", "rejected_application") == 1)
        #expect(invalid("lazarus_outcomes", "null_field") == 1)
        #expect(Self.value(f, "lazarus_exploration_losses_dollars_total") == 7)
        #expect(Self.value(f, "lazarus_decisions_total", ["variant": "explore"]) == 1)
        #expect(Self.value(f, "lazarus_outcomes_pending", ["variant": "explore"]) == 0)
        #expect(!Exposition.render(f).contains("NaN"))
    }

    @Test("an outcome read before its decision is unknown until the decision arrives, then counted once")
    func lateDecision() {
        var aggregate = ExperimentAggregate(riskThreshold: 0.5, lifetimeValue: 500)
        let loan = Self.run.decisions.first { $0.variant == "explore" && $0.approved == true }!
        let outcome = OutcomeRow(
            applicationID: loan.applicationID, observedAt: loan.decidedAt, defaulted: true, lossAmount: 40)
        aggregate.ingest(outcome, decision: nil)
        var f = aggregate.families(RefreshStatus(up: true, lastRefresh: nil, duration: nil))
        #expect(Self.value(f, "lazarus_invalid_rows", ["reason": "unknown_application"]) == 1)
        #expect(Self.value(f, "lazarus_exploration_losses_dollars_total") == 0)
        aggregate.ingest(loan, sequence: 1)
        f = aggregate.families(RefreshStatus(up: true, lastRefresh: nil, duration: nil))
        #expect(Self.value(f, "lazarus_invalid_rows", ["reason": "unknown_application"]) == 0)
        #expect(Self.value(f, "lazarus_exploration_losses_dollars_total") == 40)
        #expect(Self.value(f, "lazarus_outcomes_total", ["variant": "explore", "outcome": "defaulted"]) == 1)
    }

    @Test("rows too many to hold are counted, and a rebuild counts them when they fall due")
    func overflowRebuilds() throws {
        var aggregate = ExperimentAggregate(
            riskThreshold: 0.5, lifetimeValue: 500, horizon: Timestamp(year: 2026, month: 1, day: 1)!)
        let row = DecisionRow(
            applicationID: "a", decidedAt: Timestamp(year: 2026, month: 6, day: 1)!, variant: "exploit",
            approved: true, reason: "MODEL_QUALIFIED", propensity: 1, score: 0.8, modelVersion: "m", loanAmount: 100,
            features: ApplicantFeatures())
        for index in 0..<(ExperimentAggregate.FutureRows.maximumHeld + 3) {
            var copy = row
            copy.applicationID = "a-\(index)"
            aggregate.ingest(copy, sequence: Int64(index))
        }
        #expect(aggregate.future.decisions.count == ExperimentAggregate.FutureRows.maximumHeld)
        #expect(aggregate.futureCount("lazarus_decisions") == Double(ExperimentAggregate.FutureRows.maximumHeld + 3))
        #expect(!aggregate.needsRebuild)
        aggregate.advance(to: Timestamp(year: 2026, month: 7, day: 1)!)
        #expect(aggregate.needsRebuild, "the three rows not held can only be counted from the tables")
    }
}

@Suite("the policy facts the rules read: epsilon, the budget period, incremental losses")
struct PolicyFactsTests {
    /// The simulator's own settings are the truth: the exporter must read them back from the rows alone.
    @Test(
        "epsilon, the budget period and the incremental losses equal the simulator's truth",
        arguments: [(0.03, SimulationSettings.BudgetPeriod.day, 1), (0.05, .day, 2), (0.2, .once, 3), (0.1, .day, 4)]
    )
    func readBack(epsilon: Double, period: SimulationSettings.BudgetPeriod, seed: UInt64) throws {
        let run = try ExperimentSimulator(
            settings: SimulationSettings(
                applications: 15_000, days: 40, seed: seed, policy: PolicySettings(epsilon: epsilon),
                lossBudget: 2_000, budgetPeriod: period)
        ).run()
        let byID = Dictionary(uniqueKeysWithValues: run.decisions.map { ($0.applicationID, $0) })
        var aggregate = ExperimentAggregate(riskThreshold: 0.5, lifetimeValue: 500)
        // Outcomes first: order must not matter.
        run.outcomes.forEach { aggregate.ingest($0, decision: byID[$0.applicationID]) }
        for (index, row) in run.decisions.enumerated().reversed() { aggregate.ingest(row, sequence: Int64(index + 1)) }
        aggregate.setLedger(run.ledger)
        let f = aggregate.families(RefreshStatus(up: true, lastRefresh: 1, duration: 0.5))
        #expect(ExperimentAggregateTests.value(f, "lazarus_policy_epsilon") == epsilon)
        let expectedPeriod: Double? = period == .day ? 86_400 : nil
        #expect(ExperimentAggregateTests.value(f, "lazarus_loss_budget_period_seconds") == expectedPeriod)
        let incremental = run.outcomes.filter {
            let decision = byID[$0.applicationID]!
            return decision.variant == "explore" && decision.propensity! < 1 && $0.defaulted == true
        }.reduce(0) { $0 + ($1.lossAmount ?? 0) }
        #expect(incremental > 0)
        let exported = try #require(
            ExperimentAggregateTests.value(f, "lazarus_exploration_incremental_losses_dollars_total"))
        #expect(abs(exported - incremental) < 1e-6)
        #expect(exported < ExperimentAggregateTests.value(f, "lazarus_exploration_losses_dollars_total")!)
    }

    @Test("no explore approval of a rejected applicant: no epsilon is claimed")
    func noEvidence() throws {
        let run = try ExperimentSimulator(
            settings: SimulationSettings(applications: 2_000, days: 2, seed: 5, policy: PolicySettings(epsilon: 0))
        ).run()
        var aggregate = ExperimentAggregate(riskThreshold: 0.5, lifetimeValue: 500)
        for (index, row) in run.decisions.enumerated() { aggregate.ingest(row, sequence: Int64(index + 1)) }
        let f = aggregate.families(RefreshStatus(up: true, lastRefresh: 1, duration: 0.5))
        #expect(f.first { $0.name == "lazarus_policy_epsilon" }?.samples.isEmpty == true)
    }
}
