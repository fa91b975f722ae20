import ArgumentParser
import LazarusCore

/// The policy and money settings of the design, as flags with `LAZARUS_*` fallbacks (flags win).
public struct PolicyOptions: ParsableArguments {
    // Unconditional parsing lets "--initial-loss-budget -5" reach the range check, not fail as a flag.
    @Option(parsing: .unconditional, help: "Exploration rate in [0, 1] (default: $LAZARUS_EPSILON, else 0.01).")
    public var epsilon: Double?

    @Option(
        parsing: .unconditional,
        help: "Approve scores above this, in [0, 1] (default: $LAZARUS_RISK_THRESHOLD, else 0.5).")
    public var riskThreshold: Double?

    @Option(
        parsing: .unconditional,
        help: "Exploration loss budget in dollars (default: $LAZARUS_INITIAL_LOSS_BUDGET, else 1000).")
    public var initialLossBudget: Double?

    @Option(
        name: .customLong("default-ltv"), parsing: .unconditional,
        help: "Lifetime value of a good loan in dollars (default: $LAZARUS_DEFAULT_LTV, else 500).")
    public var defaultLTV: Double?

    public init() {}

    /// The settings to use, checked.
    /// - Parameter environment: the process environment.
    /// - Returns: the resolved settings.
    /// - Throws: ``CommandLineError`` or ``CoreError`` for a value that does not parse or is impossible.
    public func resolve(_ environment: Environment = .process) throws -> ResolvedPolicyOptions {
        let policy = try PolicySettings(
            epsilon: environment.double(epsilon, "LAZARUS_EPSILON", default: 0.01),
            riskThreshold: environment.double(riskThreshold, "LAZARUS_RISK_THRESHOLD", default: 0.5))
        let budget = try environment.double(initialLossBudget, "LAZARUS_INITIAL_LOSS_BUDGET", default: 1000)
        guard budget.isFinite, budget >= 0 else {
            throw CommandLineError(
                "the initial loss budget must be a finite number of dollars, 0 or more, got \(budget)")
        }
        let ltv = try environment.double(defaultLTV, "LAZARUS_DEFAULT_LTV", default: 500)
        guard ltv.isFinite, ltv >= 0 else {
            throw CommandLineError("the default LTV must be a finite number of dollars, 0 or more, got \(ltv)")
        }
        return ResolvedPolicyOptions(policy: policy, initialLossBudget: budget, defaultLTV: ltv)
    }
}

/// Policy and money settings after flags, environment and defaults are merged and checked.
public struct ResolvedPolicyOptions: Sendable, Equatable {
    /// Epsilon and the risk threshold.
    public var policy: PolicySettings
    /// The exploration loss budget of a period, in dollars.
    public var initialLossBudget: Double
    /// The lifetime value of a good loan, in dollars.
    public var defaultLTV: Double
}
