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
                $0.approved = false; $0.propensity = 0; $0.reason = "BUDGET_EXHAUSTED"
            }.defect == nil)
    }
}
