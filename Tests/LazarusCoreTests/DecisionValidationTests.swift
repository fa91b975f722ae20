import LazarusCore
import Testing

@Suite("Decision row validation")
struct DecisionValidationTests {
    static let valid = DecisionRow(
        applicationID: "a", decidedAt: Timestamp(seconds: 0), variant: "explore", approved: true,
        reason: "PROJECT_LAZARUS_EXPLORE", propensity: 0.01, score: 0.3, modelVersion: "m", loanAmount: 500,
        features: ApplicantFeatures())

    static func with(_ change: (inout DecisionRow) -> Void) -> DecisionRow {
        var row = valid
        change(&row)
        return row
    }

    @Test(
        "each broken rule has its reason",
        arguments: [
            (with { $0.propensity = nil }, DecisionDefect.nullField), (with { $0.approved = nil }, .nullField),
            (with { $0.variant = "mystery" }, .unknownVariant), (with { $0.reason = "WHIM" }, .unknownReason),
            (with { $0.score = .nan }, .nonFinite), (with { $0.propensity = .infinity }, .nonFinite),
            (with { $0.propensity = 1.5 }, .propensityOutOfRange),
            (with { $0.propensity = -0.1 }, .propensityOutOfRange),
            (with { $0.propensity = 0 }, .propensityOutOfRange), (with { $0.loanAmount = -1 }, .negativeAmount),
            // 1/p² overflows to infinity below about 1e-154: such a weight would poison every IPW sum.
            (with { $0.propensity = 1e-200 }, .propensityOutOfRange),
            (with { $0.propensity = 0.5e-9 }, .propensityOutOfRange),
            (with { $0.loanAmount = .infinity }, .nonFinite), (with { $0.loanAmount = .nan }, .nonFinite),
            (with { $0.score = 1.2 }, .scoreOutOfRange), (with { $0.score = -0.2 }, .scoreOutOfRange),
            (with { $0.score = 87 }, .scoreOutOfRange),
            (with { $0.approved = false }, .inconsistentDecision),  // an explore row that rejects
            (with { $0.variant = "exploit" }, .inconsistentDecision),  // exploit, with the explore reason
            (with { $0.reason = "MODEL_QUALIFIED" }, .inconsistentDecision),
            (
                with { ($0.variant, $0.approved, $0.reason) = ("compliance", true, "COMPLIANCE_BLOCK") },
                .inconsistentDecision
            ),
        ])
    func defects(row: DecisionRow, defect: DecisionDefect) {
        #expect(row.defect == defect)
    }

    @Test("a valid row, and a rejection logged with propensity 0, have no defect")
    func valid() {
        #expect(Self.valid.defect == nil)
        #expect(Self.with { $0.propensity = DecisionRow.minimumPropensity }.defect == nil)
        #expect(Self.with { $0.score = 0 }.defect == nil)
        #expect(Self.with { $0.score = 1 }.defect == nil)
        #expect(
            Self.with {
                $0.variant = "exploit"; $0.approved = false; $0.propensity = 0; $0.reason = "BUDGET_EXHAUSTED"
            }.defect == nil)
    }
}

@Suite("Outcome contradictions")
struct OutcomeContradictionTests {
    static let decided = Timestamp(seconds: 86_400)

    @Test(
        "an outcome that contradicts its decision has its reason; a sound one has none",
        arguments: [
            (
                OutcomeRow(applicationID: "a", observedAt: Timestamp(seconds: 0), defaulted: true, lossAmount: 10),
                500.0,
                "observed_before_decision"
            ),
            (
                OutcomeRow(applicationID: "a", observedAt: decided, defaulted: false, lossAmount: 1), 500,
                "repaid_with_loss"
            ),
            (
                OutcomeRow(applicationID: "a", observedAt: decided, defaulted: true, lossAmount: 501), 500,
                "loss_exceeds_loan"
            ),
            (OutcomeRow(applicationID: "a", observedAt: decided, defaulted: true, lossAmount: 500), 500, nil),
            (OutcomeRow(applicationID: "a", observedAt: decided, defaulted: false, lossAmount: 0), 500, nil),
            (OutcomeRow(applicationID: "a", observedAt: decided, defaulted: false, lossAmount: nil), 500, nil),
            // A loan amount of 0 reads as not recorded: no loss exceeds it.
            (OutcomeRow(applicationID: "a", observedAt: decided, defaulted: true, lossAmount: 900), 0, nil),
        ] as [(OutcomeRow, Double, String?)])
    func contradictions(outcome: OutcomeRow, loan: Double, reason: String?) {
        #expect(outcome.contradiction(decidedAt: Self.decided, loanAmount: loan) == reason)
    }
}
