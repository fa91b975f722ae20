import LazarusCore

/// How the snapshot being served was obtained.
public struct RefreshStatus: Sendable, Equatable {
    /// Whether the last refresh from the store succeeded.
    public var up: Bool
    /// When the snapshot served was last brought up to date (seconds since the epoch).
    public var lastRefresh: Double?
    /// How long that refresh took, in seconds.
    public var duration: Double?
    /// Refreshes that failed since the exporter started.
    public var failures: Int

    public init(up: Bool, lastRefresh: Double?, duration: Double?, failures: Int = 0) {
        self.up = up
        self.lastRefresh = lastRefresh
        self.duration = duration
        self.failures = failures
    }

    /// `lazarus_refresh_failures_total`: served also while the cold start has not succeeded, when it counts most.
    public static func failuresFamily(_ failures: Int) -> MetricFamily {
        .init(
            "lazarus_refresh_failures_total", .counter, "Refreshes from the store that failed.",
            [.init(Double(failures))])
    }
}

extension ExperimentAggregate {
    /// Every metric family of the design's contract, with fixed label sets (zero where known to exist).
    public func families(_ status: RefreshStatus) -> [MetricFamily] {
        Self.statusFamilies(status) + dataFamilies()
    }

    /// The exporter's own families, which change at every refresh.
    public static func statusFamilies(_ status: RefreshStatus) -> [MetricFamily] {
        [
            .init(
                "lazarus_up", .gauge, "1 when the last refresh from the store succeeded, 0 otherwise.",
                [.init(status.up ? 1 : 0)]),
            .init(
                "lazarus_last_refresh_timestamp_seconds", .gauge,
                "When the snapshot served was last brought up to date. It does not advance while the store is down or a catch-up cannot finish within the scrape deadline: the last complete snapshot is served instead.",
                status.lastRefresh.map { [.init($0)] } ?? []),
            .init(
                "lazarus_refresh_duration_seconds", .gauge, "How long the last refresh took.",
                status.duration.map { [.init($0)] } ?? []),
            RefreshStatus.failuresFamily(status.failures),
        ]
    }

    /// The families computed from the tables, which change only when a refresh read something.
    public func dataFamilies() -> [MetricFamily] {
        var families: [MetricFamily] = [
            .init(
                "lazarus_invalid_rows", .gauge, "Rows skipped as invalid, by table and reason.",
                Self.invalidReasons.map { .init([("table", $0.0), ("reason", $0.1)], invalidCount($0.0, $0.1)) })
        ]
        families += decisionFamilies()
        families += budgetFamilies()
        families += modelFamilies()
        return families
    }

    /// Outcomes still waiting for their decision count as unknown applications until it arrives, and rows
    /// waiting for their time as `future_timestamp`.
    private func invalidCount(_ table: String, _ reason: String) -> Double {
        let orphaned = table == "lazarus_outcomes" && reason == "unknown_application" ? Double(orphans.count) : 0
        let future = reason == "future_timestamp" ? futureCount(table) : 0
        return invalid["\(table)|\(reason)", default: 0] + orphaned + future
    }

    private func decisionFamilies() -> [MetricFamily] {
        var keys = Self.knownDecisions.map { "\($0.0.rawValue)|\($0.1)|\($0.2.rawValue)" }
        keys += decisionCounts.keys.filter { !keys.contains($0) }.sorted()
        let decisions = keys.map { key -> MetricFamily.Sample in
            let parts = key.split(separator: "|").map(String.init)
            return .init(
                [("variant", parts[0]), ("decision", parts[1]), ("reason", parts[2])], decisionCounts[key, default: 0])
        }
        let variants: [Variant] = [.explore, .exploit]
        let outcomes = variants.flatMap { variant in
            ["repaid", "defaulted"].map { outcome in
                MetricFamily.Sample(
                    [("variant", variant.rawValue), ("outcome", outcome)],
                    outcomeCounts["\(variant.rawValue)|\(outcome)", default: 0])
            }
        }
        let pending = variants.map { variant in
            MetricFamily.Sample(
                [("variant", variant.rawValue)],
                approvedCount[variant, default: 0] - outcomesMatched[variant, default: 0])
        }
        return [
            .init("lazarus_decisions_total", .counter, "Decisions logged, by variant, decision and reason.", decisions),
            .init(
                "lazarus_last_decision_timestamp_seconds", .gauge, "The newest decided_at in the store.",
                lastDecision.map { [.init($0.secondsSinceEpoch)] } ?? []),
            .init("lazarus_outcomes_total", .counter, "Observed outcomes of approved loans, by variant.", outcomes),
            .init("lazarus_outcomes_pending", .gauge, "Approved loans still awaiting an outcome, by variant.", pending),
            .init(
                "lazarus_explore_rate", .gauge, "Explore decisions over eligible (non-compliance) decisions.",
                eligible > 0 ? [.init(exploreDecisions / eligible)] : []),
        ]
    }

    private func budgetFamilies() -> [MetricFamily] {
        let budget = BudgetState.replay(ledger: ledger, exploreLosses: exploreLosses)
        let granted = budget.granted
        let remaining = budget.remaining
        let losses = exploreLosses.reduce(0) { $0 + $1.loss }
        return [
            .init(
                "lazarus_loss_budget_granted_dollars", .gauge, "Exploration loss budget granted in the current period.",
                [.init(granted)]),
            .init(
                "lazarus_loss_budget_remaining_dollars", .gauge,
                "Budget granted in the current period minus the losses of explore loans observed in it.",
                [.init(remaining)]),
            .init(
                "lazarus_loss_budget_exhausted", .gauge, "1 when the remaining budget is at or below zero.",
                [.init(remaining <= 0 ? 1 : 0)]),
            .init(
                "lazarus_exploration_losses_dollars_total", .counter, "Realised losses of explore loans, all periods.",
                [.init(losses)]),
            .init(
                "lazarus_exploration_incremental_losses_dollars_total", .counter,
                "Realised losses of explore loans with propensity below 1 (approved only because of exploration).",
                [.init(incrementalLosses)]),
            .init(
                "lazarus_policy_epsilon", .gauge,
                "The exploration probability in force: the logged propensity of the newest explore approval of an applicant the model rejected.",
                epsilonEvidence.map { [.init($0.propensity)] } ?? []),
            .init(
                "lazarus_loss_budget_period_seconds", .gauge,
                "The budget period, the median gap between the ledger's recent period starts (resets, else grants).",
                BudgetCadence.periodSeconds(ledger: ledger).map { [.init($0)] } ?? []),
            .init(
                "lazarus_exploration_exposure_dollars", .gauge,
                "Principal of explore loans whose outcome is still pending.",
                [.init(explorePrincipal - explorePrincipalSettled)]),
            .init(
                "lazarus_good_loans_found_total", .counter,
                "Explore loans to applicants the production model rejected that repaid.", [.init(goodLoansFound)]),
            .init(
                "lazarus_projected_revenue_lift_dollars", .gauge,
                "Good loans found times the lifetime value, minus exploration losses.",
                [.init(goodLoansFound * lifetimeValue - losses)]),
            .init(
                "lazarus_ipw_effective_sample_size", .gauge,
                "Kish effective sample size of the labelled loans' 1/propensity weights.",
                weightSquares > 0 ? [.init(weightSum * weightSum / weightSquares)] : []),
            .init(
                "lazarus_ipw_weight_max", .gauge, "The largest 1/propensity weight among labelled loans.",
                weightSum > 0 ? [.init(weightMax)] : []),
        ]
    }
}
