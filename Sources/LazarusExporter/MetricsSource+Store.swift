import LazarusCore
import LazarusMetrics
import LazarusStore

extension MetricsSource {
    /// The reads of a store: the cold start's snapshot, and incremental reads on the ingest sequences.
    /// - Parameter store: an open store; used only on the caller's thread.
    /// - Returns: the source.
    public static func store(_ store: any Store) -> MetricsSource {
        MetricsSource(
            coldStart: { perDay, recent, horizon in
                try store.coldStartSnapshot(samplePerDay: perDay, recentSequences: recent, horizon: horizon)
            },
            snapshot: { reads in try store.readSnapshot(reads) },
            decisions: { after, body in
                try store.streamDecisions(RowQuery(afterSequence: after), sequenced: body)
            },
            outcomes: { after, body in try store.streamOutcomeMatches(RowQuery(afterSequence: after), body) },
            ledger: { try store.ledger() }, models: { try store.models() }, rowCounts: { try store.rowCounts() })
    }
}
