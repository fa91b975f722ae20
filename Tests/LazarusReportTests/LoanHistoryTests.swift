import Foundation
import LazarusCore
import LazarusStore
import Testing

@testable import LazarusReport

@Suite("What the report reads from a store")
struct LoanHistoryTests {
    static let day = Timestamp.microsecondsPerDay
    static let end = Timestamp(year: 2026, month: 11, day: 23)!
    static let windowStart = end.adding(microseconds: -7 * day)
    static let matureThrough = end.adding(microseconds: -42 * day)

    static func decision(_ id: String, at: Timestamp, variant: String, approved: Bool = true) -> DecisionRow {
        DecisionRow(
            applicationID: id, decidedAt: at, variant: variant, approved: approved,
            reason: variant == "explore" ? "PROJECT_LAZARUS_EXPLORE" : approved ? "MODEL_QUALIFIED" : "MODEL_HIGH_RISK",
            propensity: variant == "explore" ? 0.01 : approved ? 1 : 0.01, score: variant == "explore" ? 0.3 : 0.8,
            modelVersion: "prod-1", loanAmount: 500,
            features: ApplicantFeatures(
                age: 40, annualIncome: 50_000, debtToIncome: 0.3, creditScore: 650, creditHistoryMonths: 100,
                recentBankruptcy: false))
    }

    /// The cohort up to T − W (boundary included), only explore decisions between it and the window, the window.
    @Test("three disjoint ranges, read on one or two connections, each row once with its outcome")
    func ranges() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lazarus-history-\(UUID()).sqlite")
            .path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try openStore("sqlite:\(path)")
        try store.migrate()
        let rows = [
            Self.decision("cohort-edge", at: Self.matureThrough, variant: "exploit"),
            Self.decision("gap-exploit", at: Self.matureThrough.adding(microseconds: 1), variant: "exploit"),
            Self.decision("gap-explore", at: Self.matureThrough.adding(microseconds: 1), variant: "explore"),
            Self.decision("window-first", at: Self.windowStart, variant: "exploit", approved: false),
            Self.decision("window-last", at: Self.end.adding(microseconds: -1), variant: "exploit"),
            Self.decision("after-end", at: Self.end, variant: "explore"),
        ]
        try store.insertDecisions(rows)
        try store.insertOutcomes([
            OutcomeRow(
                applicationID: "cohort-edge", observedAt: Self.matureThrough.adding(microseconds: 30 * Self.day),
                defaulted: true, lossAmount: 300),
            OutcomeRow(
                applicationID: "gap-explore", observedAt: Self.windowStart.adding(microseconds: 1),
                defaulted: false, lossAmount: 0),
            // An outcome of a decision the report does not read: neither used nor counted as invalid.
            OutcomeRow(
                applicationID: "gap-exploit", observedAt: Self.windowStart, defaulted: false, lossAmount: 0),
            // Observed at the end: not yet known.
            OutcomeRow(applicationID: "window-last", observedAt: Self.end, defaulted: true, lossAmount: 100),
        ])
        for second in [nil, try openStore("sqlite:\(path)")] as [(any Store)?] {
            let history = try LoanHistory(
                store: store, end: Self.end, matureThrough: Self.matureThrough, windowStart: Self.windowStart,
                outcomeStore: second)
            #expect(history.loans.map(\.id).sorted() == ["cohort-edge", "gap-explore", "window-first", "window-last"])
            let byID = Dictionary(uniqueKeysWithValues: history.loans.map { ($0.id, $0) })
            #expect(byID["cohort-edge"]?.defaulted == true && byID["cohort-edge"]?.loss == 300)
            #expect(byID["gap-explore"]?.defaulted == false)
            #expect(byID["window-last"]?.defaulted == nil)
            #expect(history.skippedRows == 0)
            #expect(history.productionVersion == "prod-1")
        }
        // Without the ranges it reads every decision before the end.
        let all = try LoanHistory(store: store, end: Self.end)
        #expect(all.loans.count == 5)
    }
}
