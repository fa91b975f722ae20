import Foundation
import LazarusCore
import LazarusRender

/// The remaining loss budget over the window: a step line against the grant.
struct BudgetChart {
    let points: [ShadowReport.BudgetPoint]

    func draw(_ canvas: PDFCanvas, x: Double, y: Double, width: Double, height: Double) -> Double {
        let times = points.compactMap { Timestamp(iso8601: $0.at)?.secondsSinceEpoch }
        guard let first = times.first, let last = times.last, last > first else {
            canvas.setColor(Palette.grey)
            canvas.text("No budget activity in this window.", x: x - 40, y: y + 12, size: 9)
            return y + 24
        }
        let values = points.flatMap { [$0.remaining, $0.granted] }
        let low = min(values.min() ?? 0, 0)
        let high = max(values.max() ?? 1, 1)
        let area = ChartArea(
            canvas: canvas, x: x, y: y, width: width, height: height, xRange: first...last, yRange: low...high * 1.08)
        area.drawAxes(
            xTitle: "time (UTC)", yTitle: "dollars",
            xLabel: { String(Timestamp(microseconds: Int64($0 * 1e6)).iso8601.dropFirst(5).prefix(5)) },
            yLabel: { Format.dollars($0, cents: false) })
        var granted: [(x: Double, y: Double)] = []
        var remaining: [(x: Double, y: Double)] = []
        for (i, point) in points.enumerated() {
            let px = area.px(times[i])
            if let previous = remaining.last { remaining.append((px, previous.y)) }
            if let previous = granted.last { granted.append((px, previous.y)) }
            remaining.append((px, area.py(point.remaining)))
            granted.append((px, area.py(point.granted)))
        }
        canvas.setColor(Palette.grey)
        canvas.polyline(granted, width: 1, dash: [3, 2])
        canvas.setColor(Palette.navy)
        canvas.polyline(remaining, width: 1.6)
        canvas.setColor(Palette.defaulted)
        canvas.polyline([(x, area.py(0)), (x + width, area.py(0))], width: 0.6, dash: [1, 2])
        canvas.setColor(Palette.ink)
        canvas.text("— remaining   - - granted in the period", x: x + width - 170, y: y - 4, size: 7)
        return y + height + 34
    }
}

/// Observed against predicted default rates for V1 and V2, with the diagonal of perfect calibration.
struct CalibrationChart {
    let bins: [ShadowReport.CalibrationBin]

    func draw(_ canvas: PDFCanvas, x: Double, y: Double, width: Double, height: Double) {
        let top = max(0.1, (bins.flatMap { [$0.predicted, $0.observed] }.max() ?? 0.1) * 1.1)
        let area = ChartArea(canvas: canvas, x: x, y: y, width: width, height: height, xRange: 0...top, yRange: 0...top)
        area.drawAxes(
            xTitle: "predicted default rate", yTitle: "observed default rate",
            xLabel: { Format.percent($0, 0) }, yLabel: { Format.percent($0, 0) })
        canvas.setColor(Palette.grey)
        canvas.polyline([(area.px(0), area.py(0)), (area.px(top), area.py(top))], width: 0.8, dash: [2, 2])
        let total = bins.reduce(0) { $0 + $1.weight }
        for (model, color) in [("V1", Palette.v1), ("V2", Palette.v2)] {
            let own = bins.filter { $0.model == model }
            canvas.setColor(color)
            canvas.polyline(own.map { (area.px($0.predicted), area.py($0.observed)) }, width: 1.2)
            for bin in own {
                let radius = 2 + 6 * (bin.weight / max(total, 1)).squareRoot()
                canvas.circle(
                    x: area.px(bin.predicted), y: area.py(bin.observed), radius: radius, filled: model == "V2")
            }
        }
        canvas.setColor(Palette.ink)
        canvas.text("V1 (orange rings) · V2 (teal dots) · size = weight", x: x + width + 16, y: y + 20, size: 7.5)
        if bins.isEmpty {
            canvas.text("No explore loan has an outcome yet.", x: x + width + 16, y: y + 34, size: 7.5)
        }
    }
}
