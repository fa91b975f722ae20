import LazarusCommandLine
import LazarusCore
import LazarusStore

/// The one-screen text of `lazarus-store summary`.
enum SummaryText {
    static func render(_ summary: StoreSummary, url: StoreURL) -> String {
        var lines = ["Lazarus store \(url) — schema v\(summary.schemaVersion)", ""]
        lines.append("  table                    rows   first                        last")
        lines.append(row("lazarus_decisions", summary.decisionCount, summary.decidedRange))
        lines.append(row("lazarus_outcomes", summary.outcomeCount, summary.observedRange))
        lines.append(row("lazarus_budget_ledger", summary.ledgerCount, nil))
        lines.append(row("lazarus_models", summary.modelCount, nil))
        if !summary.decisionGroups.isEmpty {
            lines += ["", "  decisions by variant, decision and reason"]
            for group in summary.decisionGroups.sorted(by: { $0.count > $1.count }) {
                let decision = group.approved.map { $0 ? "approve" : "reject" } ?? "(null)"
                lines.append(
                    "    " + pad(group.variant ?? "(null)", 12) + pad(decision, 9) + pad(group.reason ?? "(null)", 26)
                        + leftPad(Format.count(group.count), 10))
            }
        }
        if !summary.outcomeGroups.isEmpty {
            lines += ["", "  outcomes by variant"]
            for group in summary.outcomeGroups.sorted(by: { $0.count > $1.count }) {
                let outcome = group.defaulted.map { $0 ? "defaulted" : "repaid" } ?? "(null)"
                lines.append(
                    "    " + pad(group.variant ?? "(no decision)", 14) + pad(outcome, 10)
                        + leftPad(Format.count(group.count), 10) + leftPad(Format.dollars(group.lossDollars), 16)
                        + " lost")
            }
        }
        if summary.decisionCount == 0 {
            lines += ["", "  The store is empty: `lazarus-sim` fills it with a simulated experiment."]
        }
        return lines.joined(separator: "\n")
    }

    private static func row(_ table: String, _ count: Int, _ range: ClosedRange<Timestamp>?) -> String {
        let first = range.map { $0.lowerBound.iso8601 } ?? "-"
        let last = range.map { $0.upperBound.iso8601 } ?? "-"
        return "  " + pad(table, 22) + leftPad(Format.count(count), 8) + "   " + pad(first, 29) + last
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }

    private static func leftPad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }
}
