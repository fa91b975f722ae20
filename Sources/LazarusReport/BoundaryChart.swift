import Foundation
import LazarusCore
import LazarusRender

/// Income × credit history: loans coloured by outcome, V1's and V2's boundaries, the newly approved region.
struct BoundaryChart {
    let boundary: ShadowReport.Boundary

    func draw(_ canvas: PDFCanvas, x: Double, y: Double, width: Double, height: Double) -> Double {
        let xs = boundary.points.map(\.x).sorted()
        let ys = boundary.points.map(\.y).sorted()
        let xMax = xs.isEmpty ? 100_000 : xs[min(xs.count - 1, Int(0.98 * Double(xs.count)))]
        let yMax = ys.isEmpty ? 240 : max(ys[min(ys.count - 1, Int(0.98 * Double(ys.count)))], 24)
        let area = ChartArea(
            canvas: canvas, x: x, y: y, width: width, height: height, xRange: 0...xMax * 1.05, yRange: 0...yMax * 1.05)
        area.drawAxes(
            xTitle: "annual income (dollars)", yTitle: "credit history (months)",
            xLabel: { Format.dollars($0 / 1000, cents: false) + "k" }, yLabel: { Format.decimal($0, 0) })
        canvas.beginClip(x: x, y: y, width: width, height: height)
        shadeRegion(area)
        for point in boundary.points where !point.explore {
            canvas.setColor(point.defaulted ? Palette.defaulted : Palette.repaid, alpha: 0.35)
            canvas.circle(x: area.px(point.x), y: area.py(point.y), radius: 1.3)
        }
        for point in boundary.points where point.explore {
            canvas.setColor(point.defaulted ? Palette.defaulted : Palette.repaid)
            canvas.circle(x: area.px(point.x), y: area.py(point.y), radius: 2.6, filled: false, lineWidth: 1)
        }
        drawLine(area, boundary.v1, color: Palette.v1, dash: [5, 3])
        drawLine(area, boundary.v2, color: Palette.v2, dash: [])
        canvas.endClip()
        if let label = boundary.regionLabel {
            canvas.setColor(Palette.v2)
            let text = "Newly approved by V2: \(label)"
            canvas.text(text, x: x + width - canvas.textWidth(text, size: 9, bold: true), y: y - 6, size: 9, bold: true)
        }
        return legend(canvas, x: x - 40, y: y + height + 38)
    }

    /// Cells where V2 approves and V1 does not, shaded.
    private func shadeRegion(_ area: ChartArea) {
        let steps = 80
        let cellWidth = area.width / Double(steps)
        let cellHeight = area.height / Double(steps)
        area.canvas.setColor(Palette.v2, alpha: 0.13)
        for i in 0..<steps {
            for k in 0..<steps {
                let px = area.x + (Double(i) + 0.5) * cellWidth
                let py = area.y + (Double(k) + 0.5) * cellHeight
                let dataX =
                    area.xRange.lowerBound + (px - area.x) / area.width
                    * (area.xRange.upperBound - area.xRange.lowerBound)
                let dataY =
                    area.yRange.upperBound - (py - area.y) / area.height
                    * (area.yRange.upperBound - area.yRange.lowerBound)
                if approves(boundary.v2, dataX, dataY), !approves(boundary.v1, dataX, dataY) {
                    area.canvas.fillRectangle(
                        x: area.x + Double(i) * cellWidth, y: area.y + Double(k) * cellHeight,
                        width: cellWidth + 0.2, height: cellHeight + 0.2)
                }
            }
        }
    }

    private func approves(_ line: ShadowReport.Boundary.Line, _ x: Double, _ y: Double) -> Bool {
        let onLine = line.intercept + line.slope * x
        return line.approveAbove ? y >= onLine : y <= onLine
    }

    private func drawLine(
        _ area: ChartArea, _ line: ShadowReport.Boundary.Line, color: (Double, Double, Double), dash: [Double]
    ) {
        let x0 = area.xRange.lowerBound
        let x1 = area.xRange.upperBound
        area.canvas.setColor(color)
        area.canvas.polyline(
            [
                (area.px(x0), area.py(line.intercept + line.slope * x0)),
                (area.px(x1), area.py(line.intercept + line.slope * x1)),
            ],
            width: 2, dash: dash)
    }

    private func legend(_ canvas: PDFCanvas, x: Double, y: Double) -> Double {
        var cx = x
        func item(_ label: String, draw: (Double) -> Void) {
            draw(cx)
            canvas.setColor(Palette.ink)
            canvas.text(label, x: cx + 14, y: y + 3, size: 7.5)
            cx += 14 + canvas.textWidth(label, size: 7.5) + 14
        }
        item("repaid") { cx in
            canvas.setColor(Palette.repaid, alpha: 0.6)
            canvas.circle(x: cx + 5, y: y, radius: 2)
        }
        item("defaulted") { cx in
            canvas.setColor(Palette.defaulted, alpha: 0.6)
            canvas.circle(x: cx + 5, y: y, radius: 2)
        }
        item("explore loan (ring)") { cx in
            canvas.setColor(Palette.grey)
            canvas.circle(x: cx + 5, y: y, radius: 3, filled: false)
        }
        item("V1 boundary") { cx in
            canvas.setColor(Palette.v1)
            canvas.polyline([(cx, y), (cx + 11, y)], width: 2, dash: [3, 2])
        }
        item("V2 boundary") { cx in
            canvas.setColor(Palette.v2)
            canvas.polyline([(cx, y), (cx + 11, y)], width: 2)
        }
        item("approved by V2 only") { cx in
            canvas.setColor(Palette.v2, alpha: 0.25)
            canvas.fillRectangle(x: cx, y: y - 4, width: 11, height: 8)
        }
        return y + 16
    }
}
