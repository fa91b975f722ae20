import ArgumentParser
import LazarusCore

/// The policy and money settings of the design, as flags with `LAZARUS_*` fallbacks (flags win): what the
/// simulator, which runs the policy, needs. Readers offer only the parts they use (``ValuationOptions``,
/// ``EpsilonOption``): a flag that changes nothing is not offered.
public struct PolicyOptions: ParsableArguments {
    @OptionGroup public var valuation: ValuationOptions
    @OptionGroup public var exploration: EpsilonOption

    // Unconditional parsing lets "--initial-loss-budget -5" reach the range check, not fail as a flag.
    @Option(
        parsing: .unconditional,
        help: "Exploration loss budget in dollars (default: $LAZARUS_INITIAL_LOSS_BUDGET, else 1000).")
    public var initialLossBudget: Double?

    public init() {}

    /// The settings to use, checked.
    /// - Parameter environment: the process environment.
    /// - Returns: the resolved settings.
    /// - Throws: ``CommandLineError`` or ``CoreError`` for a value that does not parse or is impossible.
    public func resolve(_ environment: Environment = .process) throws -> ResolvedPolicyOptions {
        let valued = try valuation.resolve(environment)
        let policy = try PolicySettings(
            epsilon: exploration.epsilon(environment), riskThreshold: valued.riskThreshold)
        let budget = try environment.double(initialLossBudget, "LAZARUS_INITIAL_LOSS_BUDGET", default: 1000)
        guard budget.isFinite, budget >= 0 else {
            throw CommandLineError(
                "the initial loss budget must be a finite number of dollars, 0 or more, got \(budget)")
        }
        return ResolvedPolicyOptions(policy: policy, initialLossBudget: budget, defaultLTV: valued.defaultLTV)
    }
}

/// `--epsilon`: the exploration probability, for the executables that use it.
public struct EpsilonOption: ParsableArguments {
    @Option(parsing: .unconditional, help: "Exploration rate in [0, 1] (default: $LAZARUS_EPSILON, else 0.01).")
    public var epsilon: Double?

    public init() {}

    /// The flag, else `LAZARUS_EPSILON`, else 0.01 (checked by ``PolicySettings``).
    /// - Throws: ``CommandLineError`` for a value that does not parse.
    public func epsilon(_ environment: Environment) throws -> Double {
        try environment.double(epsilon, "LAZARUS_EPSILON", default: 0.01)
    }
}

/// The settings that value what the tables hold: the risk threshold that says whom production rejects,
/// and the lifetime value of a good loan. Every reader of the tables needs these and nothing more.
public struct ValuationOptions: ParsableArguments {
    @Option(
        parsing: .unconditional,
        help: "Approve scores above this, in [0, 1] (default: $LAZARUS_RISK_THRESHOLD, else 0.5).")
    public var riskThreshold: Double?

    @Option(
        name: .customLong("default-ltv"), parsing: .unconditional,
        help: "Lifetime value of a good loan in dollars (default: $LAZARUS_DEFAULT_LTV, else 500).")
    public var defaultLTV: Double?

    public init() {}

    /// The settings to use, checked.
    /// - Throws: ``CommandLineError`` or ``CoreError`` for a value that does not parse or is impossible.
    public func resolve(_ environment: Environment = .process) throws -> (riskThreshold: Double, defaultLTV: Double) {
        // PolicySettings checks the threshold's range, with the same message for every executable.
        let threshold = try PolicySettings(
            epsilon: 0, riskThreshold: environment.double(riskThreshold, "LAZARUS_RISK_THRESHOLD", default: 0.5)
        ).riskThreshold
        let ltv = try environment.double(defaultLTV, "LAZARUS_DEFAULT_LTV", default: 500)
        guard ltv.isFinite, ltv >= 0 else {
            throw CommandLineError("the default LTV must be a finite number of dollars, 0 or more, got \(ltv)")
        }
        return (threshold, ltv)
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
