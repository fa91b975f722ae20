import Foundation
import LazarusCore
import Mustache

/// The report's wording: a Mustache template rendered with the computed numbers, split into sections.
///
/// The template is plain text; a line `## name` starts the section `name`. The renderer places the
/// sections it knows (`headline`, `summary`, `boundary`, `budget`, `methodology`) and ignores others.
struct ReportText {
    let sections: [String: [String]]

    /// Renders the template at `path` with the report's values.
    /// - Throws: ``ReportError`` with code `template` for a missing, unreadable or malformed template.
    init(templatePath: String, report: ShadowReport) throws {
        guard let source = try? String(contentsOfFile: templatePath, encoding: .utf8) else {
            throw ReportError(.template, "cannot read the report template '\(templatePath)'")
        }
        let template: MustacheTemplate
        do {
            template = try MustacheTemplate(string: source)
        } catch {
            throw ReportError(.template, "the report template '\(templatePath)' is not valid Mustache: \(error)")
        }
        var sections: [String: [String]] = [:]
        var current = "preamble"
        var paragraph: [String] = []
        func flush() {
            if !paragraph.isEmpty { sections[current, default: []].append(paragraph.joined(separator: " ")) }
            paragraph = []
        }
        for line in template.render(Self.values(report)).split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("## ") {
                flush()
                current = String(trimmed.dropFirst(3))
            } else if trimmed.isEmpty {
                flush()
            } else {
                paragraph.append(trimmed)
            }
        }
        flush()
        self.sections = sections
    }

    /// The values the template may use: every number already formatted, and flags for conditions.
    static func values(_ r: ShadowReport) -> [String: Any] {
        let k = r.keyFigures
        let h = r.headline
        let t = r.headlineToDate
        var values: [String: Any] = [
            "period": r.period,
            "windowStart": String(r.windowStart.prefix(10)),
            "windowEnd": String(r.windowEnd.prefix(10)),
            "explorationCost": Format.dollars(h.explorationCost, cents: false),
            "revenueUnlocked": Format.dollars(h.revenueUnlocked, cents: false),
            "revenueLow": Format.dollars(h.revenueUnlockedLow, cents: false),
            "revenueHigh": Format.dollars(h.revenueUnlockedHigh, cents: false),
            "headlineSamples": Format.count(h.samples),
            "conclusive": h.conclusive,
            "inconclusive": !h.conclusive,
            "toDateCost": Format.dollars(t.explorationCost, cents: false),
            "toDateRevenue": Format.dollars(t.revenueUnlocked, cents: false),
            "toDateLow": Format.dollars(t.revenueUnlockedLow, cents: false),
            "toDateHigh": Format.dollars(t.revenueUnlockedHigh, cents: false),
            "toDateSamples": Format.count(t.samples),
            "toDateConclusive": t.conclusive,
            "panelLift": Format.dollars(h.panelLift, cents: false),
            "goodLoansFound": Format.count(h.goodLoansFound),
            "ltv": Format.dollars(r.settings.lifetimeValue, cents: false),
            "epsilon": Format.percent(r.settings.epsilon, 1),
            "folds": String(r.settings.folds),
            "exploreLoans": Format.count(k.exploreLoans),
            "decisions": Format.count(k.decisions),
            "labelledLoans": Format.count(k.labelledLoans),
            "ess": Format.decimal(k.effectiveSampleSize, 0),
            "budgetRemaining": Format.dollars(k.budgetRemaining, cents: false),
            "hasModels": r.models.count > 1,
            "noModels": r.models.count <= 1,
        ]
        if let boundary = r.boundary {
            values["regionLabel"] = boundary.regionLabel ?? "no distinct group"
            values["hasRegion"] = boundary.regionLabel != nil
            values["heldAt"] = boundary.heldAt.sorted { $0.key < $1.key }
                .map {
                    "\($0.key.replacingOccurrences(of: "_", with: " ")) \(Format.decimal($0.value, $0.value < 10 ? 2 : 0))"
                }
                .joined(separator: ", ")
        }
        return values
    }
}
