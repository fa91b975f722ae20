import Foundation
import LazarusTestSupport
import Testing

/// The HTTP conventions of an exporter, checked with curl against the real server: HEAD everywhere, 405 with
/// `Allow` for other methods, gzip when asked, and the `process_*` families every Prometheus client serves.
@Suite("lazarus-exporter's HTTP conventions")
struct ExporterHTTPTests {
    /// Status and headers (lower-cased names) of one request.
    static func request(
        _ exporter: RunningExporter, _ method: String, _ path: String, _ headers: [String] = []
    )
        throws -> (status: Int, headers: [String: String])
    {
        let directory = try TemporaryDirectory()
        let head = directory.url.appendingPathComponent("headers").path
        let body = directory.url.appendingPathComponent("body").path
        var arguments = ["-s", "-m", "10", "-D", head, "-o", body, "-w", "%{http_code}"]
        arguments += method == "HEAD" ? ["-I"] : ["-X", method]
        arguments += headers.flatMap { ["-H", $0] } + ["http://127.0.0.1:\(exporter.port)\(path)"]
        let result = try Tool(name: "/usr/bin/curl").runAbsolute(arguments)
        var fields: [String: String] = [:]
        for line in (try? String(contentsOfFile: head, encoding: .utf8))?.split(separator: "\r\n") ?? [] {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return (Int(result.stdout) ?? 0, fields)
    }

    @Test("HEAD on every route, 405 with Allow for other methods, gzip on request, process metrics")
    func conventions() throws {
        let directory = try TemporaryDirectory()
        let exporter = try RunningExporter.simulated(in: directory, applications: 3000, days: 5)
        #expect(try exporter.waitReady())

        for path in ["/", "/metrics", "/healthz", "/readyz"] {
            let head = try Self.request(exporter, "HEAD", path)
            #expect(head.status == 200, "HEAD \(path)")
            #expect((Int(head.headers["content-length"] ?? "") ?? 0) > 0, "HEAD \(path): the GET's length")
            // On the wire, as a load balancer sees it: the headers, then nothing.
            let raw = try Tool(name: "/bin/bash").runAbsolute([
                "-c",
                "exec 3<>/dev/tcp/127.0.0.1/\(exporter.port); printf 'HEAD \(path) HTTP/1.1\\r\\nHost: t\\r\\n"
                    + "Connection: close\\r\\n\\r\\n' >&3; timeout 5 cat <&3",
            ])
            let parts = raw.stdout.components(separatedBy: "\r\n\r\n")
            #expect(parts.count == 2 && parts[1].isEmpty, "HEAD \(path) sent a body: \(raw.stdout.debugDescription)")
            for method in ["POST", "PUT", "DELETE"] {
                let refused = try Self.request(exporter, method, path)
                #expect(refused.status == 405, "\(method) \(path)")
                #expect(refused.headers["allow"] == "GET, HEAD", "\(method) \(path)")
            }
        }
        #expect(try Self.request(exporter, "POST", "/nowhere").status == 404)
        #expect(try Self.request(exporter, "HEAD", "/nowhere").status == 404)

        // gzip only when asked, and then a body gunzip reads back into the exposition.
        let plain = try Self.request(exporter, "GET", "/metrics")
        #expect(plain.headers["content-encoding"] == nil)
        #expect(
            try Self.request(exporter, "GET", "/metrics", ["Accept-Encoding: gzip;q=0"]).headers["content-encoding"]
                == nil)
        let zipped = directory.url.appendingPathComponent("metrics.gz").path
        let fetched = try Tool(name: "/usr/bin/curl").runAbsolute([
            "-s", "-m", "10", "-H", "Accept-Encoding: gzip", "-o", zipped, "http://127.0.0.1:\(exporter.port)/metrics",
        ])
        #expect(fetched.status == 0)
        let unzipped = try Tool(name: "/bin/gzip").runAbsolute(["-dc", zipped])
        #expect(unzipped.status == 0, "\(unzipped.stderr)")
        #expect(unzipped.stdout.contains("lazarus_up 1"))
        let compressed = (try FileManager.default.attributesOfItem(atPath: zipped)[.size] as? Int) ?? 0
        #expect(compressed > 0 && compressed * 3 < unzipped.stdout.utf8.count, "gzip shrinks the text")

        // The process families, with values that describe this process, and promtool still clean.
        let body = unzipped.stdout
        let now = Date().timeIntervalSince1970
        let start = try #require(RunningExporter.value(body, "process_start_time_seconds"))
        #expect(start <= now + 1 && start > now - 600, "started within the test: \(start) vs \(now)")
        #expect((RunningExporter.value(body, "process_resident_memory_bytes") ?? 0) > 1_000_000)
        #expect((RunningExporter.value(body, "process_cpu_seconds_total") ?? -1) >= 0)
        #expect((RunningExporter.value(body, "process_open_fds") ?? 0) >= 3)
        #expect(
            (RunningExporter.value(body, "process_max_fds") ?? 0)
                >= (RunningExporter.value(body, "process_open_fds") ?? 0))
        #expect(RunningExporter.value(body, "lazarus_refresh_failures_total") == 0)
        // lazarus_build_info carries what --version prints.
        let version = try Tool(name: "lazarus-exporter").run(["--version"]).stdout.trimmingCharacters(in: .newlines)
        let parsed = try #require(VersionTests.parse(version, name: "lazarus-exporter"))
        let number = version.split(separator: " ")[1]
        let info =
            #"lazarus_build_info{version="\#(number)",revision="\#(parsed.revision)",swift_version="\#(parsed.swift)"}"#
        #expect(
            RunningExporter.value(body, info) == 1,
            "\(info) in \(body.split(separator: "\n").filter { $0.contains("build_info") })")
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/promtool") {
            let check = try Tool(name: "/bin/sh").runAbsolute([
                "-c", "gzip -dc '\(zipped)' | /usr/bin/promtool check metrics",
            ])
            #expect(
                check.status == 0 && check.stdout.isEmpty && check.stderr.isEmpty, "\(check.stdout) \(check.stderr)")
        }
    }

    @Test("--log.format json --log.level debug: every line one JSON event, the refreshes among them")
    func jsonLogs() throws {
        let directory = try TemporaryDirectory()
        let exporter = try RunningExporter.simulated(
            in: directory, applications: 2000, days: 5, arguments: ["--log.format", "json", "--log.level", "debug"])
        #expect(try exporter.waitReady())
        Thread.sleep(forTimeInterval: 1)
        let lines = exporter.logText.split(separator: "\n")
        #expect(!lines.isEmpty)
        var events: [[String: String]] = []
        for line in lines {
            let event = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String]
            #expect(event != nil, "not a JSON event: \(line)")
            if let event { events.append(event) }
        }
        #expect(events.allSatisfy { $0["time"] != nil && $0["level"] != nil && $0["msg"] != nil })
        #expect(events.contains { $0["msg"] == "refresh" && $0["level"] == "debug" && $0["cold_start"] == "true" })
    }
}
