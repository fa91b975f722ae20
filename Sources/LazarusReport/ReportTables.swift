import Foundation
import LazarusCore
import LazarusRender

/// The V1 vs V2 table: discrimination, approvals, off-policy value, blindness and quality gates.
struct ModelTable {
    let models: [ShadowReport.ModelSummary]

    func draw(_ canvas: PDFCanvas, x: Double, y: Double, width: Double) {
        let labelWidth = 170.0
        let columnWidth = (width - labelWidth) / Double(max(models.count, 1))
        func row(_ label: String, _ values: [String], y: Double, bold: Bool = false, shaded: Bool = false) {
            if shaded {
                canvas.setColor(red: 0.95, green: 0.96, blue: 0.98)
                canvas.fillRectangle(x: x, y: y - 10, width: width, height: 14)
            }
            canvas.setColor(Palette.ink)
            canvas.text(label, x: x + 4, y: y, size: 8, bold: bold)
            for (i, value) in values.enumerated() {
                canvas.text(value, x: x + labelWidth + Double(i) * columnWidth, y: y, size: 8, bold: bold)
            }
        }
        var cy = y
        row("", models.map(\.name), y: cy, bold: true)
        cy += 16
        let optionalDollars = { (v: Double?) in v.map { Format.dollars($0, cents: false) } ?? "n/a" }
        let lines: [(String, [String])] = [
            (
                "AUC on explore loans (95 % CI)",
                models.map { m in
                    m.auc.map {
                        Format.decimal($0, 3) + " (" + Format.decimal(m.aucLow ?? 0, 2) + "–"
                            + Format.decimal(m.aucHigh ?? 0, 2) + ")"
                    } ?? "n/a"
                }
            ),
            ("Approval rate (volume parity)", models.map { Format.percent($0.approvalRate) }),
            (
                "Default rate of approved, IPW (95 % CI)",
                models.map { m in
                    m.defaultRate.map {
                        Format.percent($0) + " (" + Format.percent(m.defaultRateLow ?? 0) + "–"
                            + Format.percent(m.defaultRateHigh ?? 0) + ")"
                    } ?? "n/a"
                }
            ),
            ("Expected revenue per 1,000 applicants", models.map { optionalDollars($0.expectedRevenue) }),
            ("Expected loss per 1,000 applicants", models.map { optionalDollars($0.expectedLoss) }),
            ("Profit per applicant", models.map { $0.profitPerApplicant.map { Format.dollars($0) } ?? "n/a" }),
            ("Blindness on rejected explore loans", models.map { $0.blindness.map { Format.decimal($0, 3) } ?? "n/a" }),
        ]
        for (i, line) in lines.enumerated() {
            row(line.0, line.1, y: cy, shaded: i % 2 == 0)
            cy += 14
        }
        let gateNames = models.first { !$0.gates.isEmpty }?.gates.map(\.name) ?? []
        for (g, name) in gateNames.enumerated() {
            let values = models.map { m -> String in
                guard g < m.gates.count else { return "incumbent" }
                return (m.gates[g].passed ? "pass · " : "FAIL · ") + m.gates[g].detail
            }
            row("Gate: " + name, values, y: cy, shaded: (lines.count + g) % 2 == 0)
            for (i, model) in models.enumerated() where g < model.gates.count {
                canvas.setColor(model.gates[g].passed ? Palette.repaid : Palette.defaulted)
                canvas.circle(x: x + labelWidth + Double(i) * columnWidth - 6, y: cy - 3, radius: 2.5)
            }
            cy += 14
        }
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
