import Foundation
import LazarusRender
import Testing

@Suite("PDF canvas (Cairo)")
struct PDFCanvasTests {
    @Test("renders a page that poppler reads back")
    func rendersReadablePDF() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lazarus-\(UUID().uuidString).pdf")
            .path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let canvas = try PDFCanvas(path: path)
        canvas.setTitle("Lazarus smoke test")
        canvas.setColor(red: 0.1, green: 0.2, blue: 0.4)
        canvas.fillRectangle(x: 40, y: 40, width: 515, height: 4)
        canvas.text("Cost of knowledge: $1,000 budget", x: 40, y: 80, size: 18, bold: true)
        canvas.line(from: (40, 100), to: (555, 100))
        #expect(canvas.textWidth("abc", size: 12) > 0)
        canvas.newPage()
        canvas.text("Page two", x: 40, y: 80, size: 12)
        try canvas.finish()

        let info = try pdfinfo(path)
        #expect(info["Pages"] == "2")
        #expect(info["Title"] == "Lazarus smoke test")
        let text = try run("/usr/bin/pdftotext", [path, "-"])
        #expect(text.contains("Cost of knowledge: $1,000 budget"))
        #expect(text.contains("Page two"))
    }

    @Test("an unwritable path is a clear error")
    func unwritable() {
        #expect(throws: RenderError.self) {
            let canvas = try PDFCanvas(path: "/nonexistent-lazarus-dir/report.pdf")
            try canvas.finish()
        }
    }

    /// `pdfinfo`'s "Key:   value" lines as a dictionary.
    private func pdfinfo(_ path: String) throws -> [String: String] {
        var fields: [String: String] = [:]
        for line in try run("/usr/bin/pdfinfo", [path]).split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return fields
    }

    private func run(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return String(decoding: data, as: UTF8.self)
    }
}
