import Foundation

/// A running `lazarus-exporter` on a free loopback port, its output in a log file of the test's
/// directory, stopped with SIGTERM when released.
public final class RunningExporter {
    public let process = Process()
    public let port: Int
    public let log: URL

    /// Starts the exporter on `store`, refreshing every half second, with any further `arguments`.
    public init(store: String, directory: TemporaryDirectory, arguments: [String] = []) throws {
        port = try freePort()
        log = directory.url.appendingPathComponent("exporter.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        process.executableURL = Tool.productsDirectory.appendingPathComponent("lazarus-exporter")
        process.arguments =
            ["--store", store, "--listen", "127.0.0.1:\(port)", "--refresh-interval", "0.5"] + arguments
        process.environment = ["PATH": "/usr/bin:/bin"]
        process.standardOutput = try FileHandle(forWritingTo: log)
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()
    }

    /// Simulates a small experiment into a fresh store of `directory` and starts an exporter on it.
    public static func simulated(
        in directory: TemporaryDirectory, applications: Int, days: Int, arguments: [String] = []
    ) throws -> RunningExporter {
        let store = directory.store()
        let sim = try Tool(name: "lazarus-sim").run([
            "--store", store, "--applications", String(applications), "--days", String(days),
        ])
        guard sim.status == 0 else { throw TestSupportError("lazarus-sim failed: \(sim.stderr)") }
        return try RunningExporter(store: store, directory: directory, arguments: arguments)
    }

    deinit {
        process.terminate()
        process.waitUntilExit()
    }

    /// What the exporter has logged so far.
    public var logText: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    /// GETs a path over plain HTTP with curl; status 0 when nothing answered.
    public func get(_ path: String, headers: [String] = []) throws -> (status: Int, body: String) {
        let args =
            ["-s", "-m", "10", "-w", "\n%{http_code}"] + headers.flatMap { ["-H", $0] }
            + ["http://127.0.0.1:\(port)\(path)"]
        let out = try Tool(name: "/usr/bin/curl").runAbsolute(args).stdout
        let status = Int(out.split(separator: "\n").last ?? "") ?? 0
        return (status, String(out.dropLast(String(status).count)))
    }

    /// Scrapes `/metrics` (with a 2 s scrape timeout) every quarter second until `done` holds of the body,
    /// at most `tries` times; returns the last body.
    public func scrape(tries: Int = 120, until done: (String) -> Bool) -> String {
        var body = ""
        for _ in 0..<tries where !done(body) {
            Thread.sleep(forTimeInterval: 0.25)
            body = (try? get("/metrics", headers: ["X-Prometheus-Scrape-Timeout-Seconds: 2"]).body) ?? ""
        }
        return body
    }

    /// Waits until `/readyz` answers 200 over plain HTTP, at most `seconds`.
    public func waitReady(_ seconds: Double = 60) throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if (try? get("/readyz").status) == 200 { return true }
            Thread.sleep(forTimeInterval: 0.2)
        }
        return false
    }

    /// The value of one series in an exposition, `nil` when it is absent.
    public static func value(_ exposition: String, _ series: String) -> Double? {
        exposition.split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap {
            Double($0.split(separator: " ").last!)
        }
    }
}
