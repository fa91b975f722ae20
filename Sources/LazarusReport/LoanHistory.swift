import Foundation
import LazarusCore
import LazarusStore

/// Every decision up to the report's end, with its outcome if observed by then: what the report knows.
public struct LoanHistory: Sendable {
    /// One decision, validated, with its outcome.
    public struct Loan: Sendable {
        public var id: String
        public var decidedAt: Timestamp
        public var variant: Variant
        public var approved: Bool
        public var propensity: Double
        /// The production model's probability of repayment.
        public var score: Double
        public var loanAmount: Double
        /// Model features in ``LoanHistory/featureNames`` order.
        public var features: [Double]
        /// When the outcome was observed, if it was before the report's end.
        public var observedAt: Timestamp?
        public var defaulted: Bool?
        public var loss: Double
    }

    /// The features the report's models use, in raw units. `recent_bankruptcy` is left out: the
    /// safety valve rejects every such applicant, so it is constant among loans and not identified.
    public static let featureNames = ApplicantFeatures.modelColumns

    /// The decisions, in arrival order.
    public var loans: [Loan]
    /// The budget ledger up to the end.
    public var ledger: [LedgerEntry]
    /// The production model's version logged with the newest decision read.
    public var productionVersion: String?
    /// Rows read and skipped because they break the contract (missing features, propensity out of range, …).
    public var skippedRows: Int

    /// Reads what the store knew at `end`: the decisions the report uses and the outcomes observed before `end`.
    ///
    /// With `matureThrough` and `windowStart` it reads only what the report needs (design.md, "Scale": one
    /// window plus the labelled loans it trains on): every decision up to `matureThrough` (the cohort), every
    /// decision in [`windowStart`, `end`) (the window), and in between only the explore decisions (the budget
    /// and the cost of exploration need their outcomes). Given a second connection, `outcomeStore`, the
    /// outcomes are read on it at the same time as the decisions, on the other core.
    /// - Parameters:
    ///   - store: the store.
    ///   - end: the report's end (exclusive).
    ///   - matureThrough: the last mature decision instant, T − W (`nil`: read every decision before `end`).
    ///   - windowStart: the window's start.
    ///   - outcomeStore: another connection to the same store, used only by the outcome read.
    /// - Throws: ``StoreError``.
    public init(
        store: any Store, end: Timestamp, matureThrough: Timestamp? = nil, windowStart: Timestamp? = nil,
        outcomeStore: (any Store)? = nil
    ) throws {
        // Nothing at or after `end` is read, whatever the cohort: a window past the reader's clock ends at it.
        let matureThrough = matureThrough.map { min($0, end.adding(microseconds: -1)) }
        // The decision ranges: the cohort, the explore decisions between it and the window, the window.
        var early = [RowQuery(before: end)]
        var late: [RowQuery] = []
        if let matureThrough, let windowStart, matureThrough < windowStart {
            let afterCohort = matureThrough.adding(microseconds: 1)
            early = [
                RowQuery(before: afterCohort),
                RowQuery(from: afterCohort, before: min(windowStart, end), variant: .explore),
            ]
            late = [RowQuery(from: windowStart, before: end)]
        }
        let decisions: Decisions
        let outcomes: [OutcomeRow]
        if let outcomeStore {
            // One connection reads the early decisions; the other the window's and then the outcomes.
            let first = Unshared(store)
            let second = Unshared(outcomeStore)
            let (early, late) = (early, late)
            let (a, (b, o)) = try Concurrently.both(
                { try Self.readDecisions(first.value, early) },
                { (try Self.readDecisions(second.value, late), try Self.readOutcomes(second.value, before: end)) })
            decisions = a.merged(with: b)
            outcomes = o
        } else {
            decisions = try Self.readDecisions(store, early + late)
            outcomes = try Self.readOutcomes(store, before: end)
        }
        var loans = decisions.loans
        var skipped = decisions.skipped
        for outcome in outcomes {
            // An outcome of a decision not read (outside the ranges above) is neither used nor counted.
            guard let i = decisions.index[outcome.applicationID] else { continue }
            // An unreadable time reads as the earliest instant: it must be skipped, not taken as observed.
            guard outcome.observedAt.isPlausible, loans[i].approved, let defaulted = outcome.defaulted,
                loans[i].observedAt == nil, outcome.lossDefect == nil,
                outcome.contradiction(decidedAt: loans[i].decidedAt, loanAmount: loans[i].loanAmount) == nil
            else {
                skipped += 1
                continue
            }
            loans[i].observedAt = outcome.observedAt
            loans[i].defaulted = defaulted
            loans[i].loss = defaulted ? outcome.lossAmount ?? 0 : 0
        }
        self.loans = loans
        self.ledger = try store.ledger().filter { $0.at < end }
        self.skippedRows = skipped
        self.productionVersion = decisions.newest?.1
    }

    /// The decisions read, indexed by application id.
    struct Decisions: Sendable {
        var loans: [Loan] = []
        var index: [String: Int] = [:]
        var skipped = 0
        /// The newest decision's time and production model version.
        var newest: (Timestamp, String)?

        /// These decisions followed by `other`'s (read from disjoint ranges).
        func merged(with other: Decisions) -> Decisions {
            var all = self
            all.loans += other.loans
            all.index.reserveCapacity(index.count + other.index.count)
            for (id, i) in other.index { all.index[id] = i + loans.count }
            all.skipped += other.skipped
            if let theirs = other.newest, newest.map({ theirs.0 >= $0.0 }) ?? true { all.newest = theirs }
            return all
        }
    }

    static func readDecisions(_ store: any Store, _ queries: [RowQuery]) throws -> Decisions {
        var read = Decisions()
        let body = { (row: DecisionRow) in
            guard let loan = Self.validate(row) else {
                read.skipped += 1
                return
            }
            if let version = row.modelVersion, read.newest.map({ row.decidedAt >= $0.0 }) ?? true {
                read.newest = (row.decidedAt, version)
            }
            read.index[loan.id] = read.loans.count
            read.loans.append(loan)
        }
        for query in queries { try store.streamDecisions(query, body) }
        return read
    }

    static func readOutcomes(_ store: any Store, before end: Timestamp) throws -> [OutcomeRow] {
        var rows: [OutcomeRow] = []
        try store.streamOutcomes(RowQuery(before: end)) { rows.append($0) }
        return rows
    }

    /// Builds a history from loans already in memory (for tests).
    public init(loans: [Loan], ledger: [LedgerEntry]) {
        self.loans = loans
        self.ledger = ledger
        self.skippedRows = 0
    }

    static func validate(_ row: DecisionRow) -> Loan? {
        // The exporter's rule of sound features (`ApplicantFeatures.modelVector`): no model trains on a row
        // the exporter counts as unusable.
        guard row.defect == nil, let variant = row.variant.flatMap(Variant.init(rawValue:)),
            let approved = row.approved, let propensity = row.propensity, let score = row.score,
            let features = row.features.modelVector
        else { return nil }
        return Loan(
            id: row.applicationID, decidedAt: row.decidedAt, variant: variant, approved: approved,
            propensity: propensity, score: score, loanAmount: max(row.loanAmount ?? 0, 0),
            features: features, observedAt: nil, defaulted: nil, loss: 0)
    }
}

/// A store handed to exactly one other thread, which alone uses it until the hand-over ends: the
/// connection is never shared, so the unchecked Sendable is sound.
private struct Unshared: @unchecked Sendable {
    let value: any Store

    init(_ value: any Store) { self.value = value }
}
