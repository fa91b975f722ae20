import Foundation
import LazarusCore
import LazarusRender

/// The model table: discrimination, approvals, doubly robust values with intervals, blindness and gates.
struct ModelTable {
    let models: [ShadowReport.ModelSummary]
    let values: [ShadowReport.PolicyValue]

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
        row(
            "AUC on explore loans (95 % CI)",
            models.map { m in
                guard let auc = m.auc else { return ("n/a", nil) }
                return (
                    Format.decimal(auc, 3),
                    "(" + Format.decimal(m.aucLow ?? 0, 2) + " to " + Format.decimal(m.aucHigh ?? 0, 2) + ")"
                )
            })
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
        row("Blindness, rejected region", models.map { ($0.blindness.map { Format.decimal($0, 3) } ?? "n/a", nil) })
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

/// Old weight → new weight, with the change in per cent.
struct CoefficientTable {
    let rows: [ShadowReport.Coefficient]

    func draw(_ canvas: PDFCanvas, x: Double, y: Double, width: Double) -> Double {
        var cy = y
        let columns = [x + 4, x + 180, x + 300, x + 420]
        canvas.setColor(Palette.ink)
        for (i, title) in ["feature", "V1 (standard)", "V2 (causal)", "change"].enumerated() {
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
            canvas.setColor(Palette.ink)
            canvas.text(row.feature.replacingOccurrences(of: "_", with: " "), x: columns[0], y: cy, size: 8)
            canvas.text(Self.scientific(row.v1), x: columns[1], y: cy, size: 8)
            canvas.text(Self.scientific(row.v2), x: columns[2], y: cy, size: 8)
            canvas.text(
                row.change.map { ($0 >= 0 ? "+" : "") + Format.percent($0, 0) } ?? "new", x: columns[3], y: cy, size: 8)
            cy += 14
        }
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
