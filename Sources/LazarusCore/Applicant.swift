/// What the policy sees of an application: its features and the production model's score.
public struct Applicant: Sendable, Equatable {
    /// Age in years.
    public var age: Int
    /// A bankruptcy in the recent past.
    public var recentBankruptcy: Bool
    /// The production model's predicted probability of repayment, in [0, 1].
    public var score: Double

    /// Creates the policy's view of an applicant.
    public init(age: Int, recentBankruptcy: Bool, score: Double) {
        self.age = age
        self.recentBankruptcy = recentBankruptcy
        self.score = score
    }
}
