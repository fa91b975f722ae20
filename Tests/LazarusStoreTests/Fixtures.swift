import Foundation
import LazarusCore
import LazarusTestSupport

@testable import LazarusStore

/// Deterministic rows with every awkward value a store must keep: nulls, non-ASCII text, extremes.
enum Fixtures {
    static let start = Timestamp(seconds: 1_795_448_264)

    static func decision(_ i: Int, at time: Timestamp? = nil) -> DecisionRow {
        let sparse = i % 7 == 3
        return DecisionRow(
            applicationID: i % 11 == 5 ? "app-\(i)-é✓" : "app-\(i)",
            decidedAt: time ?? start.adding(microseconds: Int64(i) * 1_000_123),
            variant: ["explore", "exploit", "compliance"][i % 3], approved: sparse ? nil : i % 2 == 0,
            reason: sparse ? nil : "MODEL_QUALIFIED", propensity: sparse ? nil : 0.01 * Double(i % 100),
            score: Double(i % 1000) / 999.0 + 1e-17, modelVersion: "prod-\(i % 3)", loanAmount: 1000.5 + Double(i),
            features: ApplicantFeatures(
                age: sparse ? nil : 18 + i % 60, annualIncome: 25_000.25 + Double(i) * 13.7,
                debtToIncome: 0.1 + Double(i % 50) / 100, creditScore: 300 + i % 550,
                creditHistoryMonths: i % 240, recentBankruptcy: sparse ? nil : i % 13 == 0))
    }

    static func decisions(_ range: Range<Int>) -> [DecisionRow] { range.map { decision($0) } }

    static func outcome(for decision: DecisionRow, _ i: Int) -> OutcomeRow {
        OutcomeRow(
            applicationID: decision.applicationID, observedAt: decision.decidedAt.adding(microseconds: 86_400_000_000),
            defaulted: i % 4 == 0, lossAmount: i % 4 == 0 ? 250.75 : 0)
    }
}

extension Store {
    /// Every decision the store holds, keyed by application id.
    func allDecisions(_ query: RowQuery = .all) throws -> [String: DecisionRow] {
        var rows: [String: DecisionRow] = [:]
        try streamDecisions(query) { rows[$0.applicationID] = $0 }
        return rows
    }
}
