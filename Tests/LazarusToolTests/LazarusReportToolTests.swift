import Foundation
import LazarusCore
import Testing

@testable import LazarusStore

@Suite("lazarus-report, run as a user would")
struct LazarusReportToolTests {
    let report = Tool(name: "lazarus-report")
    static let template = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("templates/shadow-report.mustache").path

    /// A simulated store and an output directory.
    final class Fixture {
        let directory: TemporaryDirectory
        let store: String
        let out: String

        init(applications: Int = 30_000, days: Int = 40) throws {
            directory = try TemporaryDirectory()
            store = directory.store()
            out = directory.url.appendingPathComponent("out").path
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            let sim = try Tool(name: "lazarus-sim").run(
                ["--store", store, "--applications", String(applications), "--days", String(days)])
            #expect(sim.status == 0)
        }
    }

    func run(_ fixture: Fixture, _ extra: [String]) throws -> Tool.Result {
        try report.run(["--store", fixture.store, "--out", fixture.out, "--template", Self.template] + extra)
    }

    @Test("writes a four-page PDF whose headline and figures match the JSON twin, and registers V1/V2")
    func pdfMatchesJSON() throws {
        let fixture = try Fixture()
        let result = try run(fixture, ["--week", "2026-W44"])
        #expect(result.status == 0, "\(result.stderr)")
        let pdf = "\(fixture.out)/shadow-report-2026-W44.pdf"
        let json =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: "\(fixture.out)/shadow-report-2026-W44.json")))
            as! [String: Any]
        let text = try Tool(name: "/usr/bin/pdftotext").runAbsolute(["-layout", pdf, "-"]).stdout
        let flat = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        let headline = json["headline"] as! [String: Any]
        let toDate = json["headlineToDate"] as! [String: Any]
        for figure in [
            headline["explorationCost"], headline["revenueUnlocked"], toDate["explorationCost"],
            toDate["revenueUnlocked"],
        ] {
            let dollars = Format.dollars(figure as! Double, cents: false)
            #expect(flat.contains(dollars), "the PDF should print \(dollars)")
        }
        let key = json["keyFigures"] as! [String: Any]
        #expect(flat.contains(Format.dollars(key["budgetRemaining"] as! Double)))
        #expect(
            flat.contains("Explore loans in window " + Format.count(key["exploreLoans"] as! Int))
                || flat.contains(Format.count(key["exploreLoans"] as! Int)))
        #expect(!flat.contains("nan") && !flat.contains("NaN") && !flat.contains("inf "))

        let info = try Tool(name: "/usr/bin/pdfinfo").runAbsolute([pdf]).stdout
        #expect(
            info.contains("Pages:           4") || info.range(of: #"Pages:\s+4"#, options: .regularExpression) != nil)
        let check = try Tool(name: "/usr/bin/qpdf").runAbsolute(["--check", pdf])
        #expect(check.status == 0)
        #expect(try darkShare(pdf, page: 2) > 0.02, "the chart page must not be blank")

        let models = try openStore(fixture.store).models()
        #expect(models.map(\.version).sorted() == ["v1-standard-2026-W44", "v2-causal-2026-W44"])
        #expect(models.allSatisfy { $0.status == "draft" })
        #expect(result.stdout.contains("registered v1-standard-2026-W44"))
    }

    @Test("the default window is the last complete ISO week; a rerun gives the same numbers, atomically")
    func defaultWindow() throws {
        let fixture = try Fixture(applications: 8000, days: 20)
        // 20 days from Thursday 2026-09-24 end on Tuesday 2026-10-13: the last complete week is W41.
        #expect(try run(fixture, []).status == 0)
        let json = "\(fixture.out)/shadow-report-2026-W41.json"
        #expect(FileManager.default.fileExists(atPath: "\(fixture.out)/shadow-report-2026-W41.pdf"))
        let first = try Data(contentsOf: URL(fileURLWithPath: json))
        #expect(try run(fixture, []).status == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: json)) == first)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: fixture.out).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty)
    }

    @Test("without exploration (epsilon 0) the report is valid and says there is nothing to claim")
    func noExploreLoans() throws {
        let directory = try TemporaryDirectory()
        let store = directory.store()
        let sim = try Tool(name: "lazarus-sim").run(
            ["--store", store, "--applications", "6000", "--days", "20", "--epsilon", "0"])
        #expect(sim.status == 0)
        let result = try report.run(["--store", store, "--out", directory.url.path, "--template", Self.template])
        #expect(result.status == 0, "\(result.stderr)")
        let text = try Tool(name: "/usr/bin/pdftotext").runAbsolute([
            directory.url.appendingPathComponent("shadow-report-2026-W41.pdf").path, "-",
        ]).stdout
        #expect(text.contains("too thin"))
        #expect(!text.contains("nan"))
    }

    @Test("a window with no decisions gives a short valid report that says so")
    func emptyWindow() throws {
        let fixture = try Fixture(applications: 3000, days: 10)
        let result = try run(fixture, ["--week", "2027-W10"])
        #expect(result.status == 0)
        let text = try Tool(name: "/usr/bin/pdftotext").runAbsolute(["\(fixture.out)/shadow-report-2027-W10.pdf", "-"])
            .stdout
        #expect(text.contains("No applications were decided in this window"))
    }

    @Test(
        "bad input is one clear line and a non-zero exit, and writes nothing",
        arguments: [
            (["--week", "2026-47"], "--week must look like 2026-W47"),
            (["--from", "2026-11-01"], "give either --week, or --from with --to"),
            (["--template", "/nonexistent/t.mustache"], "cannot read the report template"),
            (["--out", "/nonexistent-dir"], "output directory '/nonexistent-dir' does not exist"),
            (["--store", "mysql://x"], "scheme 'mysql' is not supported"),
        ])
    func badInput(arguments: [String], message: String) throws {
        let directory = try TemporaryDirectory()
        let store = directory.store()
        #expect(
            try Tool(name: "lazarus-sim").run(["--store", store, "--applications", "2000", "--days", "5"]).status == 0)
        let out = directory.url.path
        var all = ["--store", store, "--out", out, "--template", Self.template]
        for (i, value) in arguments.enumerated() where i % 2 == 0 {
            if let existing = all.firstIndex(of: value) { all.removeSubrange(existing...(existing + 1)) }
        }
        let result = try report.run(all + arguments)
        #expect(result.status != 0)
        #expect(result.stderr.hasPrefix("lazarus-report: error: "))
        #expect(result.stderr.contains(message))
        #expect(result.stderr.filter { $0 == "\n" }.count == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).filter { $0.hasSuffix(".pdf") }.isEmpty)
    }

    @Test("a malformed template is refused before any work")
    func malformedTemplate() throws {
        let fixture = try Fixture(applications: 2000, days: 5)
        let template = fixture.directory.url.appendingPathComponent("bad.mustache").path
        try "## headline\n{{#unclosed}} oops".write(toFile: template, atomically: true, encoding: .utf8)
        let result = try report.run(["--store", fixture.store, "--out", fixture.out, "--template", template])
        #expect(result.status == 1)
        #expect(result.stderr.contains("is not valid Mustache"))
        #expect(try openStore(fixture.store).models().isEmpty)
    }

    /// Share of dark pixels on a page rendered in grey at low resolution (PGM from pdftoppm).
    private func darkShare(_ pdf: String, page: Int) throws -> Double {
        let prefix = FileManager.default.temporaryDirectory.appendingPathComponent("lazarus-page-\(UUID().uuidString)")
            .path
        let render = try Tool(name: "/usr/bin/pdftoppm").runAbsolute(
            ["-gray", "-r", "30", "-f", String(page), "-l", String(page), "-singlefile", pdf, prefix])
        #expect(render.status == 0)
        let data = try Data(contentsOf: URL(fileURLWithPath: prefix + ".pgm"))
        try? FileManager.default.removeItem(atPath: prefix + ".pgm")
        // P5 header: magic, width, height, maxval, each followed by whitespace; the pixels follow.
        var fields = 0
        var index = 0
        while fields < 4, index < data.count {
            while index < data.count, data[index] == 0x20 || data[index] == 0x0A { index += 1 }
            while index < data.count, data[index] != 0x20, data[index] != 0x0A { index += 1 }
            fields += 1
        }
        let pixels = data.dropFirst(index + 1)
        return Double(pixels.filter { $0 < 200 }.count) / Double(max(pixels.count, 1))
    }
}
