import Foundation
import LazarusCore
import LazarusRender

/// One model's figures on the rejected region, as the model table prints them.
struct RegionFigures {
    var rejectedAuc: RejectedRegionQuality.Interval?
    var blindness: RejectedRegionQuality.Interval?
    var observedExpected: RejectedRegionQuality.Interval?
}

/// The model table: discrimination, approvals, doubly robust values with intervals, blindness and gates.
struct ModelTable {
    let models: [ShadowReport.ModelSummary]
    let values: [ShadowReport.PolicyValue]
    /// Production, V0, V1, V2's rejected-region figures, in the columns' order.
    let quality: [RegionFigures]
    /// The columns' names in `modelsByName` (`production`, `v0`, `v1`, `v2`).
    let names: [String]
    let differences: [String: RejectedRegionQuality.Interval]

    /// Draws the table and returns the y below it. A figure with an interval prints the interval under it.
    func draw(_ canvas: PDFCanvas, x: Double, y: Double, width: Double) -> Double {
        let labelWidth = 150.0
        let columnWidth = (width - labelWidth) / Double(max(models.count, 1))
        // Text cut to its column, so that no cell runs into the next.
        func fitted(_ text: String, size: Double, bold: Bool = false) -> String {
            var cut = text
            while cut.count > 1, canvas.textWidth(cut, size: size, bold: bold) > columnWidth - 6 {
                cut = String(cut.dropLast(2)) + "…"
            }
            return cut
        }
        var cy = y
        var shaded = false
        func row(_ label: String, _ cells: [(String, String?)], bold: Bool = false) {
            let twoLines = cells.contains { $0.1 != nil }
            let height = twoLines ? 22.0 : 14.0
            if shaded {
                canvas.setColor(red: 0.95, green: 0.96, blue: 0.98)
                canvas.fillRectangle(x: x, y: cy - 10, width: width, height: height)
            }
            shaded.toggle()
            canvas.setColor(Palette.ink)
            canvas.text(label, x: x + 4, y: cy, size: 7.5, bold: bold)
            for (i, cell) in cells.enumerated() {
                let cx = x + labelWidth + Double(i) * columnWidth
                canvas.setColor(Palette.ink)
                canvas.text(fitted(cell.0, size: 7.5, bold: bold), x: cx, y: cy, size: 7.5, bold: bold)
                if let below = cell.1 {
                    canvas.setColor(Palette.grey)
                    canvas.text(fitted(below, size: 6.5), x: cx, y: cy + 9, size: 6.5)
                }
            }
            cy += height
        }
        func dollars(_ v: ShadowReport.PerApplicant?) -> (String, String?) {
            guard let v else { return ("—", nil) }
            return (Format.dollars(v.dollars), "(" + Format.dollars(v.low) + " to " + Format.dollars(v.high) + ")")
        }
        let valueOf = { (i: Int) in i < values.count ? values[i] : nil }
        row("", models.map { ($0.name, nil) }, bold: true)
        shaded = true
        func interval(_ v: RejectedRegionQuality.Interval?, _ digits: Int) -> (String, String?) {
            guard let v else { return ("n/a", nil) }
            return (
                Format.decimal(v.estimate, digits),
                "(" + Format.decimal(v.low, digits) + " to " + Format.decimal(v.high, digits) + ")"
            )
        }
        row("Within-region AUC (95 % CI)", quality.map { interval($0.rejectedAuc, 3) })
        row(
            "  V2 minus this model, paired",
            names.map { name -> (String, String?) in
                let key = name == "v1" ? "v2MinusV1" : name == "v0" ? "v2MinusV0" : ""
                return differences[key].map { interval($0, 3) } ?? ("—", nil)
            })
        row("Blindness, rejected region", quality.map { interval($0.blindness, 3) })
        row("Observed / expected defaults", quality.map { interval($0.observedExpected, 2) })
        row(
            "Default rate of approved, IPW",
            models.map { m in
                guard let rate = m.defaultRate else { return ("n/a", nil) }
                return (
                    Format.percent(rate),
                    "(" + Format.percent(m.defaultRateLow ?? 0) + " to " + Format.percent(m.defaultRateHigh ?? 0) + ")"
                )
            })
        row("Profit per applicant", models.indices.map { dollars(valueOf($0)?.profitPerApplicant) })
        row("  paired, minus production", models.indices.map { dollars(valueOf($0)?.versusProduction) })
        row("  paired, minus V0", models.indices.map { dollars(valueOf($0)?.versusV0) })
        let gateNames = models.first { !$0.gates.isEmpty }?.gates.map(\.name) ?? []
        for (g, name) in gateNames.enumerated() {
            let top = cy
            row(
                "Gate: " + name,
                models.map { m in
                    guard g < m.gates.count else { return ("incumbent", nil) }
                    return ((m.gates[g].passed ? "pass · " : "FAIL · ") + m.gates[g].detail, nil)
                })
            for (i, model) in models.enumerated() where g < model.gates.count {
                canvas.setColor(model.gates[g].passed ? Palette.repaid : Palette.defaulted)
                canvas.circle(x: x + labelWidth + Double(i) * columnWidth - 6, y: top - 3, radius: 2.5)
            }
        }
        return cy
    }
}

