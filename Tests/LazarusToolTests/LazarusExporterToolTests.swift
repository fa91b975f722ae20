import Foundation
import Testing

@Suite("lazarus-exporter --once, run as a user would")
struct LazarusExporterToolTests {
    let exporter = Tool(name: "lazarus-exporter")

    @Test(
        "prints an exposition that promtool accepts",
        .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/promtool")))
    func promtoolClean() throws {
        let directory = try TemporaryDirectory()
        let store = directory.store()
        #expect(
            try Tool(name: "lazarus-sim").run(["--store", store, "--applications", "5000", "--days", "10"]).status == 0)
        let result = try exporter.run(["--once", "--store", store])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("lazarus_up 1"))
        #expect(result.stdout.contains("lazarus_decisions_total{variant=\"explore\",decision=\"approve\""))
        let file = directory.url.appendingPathComponent("metrics.prom").path
        try result.stdout.write(toFile: file, atomically: true, encoding: .utf8)
        // promtool reads the exposition on standard input.
        let check = try Tool(name: "/bin/sh").runAbsolute(["-c", "/usr/bin/promtool check metrics < '\(file)'"])
        #expect(check.status == 0, "promtool: \(check.stdout) \(check.stderr)")
        #expect(check.stdout.isEmpty && check.stderr.isEmpty, "promtool lint: \(check.stdout) \(check.stderr)")
    }

    @Test(
        "bad input is one clear line and a non-zero exit",
        arguments: [
            (["--once", "--store", "mysql://u:pw@h/x"], "scheme 'mysql' is not supported"),
            (["--store", "sqlite:/tmp/none.sqlite", "--listen", "localhost"], "--listen must be HOST:PORT"),
            (
                ["--store", "sqlite:/tmp/none.sqlite", "--refresh-interval", "0"],
                "--refresh-interval must be a positive"
            ),
            (["--once", "--store", "sqlite:/nonexistent-dir/x.sqlite"], "cannot open SQLite store"),
        ])
    func badInput(arguments: [String], message: String) throws {
        let result = try exporter.run(arguments)
        #expect(result.status != 0)
        #expect(result.stderr.hasPrefix("lazarus-exporter: error: "))
        #expect(result.stderr.contains(message))
        #expect(result.stderr.filter { $0 == "\n" }.count == 1)
    }
}
