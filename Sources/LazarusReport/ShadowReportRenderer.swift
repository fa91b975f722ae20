import Foundation
import LazarusCore
import LazarusRender

/// Draws the shadow-mode report on A4 pages with Cairo.
struct ShadowReportRenderer {
    let report: ShadowReport
    let text: ReportText
    let margin = 48.0
    var contentWidth: Double { 595.28 - 2 * margin }

    func render(to path: String) throws {
        let canvas: PDFCanvas
        do {
            canvas = try PDFCanvas(path: path)
        } catch let error as RenderError {
            throw ReportError(.output, error.message)
        }
        canvas.setTitle("Lazarus shadow-mode report \(report.period)")
        coverPage(canvas)
        footer(canvas, page: 1)
        canvas.newPage()
        modelsPage(canvas)
        footer(canvas, page: 2)
        canvas.newPage()
        budgetPage(canvas)
        footer(canvas, page: 3)
        canvas.newPage()
        methodologyPage(canvas)
        footer(canvas, page: 4)
        do {
            try canvas.finish()
        } catch let error as RenderError {
            throw ReportError(.output, error.message)
        }
    }

    private func section(_ name: String) -> [String] { text.sections[name] ?? [] }

    private func footer(_ canvas: PDFCanvas, page: Int) {
        canvas.setColor(Palette.grey)
        canvas.text(
            "Lazarus · shadow-mode report \(report.period) · \(report.windowStart.prefix(10)) to "
                + "\(report.windowEnd.prefix(10)) (end exclusive) · page \(page) of 4", x: margin, y: 812, size: 7)
    }

    private func heading(_ canvas: PDFCanvas, _ title: String, y: Double) -> Double {
        canvas.setColor(Palette.navy)
        canvas.text(title, x: margin, y: y, size: 13, bold: true)
        canvas.fillRectangle(x: margin, y: y + 5, width: 40, height: 2)
        return y + 22
    }

    // MARK: page 1

    private func coverPage(_ canvas: PDFCanvas) {
        canvas.setColor(Palette.navy)
        canvas.fillRectangle(x: 0, y: 0, width: 595.28, height: 92)
        canvas.setColor(red: 1, green: 1, blue: 1)
        canvas.text("Project Lazarus · shadow-mode report", x: margin, y: 42, size: 20, bold: true)
        canvas.text(
            "\(report.period) · decisions \(report.windowStart.prefix(10)) to \(report.windowEnd.prefix(10)) "
                + "(end exclusive) · production against V0, V1 and V2", x: margin,
            y: 66,
            size: 9)
        var y = 130.0
        let headline = section("headline")
        canvas.setColor(Palette.ink)
        if let first = headline.first {
            y = canvas.paragraph(first, x: margin, y: y, width: contentWidth, size: 18, leading: 1.3, bold: true) + 6
        }
        canvas.setColor(Palette.grey)
        for paragraph in headline.dropFirst() {
            y = canvas.paragraph(paragraph, x: margin, y: y, width: contentWidth, size: 9.5) + 4
        }
        y = heading(canvas, "Key figures", y: y + 14)
        let k = report.keyFigures
        let e = report.exploration
        func value(_ v: ShadowReport.Value) -> (String, String) {
            guard let estimate = v.perWeekDollars, let low = v.low, let high = v.high else { return ("n/a", "") }
            let interval = "95 % CI " + Format.dollars(low, cents: false) + " to " + Format.dollars(high, cents: false)
            return (v.conclusive ? Format.dollars(estimate, cents: false) : "not conclusive", interval)
        }
        let blindness = report.modelsByName.production.blindness
        let exploration = value(report.valueOfExploration)
        let switching = value(report.valueOfSwitching)
        let cards: [(String, String, String)] = [
            ("Value of exploration / week (V2 − V0)", exploration.0, exploration.1),
            ("Value of switching / week (V2 − production)", switching.0, switching.1),
            (
                "Unsupported applicants left out", Format.count(report.cohort.unsupported),
                "propensity 0 where V2 and V0 disagree"
            ),
            (
                "Incremental explore losses (window)", Format.dollars(e.incrementalLossesDollars, cents: false),
                "\(Format.count(e.incrementalLoans)) outcomes of loans production would reject"
            ),
            (
                "Net P&L of those random approvals", Format.dollars(e.incrementalNetPnlDollars, cents: false),
                "repaid × LTV − losses"
            ),
            (
                "Explore losses the budget counted", Format.dollars(e.budgetLossesDollars, cents: false),
                e.budgetLossesOnApprovedAnywayShare.map { Format.percent($0, 0) + " on loans approved anyway" } ?? ""
            ),
            (
                "Budget remaining (current period)", Format.dollars(k.budgetRemaining, cents: false),
                "of " + Format.dollars(k.budgetGranted, cents: false) + " granted"
            ),
            (
                "Realised exploration rate", Format.percent(e.realisedRate, 2),
                "setting " + Format.percent(e.epsilon, 2)
            ),
            (
                "Break-even default probability",
                report.breakEvenDefaultProbability.map { Format.percent($0, 1) } ?? "n/a",
                "LTV / (LTV + mean loss)"
            ),
            (
                "Matured cohort: decisions up to", String(report.cohort.to.prefix(10)),
                "from \(report.cohort.from.prefix(10)) · \(Format.count(report.cohort.labelledLoans)) labelled, "
                    + "\(Format.count(report.cohort.missingOutcomes)) missing"
            ),
            (
                "Production blindness (rejected region)", blindness.map { Format.decimal($0.estimate, 2) } ?? "n/a",
                blindness.map { "95 % CI " + Format.decimal($0.low, 2) + "–" + Format.decimal($0.high, 2) }
                    ?? "\(report.modelsByName.production.samples) loans, too few"
            ),
            (
                "Effective sample size (V2 weights)", Format.decimal(k.effectiveSampleSize, 0),
                "of \(Format.count(k.labelledLoans)) labelled loans"
            ),
        ]
        let cardWidth = contentWidth / 3
        for (i, card) in cards.enumerated() {
            let cx = margin + Double(i % 3) * cardWidth
            let cy = y + Double(i / 3) * 46
            canvas.setColor(red: 0.95, green: 0.96, blue: 0.98)
            canvas.fillRectangle(x: cx, y: cy, width: cardWidth - 8, height: 40)
            canvas.setColor(Palette.grey)
            canvas.text(card.0, x: cx + 8, y: cy + 11, size: 6.5)
            canvas.setColor(Palette.ink)
            canvas.text(card.1, x: cx + 8, y: cy + 26, size: 12, bold: true)
            canvas.setColor(Palette.grey)
            canvas.text(card.2, x: cx + 8, y: cy + 36, size: 6)
        }
        y += Double((cards.count + 2) / 3) * 46 + 16
        y = heading(canvas, "Summary", y: y)
        canvas.setColor(Palette.ink)
        for paragraph in section("summary") {
            y = canvas.paragraph(paragraph, x: margin, y: y, width: contentWidth, size: 9.5) + 5
        }
        if !report.notes.isEmpty {
            y = heading(canvas, "Notes", y: y + 8)
            canvas.setColor(Palette.defaulted)
            for note in report.notes {
                y = canvas.paragraph("• " + note, x: margin, y: y, width: contentWidth, size: 9) + 3
            }
        }
    }