/// V1 → V2 per standard deviation of each feature, with the z of each change: no percentage, which near a
/// zero coefficient means nothing.
struct CoefficientTable {
    let rows: [ShadowReport.Coefficient]

    func draw(_ canvas: PDFCanvas, x: Double, y: Double, width: Double) -> Double {
        var cy = y
        let columns = [x + 4, x + 140, x + 225, x + 310, x + 390]
        canvas.setColor(Palette.ink)
        for (i, title) in ["feature", "V1 (standard)", "V2 (causal)", "change", "z of change"].enumerated() {
            canvas.text(title, x: columns[i], y: cy, size: 8, bold: true)
        }
        cy += 15
        if rows.isEmpty {
            canvas.setColor(Palette.grey)
            canvas.text("No models were trained.", x: x + 4, y: cy, size: 8)
            return cy + 14
        }
        for (i, row) in rows.enumerated() {
            if i % 2 == 0 {
                canvas.setColor(red: 0.95, green: 0.96, blue: 0.98)
                canvas.fillRectangle(x: x, y: cy - 10, width: width, height: 14)
            }
            let (a, b) = (row.v1Standardised ?? row.v1, row.v2Standardised ?? row.v2)
            let z = row.changeZ
            canvas.setColor(Palette.ink)
            canvas.text(row.feature.replacingOccurrences(of: "_", with: " "), x: columns[0], y: cy, size: 8)
            canvas.text(Format.decimal(a, 3), x: columns[1], y: cy, size: 8)
            canvas.text(Format.decimal(b, 3), x: columns[2], y: cy, size: 8)
            canvas.text((b >= a ? "+" : "") + Format.decimal(b - a, 3), x: columns[3], y: cy, size: 8)
            canvas.text(
                z.map { Format.decimal($0, 2) + (abs($0) >= 1.96 ? "  (significant)" : "") } ?? "n/a", x: columns[4],
                y: cy, size: 8, bold: z.map { abs($0) >= 1.96 } ?? false)
            cy += 14
        }
        canvas.setColor(Palette.grey)
        cy = canvas.paragraph(
            "Coefficients of the predicted default log-odds per standard deviation of each feature on the labelled "
                + "loans (the intercept as is); z = change / √(se1² + se2²) with robust standard errors. Both models "
                + "learn from the same loans, so |z| ≥ 1.96 is a guide, not a test.", x: x + 4, y: cy + 4,
            width: width - 8, size: 7)
        return cy
    }

    /// Four significant digits, in scientific notation when the magnitude calls for it.
    static func scientific(_ value: Double) -> String {
        guard value.isFinite else { return "n/a" }
        guard value != 0 else { return "0" }
        let exponent = Int(floor(log10(abs(value))))
        if (-3...4).contains(exponent) { return Format.decimal(value, max(0, 3 - exponent)) }
        return Format.decimal(value / pow(10, Double(exponent)), 3) + "e" + String(exponent)
    }
}
