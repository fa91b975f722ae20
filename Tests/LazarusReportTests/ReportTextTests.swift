import Foundation
import Testing

@testable import LazarusReport

@Suite("The report's template")
struct ReportTextTests {
    /// Writes `source` to a temporary template file and reads it as the report does.
    static func load(_ source: String) throws -> ReportText {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("t-\(UUID().uuidString).mustache").path
        try source.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try ReportText(templatePath: path, report: ShadowReportJob.emptyReport)
    }

    @Test("a template nested 5,000 deep is one line, not a stack overflow")
    func deepNesting() {
        let source = String(repeating: "{{#a}}", count: 5_000) + String(repeating: "{{/a}}", count: 5_000)
        let error = #expect(throws: ReportError.self) { try Self.load(source) }
        #expect(error?.message.contains("nests sections 5000 deep; at most 64") == true)
        #expect(ReportText.sectionDepth("{{#a}}{{^b}}x{{/b}}{{/a}}{{#c}}{{/c}}") == 2)
    }

    @Test(
        "a malformed template is named with its line, in words, not a debug dump",
        arguments: [
            ("# x\n{{#a}}\nnever closed\n", "a section is never closed"), ("{{#a}}{{/b}}", "closed with another"),
        ])
    func malformed(source: String, words: String) {
        let error = #expect(throws: ReportError.self) { try Self.load(source) }
        #expect(error?.message.contains("is not valid Mustache at line") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains(words) == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("ParserError") == false)
        #expect(error?.message.contains("\n") == false)
    }
}
