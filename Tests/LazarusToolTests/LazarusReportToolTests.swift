import Foundation
import LazarusCore
import LazarusTestSupport
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

        let truth: String

        init(applications: Int = 30_000, days: Int = 60, seed: Int = 42, extra: [String] = []) throws {
            directory = try TemporaryDirectory()
            store = directory.store()
            out = directory.url.appendingPathComponent("out").path
            truth = directory.url.appendingPathComponent("truth.csv").path
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            let sim = try Tool(name: "lazarus-sim").run(
                [
                    "--store", store, "--applications", String(applications), "--days", String(days), "--seed",
                    String(seed), "--truth", truth,
                ] + extra)
            #expect(sim.status == 0)
        }
    }

    func run(_ fixture: Fixture, _ extra: [String]) throws -> Tool.Result {
        try report.run(["--store", fixture.store, "--out", fixture.out, "--template", Self.template] + extra)
    }

    @Test("writes a four-page PDF whose figures match the JSON twin, and registers V0, V1 and V2")
    func pdfMatchesJSON() throws {
        let fixture = try Fixture()
        let result = try run(fixture, ["--week", "2026-W47"])
        #expect(result.status == 0, "\(result.stderr)")
        let pdf = "\(fixture.out)/shadow-report-2026-W47.pdf"
        let json =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: "\(fixture.out)/shadow-report-2026-W47.json")))
            as! [String: Any]
        let text = try Tool(name: "/usr/bin/pdftotext").runAbsolute(["-layout", pdf, "-"]).stdout
        let flat = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        let exploration = json["exploration"] as! [String: Any]
        for key in ["incrementalLossesDollars", "incrementalNetPnlDollars", "budgetLossesDollars"] {
            let dollars = Format.dollars(exploration[key] as! Double, cents: false)
            #expect(flat.contains(dollars), "the PDF should print \(key) \(dollars)")
        }
        for name in ["valueOfExploration", "valueOfSwitching"] {
            let value = json[name] as! [String: Any]
            for key in ["low", "high"] {
                let dollars = Format.dollars(value[key] as! Double, cents: false)
                #expect(flat.contains(dollars), "the PDF should print \(name).\(key) \(dollars)")
            }
        }
        let headline = json["valueOfExploration"] as! [String: Any]
        if headline["conclusive"] as! Bool {
            #expect(flat.contains(Format.dollars(headline["perWeekDollars"] as! Double, cents: false)))
        } else {
            #expect(flat.contains("Not yet conclusive"))
        }
        #expect(!flat.contains("unlocked"))
        let cohort = json["cohort"] as! [String: Any]
        #expect(flat.contains(String((cohort["from"] as! String).prefix(10))))
        #expect(flat.contains(String((cohort["to"] as! String).prefix(10))))
        let key = json["keyFigures"] as! [String: Any]
        #expect(flat.contains(Format.dollars(key["budgetRemaining"] as! Double, cents: false)))
        #expect(!flat.contains("nan") && !flat.contains("NaN") && !flat.contains("inf "))
        for required in ["cutoff", "performanceWindowDays", "modelsByName", "offPolicy"] {
            #expect(json[required] != nil, "the JSON twin needs \(required)")
        }
        let byName = json["modelsByName"] as! [String: Any]
        for name in ["production", "v0", "v1", "v2"] {
            let model = try #require(byName[name] as? [String: Any])
            for field in ["version", "spec", "cutoff", "rejectedAuc", "blindness", "samples", "defaults"] {
                #expect(model.keys.contains(field), "modelsByName.\(name) needs \(field)")
            }
        }

        let info = try Tool(name: "/usr/bin/pdfinfo").runAbsolute([pdf]).stdout
        #expect(
            info.contains("Pages:           4") || info.range(of: #"Pages:\s+4"#, options: .regularExpression) != nil)
        let check = try Tool(name: "/usr/bin/qpdf").runAbsolute(["--check", pdf])
        #expect(check.status == 0)
        #expect(try darkShare(pdf, page: 2) > 0.02, "the chart page must not be blank")

        let models = try openStore(fixture.store).models()
        #expect(
            models.map(\.version).sorted() == ["v0-baseline-2026-W47", "v1-standard-2026-W47", "v2-causal-2026-W47"])
        #expect(models.allSatisfy { $0.status == "draft" })
        #expect(models.first { $0.version.hasPrefix("v0") }?.kind == "baseline")
        #expect(result.stdout.contains("registered v0-baseline-2026-W47"))
    }

    @Test("production's rejected-region figures are the exporter's: one implementation, the same matured loans")
    func sameQualityAsExporter() throws {
        // More exploration than the default, so that the matured rejected region clears the evidence floor.
        let fixture = try Fixture(extra: ["--epsilon", "0.05"])
        #expect(try run(fixture, ["--week", "2026-W47"]).status == 0)
        let json =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: "\(fixture.out)/shadow-report-2026-W47.json")))
            as! [String: Any]
        let production = (json["modelsByName"] as! [String: Any])["production"] as! [String: Any]
        let auc = try #require(production["rejectedAuc"] as? [String: Double])
        let once = try Tool(name: "lazarus-exporter").run(["--once", "--store", fixture.store])
        #expect(once.status == 0)
        func gauge(_ name: String) -> Double? {
            once.stdout.split(separator: "\n").first { $0.hasPrefix(name + "{model=\"production\"} ") }
                .flatMap { Double($0.split(separator: " ").last!) }
        }
        // The report's cut-off is the window's end, the exporter's the newest decision, a second before it.
        #expect(abs(try #require(gauge("lazarus_model_rejected_auc")) - auc["estimate"]!) < 1e-9)
        #expect(abs(try #require(gauge("lazarus_model_rejected_auc_lower")) - auc["low"]!) < 1e-9)
        #expect(abs(try #require(gauge("lazarus_model_rejected_auc_upper")) - auc["high"]!) < 1e-9)
        #expect(gauge("lazarus_model_blindness_samples") == production["samples"] as? Double)
        #expect(gauge("lazarus_model_blindness_defaults") == production["defaults"] as? Double)
    }

    @Test("the value estimates, recomputed independently from the tables and the JSON twin, against the truth")
    func truthCheck() throws {
        // A small version of Benchmarks/truth-check.sh: three seeds of 30,000 applications.
        var runs: [String] = []
        var fixtures: [Fixture] = []
        for seed in 1...3 {
            let fixture = try Fixture(seed: seed)
            #expect(try run(fixture, ["--week", "2026-W47"]).status == 0)
            runs += [
                fixture.store.replacingOccurrences(of: "sqlite:", with: ""),
                "\(fixture.out)/shadow-report-2026-W47.json", fixture.truth,
            ]
            fixtures.append(fixture)
        }
        let script = URL(fileURLWithPath: Self.template).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Benchmarks/truth_check.py").path
        let check = try Tool(name: "/usr/bin/python3").runAbsolute(
            [script, "--min-coverage", "0.66", "--max-bias", "1"] + runs)
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect(check.stdout.contains("coverage"))
    }

    @Test("the default window is the last complete ISO week; a rerun gives the same numbers, atomically")
    func defaultWindow() throws {
        let fixture = try Fixture(applications: 8000, days: 20)
        // 20 days from Thursday 2026-09-24 end on Tuesday 2026-10-13: the last complete week is W41.
        #expect(try run(fixture, ["--performance-window", "7"]).status == 0)
        let json = "\(fixture.out)/shadow-report-2026-W41.json"
        #expect(FileManager.default.fileExists(atPath: "\(fixture.out)/shadow-report-2026-W41.pdf"))
        let first = try Data(contentsOf: URL(fileURLWithPath: json))
        #expect(try run(fixture, ["--performance-window", "7"]).status == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: json)) == first)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: fixture.out).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty)
        // A decision dated 2031 and a ledger reset dated 2030 have not happened: the default week stays W41 and
        // its numbers do not move (the decision once made 2031-W22 the default week).
        let file = String(fixture.store.dropFirst("sqlite:".count))
        let sql = """
            INSERT INTO lazarus_decisions (application_id, decided_at, variant, approved, reason, propensity, score)
            VALUES ('from-2031', '2031-05-30T10:00:00.000000Z', 'exploit', 1, 'MODEL_QUALIFIED', 1, 0.8);
            INSERT INTO lazarus_budget_ledger (at, kind, amount) VALUES ('2030-01-01T00:00:00.000000Z', 'reset', 0);
            """
        #expect(try Tool(name: "/usr/bin/sqlite3").runAbsolute([file, sql]).status == 0)
        let rerun = try run(fixture, ["--performance-window", "7"])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: json)) == first)
        #expect(!FileManager.default.fileExists(atPath: "\(fixture.out)/shadow-report-2031-W22.pdf"))
    }

    @Test("without exploration (epsilon 0) the report is valid and says there is nothing to claim")
    func noExploreLoans() throws {
        let directory = try TemporaryDirectory()
        let store = directory.store()
        let sim = try Tool(name: "lazarus-sim").run(
            ["--store", store, "--applications", "6000", "--days", "20", "--epsilon", "0"])
        #expect(sim.status == 0)
        let result = try report.run([
            "--store", store, "--out", directory.url.path, "--template", Self.template, "--performance-window", "7",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let text = try Tool(name: "/usr/bin/pdftotext").runAbsolute([
            directory.url.appendingPathComponent("shadow-report-2026-W41.pdf").path, "-",
        ]).stdout
        #expect(text.contains("Not yet conclusive") || text.contains("No estimate yet"))
        #expect(!text.contains("nan"))
    }

    @Test("a loss of 1e17 is left out as implausible: the report renders, leaves no .tmp, and its JSON is finite")
    func implausibleLoss() throws {
        let fixture = try Fixture(applications: 8000, days: 60)
        let file = String(fixture.store.dropFirst("sqlite:".count))
        // It was a SIGILL converting the loss to an integer, with a .tmp left beside the PDF.
        let sql = """
            UPDATE lazarus_outcomes SET loss_amount = 1e17 WHERE application_id IN (
                SELECT o.application_id FROM lazarus_outcomes o JOIN lazarus_decisions d USING (application_id)
                WHERE d.variant = 'explore' AND o.defaulted = 1 LIMIT 3);
            """
        #expect(try Tool(name: "/usr/bin/sqlite3").runAbsolute([file, sql]).status == 0)
        let result = try run(fixture, ["--week", "2026-W47"])
        #expect(result.status == 0, "\(result.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: fixture.out).sorted()
        #expect(files == ["shadow-report-2026-W47.json", "shadow-report-2026-W47.pdf"])
        let json = try String(contentsOfFile: "\(fixture.out)/shadow-report-2026-W47.json", encoding: .utf8)
        // Every number in it is finite and far below the loss left out (a sum that took it would exceed 1e17).
        func numbers(_ value: Any) -> [Double] {
            if let number = value as? NSNumber { return [number.doubleValue] }
            if let array = value as? [Any] { return array.flatMap(numbers) }
            if let object = value as? [String: Any] { return object.values.flatMap(numbers) }
            return []
        }
        let all = numbers(try JSONSerialization.jsonObject(with: Data(json.utf8)))
        #expect(all.count > 50)
        #expect(all.allSatisfy { $0.isFinite && abs($0) < 1e12 }, "\(all.max() ?? 0)")
    }

    @Test("a window with no decisions gives a short valid report that says so")
    func emptyWindow() throws {
        let fixture = try Fixture(applications: 3000, days: 10)
        let result = try run(fixture, ["--week", "2027-W10", "--performance-window", "3"])
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
            (["--performance-window", "0"], "the performance window must be a whole number of days"),
            (["--performance-window", "-3"], "the performance window must be a whole number of days"),
            (["--performance-window", "NaN"], "the performance window must be a whole number of days"),
            (["--performance-window", "1.5"], "the performance window must be a whole number of days"),
            (["--performance-window", "30"], "is longer than the data"),
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

    @Test(
        "a full disk leaves no file and registers no model: the run completes or leaves nothing",
        .enabled(if: Backend.postgresURL != nil))
    func fullDisk() throws {
        // On PostgreSQL the registration is the server's write, which the limit does not stop: it once came
        // first, and a full disk left three draft models for a report that was never written.
        let scratch = try ScratchStore(.postgres, migrated: true)
        let sim = try Tool(name: "lazarus-sim").run(["--store", scratch.url, "--applications", "8000", "--days", "60"])
        #expect(sim.status == 0, "\(sim.stderr)")
        let directory = try TemporaryDirectory()
        let out = directory.url.path
        // 40 KiB per file, with SIGXFSZ ignored so that a write past it fails as on a full disk (the PDF is
        // about 50 KiB, its JSON twin about 30 KiB).
        let binary = Tool.productsDirectory.appendingPathComponent("lazarus-report").path
        let command =
            "trap '' XFSZ; ulimit -f 40; exec '\(binary)' --store \"$STORE\" --out '\(out)' --template '\(Self.template)'"
            + " --week 2026-W47"
        let result = try Tool(name: "/bin/bash").runAbsolute(["-c", command], environment: ["STORE": scratch.url])
        #expect(result.status == 1)
        #expect(
            result.stderr.hasPrefix("lazarus-report: error: cannot write PDF '\(out)/shadow-report-2026-W47.pdf'"),
            "\(result.stderr)")
        #expect(result.stderr.filter { $0 == "\n" }.count == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).isEmpty)
        #expect(try scratch.store.models().isEmpty)
        // With room, the same run completes.
        let room = try Tool(name: "/bin/bash").runAbsolute(
            ["-c", command.replacingOccurrences(of: "ulimit -f 40", with: "ulimit -f 1000")],
            environment: ["STORE": scratch.url])
        #expect(room.status == 0, "\(room.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).count == 2)
        #expect(try scratch.store.models().count == 3)
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
