import LazarusCore

/// One simulated application: what the lender sees, what it cannot see, and what fate has in store.
public struct SyntheticApplicant: Sendable, Equatable {
    /// The features written to `lazarus_decisions`.
    public var features: ApplicantFeatures
    /// Principal requested, in dollars.
    public var loanAmount: Double
    /// The "new to credit, well paid" segment the production model misjudges (hidden, for analysis).
    public var isThinFileHighEarner: Bool
    /// The hidden risk factor: a gambling habit the models never see.
    public var gambles: Bool
    /// The true probability of default, from the generating model.
    public var defaultProbability: Double
    /// The production model's predicted probability of repayment.
    public var score: Double
    /// Uniform draws that decide this applicant's fate, fixed in advance for reproducibility.
    public var draws: Draws

    /// The applicant's pre-drawn uniforms.
    public struct Draws: Sendable, Equatable {
        /// When in its slot the application arrives.
        public var arrival: Double
        /// The policy's exploration coin.
        public var policy: Double
        /// Below the default probability means the loan defaults.
        public var outcome: Double
        /// How much of the principal a default loses.
        public var lossGivenDefault: Double
        /// How long the outcome takes to be observed.
        public var delay: Double
    }

    /// Whether the loan defaults if granted.
    public var defaults: Bool { draws.outcome < defaultProbability }
}
