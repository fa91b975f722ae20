import LazarusCore
import Testing

@Suite("Policy")
struct PolicyTests {
    let policy = Policy(settings: try! PolicySettings(epsilon: 0.01, riskThreshold: 0.5))

    struct Case: Sendable, CustomTestStringConvertible {
        let score: Double
        let draw: Double
        let budget: Bool
        let expected: PolicyDecision
        var testDescription: String { "score \(score), draw \(draw), budget \(budget)" }
    }

    // The design's policy, one row per branch, worked by hand.
    static let cases: [Case] = [
        Case(
            score: 0.9, draw: 0.5, budget: true,
            expected: .init(variant: .exploit, approved: true, reason: .modelQualified, propensity: 1)),
        Case(
            score: 0.9, draw: 0.5, budget: false,
            expected: .init(variant: .exploit, approved: true, reason: .modelQualified, propensity: 1)),
        Case(
            score: 0.9, draw: 0.005, budget: true,
            expected: .init(variant: .explore, approved: true, reason: .explore, propensity: 1)),
        Case(
            score: 0.9, draw: 0.005, budget: false,
            expected: .init(variant: .exploit, approved: true, reason: .modelQualified, propensity: 1)),
        Case(
            score: 0.2, draw: 0.005, budget: true,
            expected: .init(variant: .explore, approved: true, reason: .explore, propensity: 0.01)),
        Case(
            score: 0.2, draw: 0.5, budget: true,
            expected: .init(variant: .exploit, approved: false, reason: .modelHighRisk, propensity: 0.01)),
        Case(
            score: 0.2, draw: 0.005, budget: false,
            expected: .init(variant: .exploit, approved: false, reason: .budgetExhausted, propensity: 0)),
        Case(
            score: 0.2, draw: 0.5, budget: false,
            expected: .init(variant: .exploit, approved: false, reason: .budgetExhausted, propensity: 0)),
        // The threshold itself fails: only a score strictly above it passes.
        Case(
            score: 0.5, draw: 0.5, budget: true,
            expected: .init(variant: .exploit, approved: false, reason: .modelHighRisk, propensity: 0.01)),
        Case(
            score: 0.5, draw: 0.0099, budget: true,
            expected: .init(variant: .explore, approved: true, reason: .explore, propensity: 0.01)),
        Case(
            score: 0.2, draw: 0.01, budget: true,
            expected: .init(variant: .exploit, approved: false, reason: .modelHighRisk, propensity: 0.01)),
    ]

    @Test("each branch decides and logs the propensity of the design", arguments: cases)
    func branches(c: Case) {
        let applicant = Applicant(age: 30, recentBankruptcy: false, score: c.score)
        #expect(policy.decide(applicant, draw: c.draw) { c.budget } == c.expected)
    }

    @Test(
        "compliance always wins, and never touches the budget",
        arguments: [(17, false), (0, false), (16, true), (45, true)], [0.0, 0.005, 0.99])
    func complianceWins(applicant: (age: Int, bankruptcy: Bool), draw: Double) {
        var asked = false
        for score in [0.0, 0.49, 0.51, 1.0] {
            let decision = policy.decide(
                Applicant(age: applicant.age, recentBankruptcy: applicant.bankruptcy, score: score), draw: draw
            ) {
                asked = true
                return true
            }
            #expect(decision == .init(variant: .compliance, approved: false, reason: .complianceBlock, propensity: 0))
        }
        #expect(!asked)
    }

    @Test("exploration never happens without budget", arguments: [0.0, 0.001, 0.009999])
    func noBudgetNoExploration(draw: Double) {
        for score in stride(from: 0.0, through: 1.0, by: 0.05) {
            let decision = policy.decide(Applicant(age: 30, recentBankruptcy: false, score: score), draw: draw) {
                false
            }
            #expect(decision.variant != .explore)
            #expect(decision.approved == (score > 0.5))
        }
    }

    @Test("a passing applicant with a losing coin does not query the budget")
    func budgetAskedOnlyWhenItMatters() {
        var asked = 0
        _ = policy.decide(Applicant(age: 30, recentBankruptcy: false, score: 0.8), draw: 0.7) {
            asked += 1
            return true
        }
        #expect(asked == 0)
        _ = policy.decide(Applicant(age: 30, recentBankruptcy: false, score: 0.3), draw: 0.7) {
            asked += 1
            return true
        }
        #expect(asked == 1)
    }

    @Test("the logged propensity is the true approval probability over the coin", arguments: [0.0, 0.01, 0.2, 1.0])
    func propensityIsApprovalProbability(epsilon: Double) throws {
        let policy = Policy(settings: try PolicySettings(epsilon: epsilon))
        let draws = (0..<10_000).map { (Double($0) + 0.5) / 10_000 }
        for score in [0.1, 0.9] {
            for budget in [true, false] {
                let applicant = Applicant(age: 30, recentBankruptcy: false, score: score)
                let decisions = draws.map { draw in policy.decide(applicant, draw: draw) { budget } }
                let approvalRate = Double(decisions.filter(\.approved).count) / Double(draws.count)
                // Every decision of a rejected applicant logs the probability of approval, approved or not.
                for decision in decisions where !decision.approved || score > 0.5 {
                    #expect(abs(decision.propensity - approvalRate) < 1e-12)
                }
            }
        }
    }

    @Test(
        "impossible settings are refused",
        arguments: [(-0.1, 0.5), (1.01, 0.5), (Double.nan, 0.5), (0.01, -0.1), (0.01, 1.5), (0.01, Double.infinity)])
    func invalidSettings(epsilon: Double, threshold: Double) {
        let error = #expect(throws: CoreError.self) { try PolicySettings(epsilon: epsilon, riskThreshold: threshold) }
        #expect(error?.code == .invalidSetting)
    }
}
