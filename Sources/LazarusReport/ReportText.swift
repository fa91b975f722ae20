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
        // The parser recurses once per open section: thousands deep overflowed the stack (SIGSEGV).
        let depth = Self.sectionDepth(source)
        guard depth <= Self.maximumDepth else {
            throw ReportError(
                .template,
                "the report template '\(templatePath)' nests sections \(depth) deep; at most \(Self.maximumDepth)")
        }
        let template: MustacheTemplate
        do {
            template = try MustacheTemplate(string: source)
        } catch let error as MustacheTemplate.ParserError {
            throw ReportError(
                .template,
                "the report template '\(templatePath)' is not valid Mustache at line \(error.context.lineNumber): \(Self.describe(error.error))"
            )
        } catch {
            throw ReportError(.template, "the report template '\(templatePath)' is not valid Mustache")
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
        let e = r.exploration
        let voe = r.valueOfExploration
        let vos = r.valueOfSwitching
        let money = { (value: Double?) in value.map { Format.dollars($0, cents: false) } ?? "n/a" }
        let hasValue = voe.perWeekDollars != nil
        var values: [String: Any] = [
            "period": r.period,
            "windowStart": String(r.windowStart.prefix(10)),
            "windowEnd": String(r.windowEnd.prefix(10)),
            "cutoff": String(r.cutoff.prefix(10)),
            "performanceWindow": String(r.performanceWindowDays),
            "cohortFrom": String(r.cohort.from.prefix(10)),
            "cohortTo": String(r.cohort.to.prefix(10)),
            "eligible": Format.count(r.cohort.eligible),
            "unsupported": Format.count(r.cohort.unsupported),
            "missingOutcomes": Format.count(r.cohort.missingOutcomes),
            "labelledLoans": Format.count(r.cohort.labelledLoans),
            "hasValue": hasValue,
            "voeAdds": voe.conclusive && (voe.perWeekDollars ?? 0) > 0,
            "voeCosts": voe.conclusive && (voe.perWeekDollars ?? 0) < 0,
            "voeInconclusive": hasValue && !voe.conclusive,
            "voeNone": !hasValue,
            "voeReason": voe.reason ?? "no estimate",
            "voePerWeek": money(voe.perWeekDollars),
            "voeLoss": money(voe.perWeekDollars.map { -$0 }),
            "voeLow": money(voe.low),
            "voeHigh": money(voe.high),
            "vosPerWeek": money(vos.perWeekDollars),
            "vosLow": money(vos.low),
            "vosHigh": money(vos.high),
            "vosConclusive": vos.conclusive,
            "voeConclusive": voe.conclusive,
            "incrementalLoans": Format.count(e.incrementalLoans),
            "incrementalDefaults": Format.count(e.incrementalDefaults),
            "incrementalLosses": Format.dollars(e.incrementalLossesDollars, cents: false),
            "incrementalNet": Format.dollars(e.incrementalNetPnlDollars, cents: false),
            "budgetLosses": Format.dollars(e.budgetLossesDollars, cents: false),
            "mostlyApprovedAnyway": (e.budgetLossesOnApprovedAnywayShare ?? 0) > 0.5,
            "approvedAnywayShare": Format.percent(e.budgetLossesOnApprovedAnywayShare ?? 0, 0),
            "realisedRate": Format.percent(e.realisedRate, 2),
            "exploreDecisions": Format.count(e.exploreDecisions),
            "approvalShare": Format.percent(r.offPolicy.first?.approvalShare ?? 0, 1),
            "explorationCost": Format.dollars(h.explorationCost, cents: false),
            "ltv": Format.dollars(r.settings.lifetimeValue, cents: false),
            "epsilon": Format.percent(r.settings.epsilon, 1),
            "folds": String(r.settings.folds),
            "exploreLoans": Format.count(k.exploreLoans),
            "decisions": Format.count(k.decisions),
            "ess": Format.decimal(k.effectiveSampleSize, 0),
            "budgetRemaining": Format.dollars(k.budgetRemaining, cents: false),
            "hasModels": r.models.count > 1,
            "noModels": r.models.count <= 1,
        ]
        if let b = r.breakEvenDefaultProbability, b > 0 {
            values["hasBreakEven"] = true
            values["breakEven"] = Format.percent(b, 1)
            values["meanLoss"] = Format.dollars(r.settings.lifetimeValue * (1 - b) / b, cents: false)
        }
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

    /// How deep sections may nest: the shipped template uses 2.
    static let maximumDepth = 64

    /// The deepest nesting of sections (`{{#`, `{{^`, `{{$`, `{{<` open one, `{{/` closes it), counted on
    /// the text before parsing.
    static func sectionDepth(_ source: String) -> Int {
        var (depth, deepest) = (0, 0)
        var rest = Substring(source)
        while let open = rest.range(of: "{{") {
            rest = rest[open.upperBound...]
            guard let sigil = rest.first else { break }
            if "#^$<".contains(sigil) {
                depth += 1
                deepest = max(deepest, depth)
            } else if sigil == "/" {
                depth = max(depth - 1, 0)
            }
        }
        return deepest
    }

    /// The parser's error as words, not a debug dump of its context.
    static func describe(_ error: any Error) -> String {
        guard let error = error as? MustacheTemplate.Error else { return "it cannot be parsed" }
        switch error {
        case .sectionCloseNameIncorrect: return "a section is closed with another section's name"
        case .unfinishedName: return "a tag is not closed"
        case .expectedSectionEnd: return "a section is never closed"
        default:
            return "\(error)".replacingOccurrences(of: "([A-Z])", with: " $1", options: .regularExpression).lowercased()
        }
    }
}
