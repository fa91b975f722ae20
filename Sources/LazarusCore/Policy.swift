/// The epsilon-greedy credit policy: safety valve, then exploration, then the model.
///
/// Pure: the random draw and the budget are passed in, so one decision is a function of its inputs.
public struct Policy: Sendable {
    /// The policy's settings.
    public let settings: PolicySettings

    /// Creates a policy.
    public init(settings: PolicySettings) {
        self.settings = settings
    }

    /// Decides one application.
    /// - Parameters:
    ///   - applicant: what the policy may look at.
    ///   - draw: a uniform random number in [0, 1) for the exploration coin.
    ///   - budgetRemains: asked only when the answer matters (an exploration draw or a failing score),
    ///     so that a budget kept in a database is not queried for every applicant.
    /// - Returns: the decision with its true propensity.
    /// - Throws: what `budgetRemains` throws.
    public func decide(
        _ applicant: Applicant, draw: Double, budgetRemains: () throws -> Bool
    ) rethrows -> PolicyDecision {
        let passes = applicant.score > settings.riskThreshold

        // 1. Safety valve: no exploration and no model can approve these applicants.
        if applicant.age < 18 || applicant.recentBankruptcy {
            return PolicyDecision(variant: .compliance, approved: false, reason: .complianceBlock, propensity: 0)
        }
        // A passing applicant is approved whatever the coin says, so the budget does not matter to them.
        let budgetOpen = passes && draw >= settings.epsilon ? true : try budgetRemains()

        // 2. Exploration, paid for from the loss budget.
        if budgetOpen && draw < settings.epsilon {
            return PolicyDecision(
                variant: .explore, approved: true, reason: .explore, propensity: passes ? 1 : settings.epsilon)
        }
        // 3. Exploitation: the model decides. A failing applicant could only have been explored,
        //    with probability epsilon while budget remains and 0 once it is spent.
        if passes {
            return PolicyDecision(variant: .exploit, approved: true, reason: .modelQualified, propensity: 1)
        }
        if budgetOpen {
            return PolicyDecision(
                variant: .exploit, approved: false, reason: .modelHighRisk, propensity: settings.epsilon)
        }
        return PolicyDecision(variant: .exploit, approved: false, reason: .budgetExhausted, propensity: 0)
    }
}
