import Foundation
import LazarusCore
import LazarusRender

/// A plotting rectangle on a page with data ranges, axes and ticks.
struct ChartArea {
    let canvas: PDFCanvas
    let x: Double
    let y: Double
    let width: Double
    let height: Double
    let xRange: ClosedRange<Double>
    let yRange: ClosedRange<Double>

    func px(_ value: Double) -> Double {
        x + (value - xRange.lowerBound) / max(xRange.upperBound - xRange.lowerBound, 1e-12) * width
    }

    func py(_ value: Double) -> Double {
        y + height - (value - yRange.lowerBound) / max(yRange.upperBound - yRange.lowerBound, 1e-12) * height
    }

    /// Frame, grid, ticks with labels, and axis titles.
    func drawAxes(xTitle: String, yTitle: String, xLabel: (Double) -> String, yLabel: (Double) -> String) {
        canvas.setColor(red: 0.93, green: 0.94, blue: 0.96)
        for tick in Self.ticks(yRange) { canvas.line(from: (x, py(tick)), to: (x + width, py(tick)), width: 0.5) }
        for tick in Self.ticks(xRange) { canvas.line(from: (px(tick), y), to: (px(tick), y + height), width: 0.5) }
        canvas.setColor(red: 0.35, green: 0.38, blue: 0.42)
        canvas.strokeRectangle(x: x, y: y, width: width, height: height, lineWidth: 0.8)
        for tick in Self.ticks(xRange) {
            let label = xLabel(tick)
            canvas.text(label, x: px(tick) - canvas.textWidth(label, size: 7) / 2, y: y + height + 10, size: 7)
        }
        for tick in Self.ticks(yRange) {
            let label = yLabel(tick)
            canvas.text(label, x: x - canvas.textWidth(label, size: 7) - 4, y: py(tick) + 2.5, size: 7)
        }
        canvas.text(xTitle, x: x + width / 2 - canvas.textWidth(xTitle, size: 8) / 2, y: y + height + 22, size: 8)
        canvas.verticalText(yTitle, x: x - 34, y: y + height / 2 + canvas.textWidth(yTitle, size: 8) / 2, size: 8)
    }

    /// About five round-numbered ticks inside a range (1, 2 or 5 times a power of ten apart).
    static func ticks(_ range: ClosedRange<Double>) -> [Double] {
        let span = range.upperBound - range.lowerBound
        guard span > 0, span.isFinite else { return [range.lowerBound] }
        let rough = span / 5
        let power = pow(10, floor(log10(rough)))
        let step = [1.0, 2, 5, 10].map { $0 * power }.first { $0 >= rough } ?? 10 * power
        var ticks: [Double] = []
        var tick = (range.lowerBound / step).rounded(.up) * step
        while tick <= range.upperBound + step * 1e-9 {
            ticks.append(abs(tick) < step * 1e-9 ? 0 : tick)
            tick += step
        }
        return ticks
    }
}

/// Colours of the report, as RGB in 0…1.
enum Palette {
    static let navy = (0.12, 0.23, 0.37)
    static let v1 = (0.85, 0.45, 0.10)
    static let v2 = (0.00, 0.50, 0.52)
    static let repaid = (0.20, 0.60, 0.32)
    static let defaulted = (0.80, 0.16, 0.16)
    static let grey = (0.45, 0.47, 0.50)
    static let ink = (0.12, 0.13, 0.15)
}

extension PDFCanvas {
    func setColor(_ rgb: (Double, Double, Double), alpha: Double = 1) {
        setColor(red: rgb.0, green: rgb.1, blue: rgb.2, alpha: alpha)
    }

    /// Draws text wrapped to a width; returns the y of the next line.
    @discardableResult
    func paragraph(
        _ text: String, x: Double, y: Double, width: Double, size: Double, leading: Double = 1.4, bold: Bool = false
    )
        -> Double
    {
        var line = ""
        var cursor = y
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            let candidate = line.isEmpty ? String(word) : line + " " + word
            if textWidth(candidate, size: size, bold: bold) > width, !line.isEmpty {
                self.text(line, x: x, y: cursor, size: size, bold: bold)
                cursor += size * leading
                line = String(word)
            } else {
                line = candidate
            }
        }
        if !line.isEmpty {
            self.text(line, x: x, y: cursor, size: size, bold: bold)
            cursor += size * leading
        }
        return cursor
    }
}
