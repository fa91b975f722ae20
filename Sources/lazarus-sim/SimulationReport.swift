import LazarusCommandLine
import LazarusCore
import LazarusSimulation
import LazarusStore

/// The one-screen summary `lazarus-sim` prints at the end.
enum SimulationReport {
    static func render(
        _ summary: SimulationSummary, settings: SimulationSettings, ltv: Double, store: StoreURL
    ) -> String {
        let per = settings.budgetPeriod == .day ? "per day" : "once"
        var lines = [
            "Simulated \(Format.count(settings.applications)) applications over \(settings.days) days "
                + "from \(settings.start.iso8601.prefix(10)) (seed \(settings.seed)) into \(store)",
            "  epsilon \(settings.policy.epsilon), risk threshold \(settings.policy.riskThreshold), "
                + "loss budget \(Format.dollars(settings.lossBudget)) \(per), LTV \(Format.dollars(ltv))",
            "",
            "  decisions by variant and reason",
        ]
        for (key, count) in summary.decisions.sorted(by: { $0.key < $1.key }) {
            lines.append(
                "    " + key.variant.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0)
                    + key.reason.rawValue.padding(toLength: 26, withPad: " ", startingAt: 0) + pad(Format.count(count)))
        }
        let pendingExplore = summary.pending[.explore] ?? 0
        let pendingTotal = summary.pending.values.reduce(0, +)
        lines += [
            "",
            line(
                "explore loans", Format.count(summary.exploreLoans),
                "\(Format.count(summary.exploreLoansToRejected)) to applicants the model rejected"),
            line("explore defaults observed", Format.count(summary.exploreDefaults)),
            line("loss spent", Format.dollars(summary.explorationLosses), "explore losses observed, all periods"),
            line(
                "budget left", Format.dollars(summary.budgetRemaining),
                "of \(Format.dollars(summary.budgetGranted)) in the last period; "
                    + "\(summary.exhaustedPeriods) period(s) ran out"),
            line(
                "good loans found", Format.count(summary.goodLoansFound),
                "explore loans to rejected applicants that repaid"),
            line(
                "pending outcomes", Format.count(pendingTotal),
                "\(Format.count(pendingExplore)) explore, \(Format.count(pendingTotal - pendingExplore)) other"),
            line(
                "outcomes observed", Format.count(summary.observedOutcomes),
                "\(Format.count(summary.thinFileHighEarnerExploreOutcomes)) explore ones in the thin-file, high-income segment"
            ),
        ]
        return lines.joined(separator: "\n")
    }

    private static func line(_ label: String, _ value: String, _ note: String? = nil) -> String {
        "  " + label.padding(toLength: 26, withPad: " ", startingAt: 0) + pad(value, 12)
            + (note.map { "   (\($0))" } ?? "")
    }

    private static func pad(_ text: String, _ width: Int = 9) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }
}
