import LazarusCore

extension ExperimentAggregate {
    /// Rows dated after the horizon (the reader's clock plus ``Timestamp/futureTolerance``), kept until they
    /// fall due and counted meanwhile as `future_timestamp`. Bounded: past ``maximumHeld`` rows per table the
    /// rest are only counted, with the earliest of their times, and when that falls due the state is rebuilt
    /// from the tables (``needsRebuild``).
    struct FutureRows: Sendable {
        static let maximumHeld = 100_000
        var decisions: [(row: DecisionRow, sequence: Int64)] = []
        var outcomes: [(row: OutcomeRow, decision: DecisionRow?)] = []
        var droppedDecisions = 0
        var droppedOutcomes = 0
        /// The earliest time among the rows not held.
        var earliestDropped: Timestamp?

        mutating func hold(_ row: DecisionRow, sequence: Int64) {
            guard decisions.count < Self.maximumHeld else {
                droppedDecisions += 1
                return drop(row.decidedAt)
            }
            decisions.append((row, sequence))
        }

        mutating func hold(_ row: OutcomeRow, decision: DecisionRow?, due: Timestamp) {
            guard outcomes.count < Self.maximumHeld else {
                droppedOutcomes += 1
                return drop(due)
            }
            outcomes.append((row, decision))
        }

        private mutating func drop(_ due: Timestamp) { earliestDropped = min(earliestDropped ?? due, due) }
    }

    /// When an outcome may count: once it was observed and its (valid) decision made.
    static func due(_ row: OutcomeRow, _ decision: DecisionRow?) -> Timestamp {
        guard let decision, decision.defect == nil else { return row.observedAt }
        return max(row.observedAt, decision.decidedAt)
    }

    /// Whether a row not held in memory has fallen due: only a rebuild from the tables can count it now.
    public var needsRebuild: Bool { future.earliestDropped.map { $0 <= horizon } ?? false }

    /// Moves the horizon to `horizon` and counts the held rows that fell due, decisions first so that an
    /// outcome finds its decision. Never moves the horizon back: a row once counted stays counted.
    /// - Returns: whether any held row was released.
    @discardableResult
    public mutating func advance(to horizon: Timestamp) -> Bool {
        guard horizon > self.horizon else { return false }
        self.horizon = horizon
        let decisions = future.decisions.filter { $0.row.decidedAt <= horizon }
        let outcomes = future.outcomes.filter { Self.due($0.row, $0.decision) <= horizon }
        guard !decisions.isEmpty || !outcomes.isEmpty else { return false }
        future.decisions.removeAll { $0.row.decidedAt <= horizon }
        future.outcomes.removeAll { Self.due($0.row, $0.decision) <= horizon }
        decisions.forEach { ingest($0.row, sequence: $0.sequence) }
        outcomes.forEach { ingest($0.row, decision: $0.decision) }
        return true
    }

    /// Rows of `table` not acted on because they are dated after the horizon.
    func futureCount(_ table: String) -> Double {
        switch table {
        case "lazarus_decisions": Double(future.decisions.count + future.droppedDecisions)
        case "lazarus_outcomes": Double(future.outcomes.count + future.droppedOutcomes)
        default: 0
        }
    }
}