    // MARK: page 2

    private func modelsPage(_ canvas: PDFCanvas) {
        var y = heading(canvas, "Where the decision boundary moves", y: 60)
        if let boundary = report.boundary {
            y = BoundaryChart(boundary: boundary).draw(
                canvas, x: margin + 40, y: y + 14, width: contentWidth - 40, height: 230)
        } else {
            canvas.setColor(Palette.grey)
            y =
                canvas.paragraph(
                    "No decision-boundary chart: V1 and V2 could not be trained on this data.", x: margin, y: y + 10,
                    width: contentWidth, size: 10) + 10
        }
        canvas.setColor(Palette.ink)
        for paragraph in section("boundary") {
            y = canvas.paragraph(paragraph, x: margin, y: y, width: contentWidth, size: 8.5) + 3
        }
        y = heading(canvas, "Production, V0, V1 and V2 on the matured cohort", y: y + 14)
        let byName = report.modelsByName
        let named =
            [("production", byName.production)]
            + [("v0", byName.v0), ("v1", byName.v1), ("v2", byName.v2)]
            .compactMap { name, model in model.map { (name, $0) } }
        let columns = Array(named.prefix(report.models.count))
        y = ModelTable(
            models: report.models, values: report.offPolicy,
            quality: columns.map { _, m in
                .init(rejectedAuc: m.rejectedAuc, blindness: m.blindness, observedExpected: m.observedExpected)
            }, names: columns.map(\.0), differences: report.rejectedAucDifferences ?? [:]
        ).draw(canvas, x: margin, y: y, width: contentWidth)
        canvas.setColor(Palette.ink)
        for paragraph in section("models") {
            y = canvas.paragraph(paragraph, x: margin, y: y + 4, width: contentWidth, size: 8.5) + 3
        }
    }

    // MARK: page 3

    private func budgetPage(_ canvas: PDFCanvas) {
        var y = heading(canvas, "Coefficients: V1 → V2 (per standard deviation of each feature)", y: 60)
        y = CoefficientTable(rows: report.coefficients).draw(canvas, x: margin, y: y, width: contentWidth) + 16
        y = heading(canvas, "Budget burn-down in the window", y: y)
        y = BudgetChart(points: report.burnDown).draw(
            canvas, x: margin + 40, y: y, width: contentWidth - 40, height: 170)
        canvas.setColor(Palette.ink)
        for paragraph in section("budget") {
            y = canvas.paragraph(paragraph, x: margin, y: y, width: contentWidth, size: 8.5) + 3
        }
        y = heading(canvas, "Calibration on the explore sample (cross-fitted, weighted 1/propensity)", y: y + 12)
        CalibrationChart(bins: report.calibration).draw(canvas, x: margin + 40, y: y, width: 220, height: 170)
    }

    // MARK: page 4

    private func methodologyPage(_ canvas: PDFCanvas) {
        var y = heading(canvas, "Methodology", y: 60)
        canvas.setColor(Palette.ink)
        for paragraph in section("methodology") {
            y = canvas.paragraph(paragraph, x: margin, y: y, width: contentWidth, size: 9.5) + 6
        }
    }
}
