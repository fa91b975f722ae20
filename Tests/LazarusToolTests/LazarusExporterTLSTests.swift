import Foundation
import LazarusTestSupport
import Testing

/// The exporter behind `--web.config.file`: HTTPS with a self-signed certificate and basic auth, checked with curl.
@Suite("lazarus-exporter with TLS and basic auth", .serialized)
struct LazarusExporterTLSTests {
    /// A bcrypt hash (cost 10) of "scrape-me", made once with HummingbirdBcrypt's `Bcrypt.hash("scrape-me", cost: 10)`
    /// and given the `$2y$` prefix that `htpasswd -nbBC 10` writes ($2y$ and $2b$ are the same bcrypt).
    static let hash = "$2y$10$H.LV76bU44BCp9swsG0iGOg4LR4dwiFa15iaFmpug9pTg9CL.LLuG"

    /// A store, a self-signed certificate for 127.0.0.1 and a web config beside it, with relative paths.
    static func setUp(_ directory: TemporaryDirectory) throws -> (store: String, config: String) {
        let store = directory.store()
        #expect(
            try Tool(name: "lazarus-sim").run(["--store", store, "--applications", "2000", "--days", "4"]).status == 0)
        let openssl = try Tool(name: "/usr/bin/openssl").runAbsolute([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", "\(directory.url.path)/key.pem",
            "-out", "\(directory.url.path)/cert.pem",
        ])
        #expect(openssl.status == 0, "\(openssl.stderr)")
        let config = directory.url.appendingPathComponent("web.yml").path
        try """
        tls_server_config:
          cert_file: cert.pem
          key_file: key.pem
        basic_auth_users:
          prometheus: \(hash)
        http_server_config:
          headers:
            X-Content-Type-Options: nosniff
        """.write(toFile: config, atomically: true, encoding: .utf8)
        return (store, config)
    }

    /// Runs curl and returns the status (0 when no HTTP answer came), the headers and the body.
    static func curl(_ arguments: [String]) throws -> (status: Int, headers: String, body: String) {
        let options = ["-s", "-m", "10", "-D", "-", "-w", "\n%{http_code}"]
        let out = try Tool(name: "/usr/bin/curl").runAbsolute(options + arguments).stdout
        let status = Int(out.split(separator: "\n").last ?? "") ?? 0
        let text = String(out.dropLast(String(status).count))
        let parts = text.components(separatedBy: "\r\n\r\n")
        return (status, parts.first ?? "", parts.dropFirst().joined(separator: "\r\n\r\n"))
    }

    /// The exporter serving HTTPS with the test's web config, and the curl arguments that reach it.
    struct Serving {
        let exporter: RunningExporter
        let directory: TemporaryDirectory

        init(store: String, config: String, directory: TemporaryDirectory) throws {
            self.directory = directory
            exporter = try RunningExporter(
                store: store, directory: directory, arguments: ["--web.config.file", config])
        }

        var process: Process { exporter.process }
        var port: Int { exporter.port }
        var log: URL { exporter.log }
        var https: String { "https://127.0.0.1:\(port)" }
        var trusted: [String] { ["--cacert", "\(directory.url.path)/cert.pem"] }
        var right: [String] { trusted + ["-u", "prometheus:scrape-me"] }

        /// Waits until `/readyz` answers 200 to the right credentials, at most a minute.
        func waitReady() throws -> Bool {
            for _ in 0..<300 {
                if try LazarusExporterTLSTests.curl(right + ["\(https)/readyz"]).status == 200 { return true }
                Thread.sleep(forTimeInterval: 0.2)
            }
            return false
        }
    }

    @Test("HTTPS with the right password gets the metrics; a wrong or missing one gets 401; plain HTTP gets nothing")
    func tlsAndBasicAuth() throws {
        let directory = try TemporaryDirectory()
        let (store, config) = try Self.setUp(directory)
        let exporter = try Serving(store: store, config: config, directory: directory)
        let (https, trusted, right) = (exporter.https, exporter.trusted, exporter.right)
        let port = exporter.port
        #expect(try exporter.waitReady(), "log: \((try? String(contentsOf: exporter.log, encoding: .utf8)) ?? "")")

        let metrics = try Self.curl(right + ["\(https)/metrics"])
        #expect(metrics.status == 200)
        #expect(metrics.body.contains("lazarus_up 1"))
        #expect(metrics.headers.lowercased().contains("x-content-type-options: nosniff"))

        let wrong = try Self.curl(trusted + ["-u", "prometheus:scrape-you", "\(https)/metrics"])
        #expect(wrong.status == 401)
        #expect(wrong.headers.contains("WWW-Authenticate: Basic realm=\"lazarus-exporter\""), "\(wrong.headers)")
        #expect(!wrong.body.contains("lazarus_"))
        #expect(try Self.curl(trusted + ["-u", "nobody:scrape-me", "\(https)/metrics"]).status == 401)
        let anonymous = try Self.curl(trusted + ["\(https)/metrics"])
        #expect(anonymous.status == 401)
        // Everything is behind the password, as in exporter-toolkit: the probes and unknown paths too.
        #expect(try Self.curl(trusted + ["\(https)/healthz"]).status == 401)
        #expect(try Self.curl(trusted + ["\(https)/nowhere"]).status == 401)
        #expect(try Self.curl(right + ["\(https)/healthz"]).status == 200)
        #expect(try Self.curl(right + ["\(https)/nowhere"]).status == 404)

        // Plain HTTP to the TLS port gets no HTTP answer; nor does a client that does not trust the certificate.
        #expect(try Self.curl(["-u", "prometheus:scrape-me", "http://127.0.0.1:\(port)/metrics"]).status == 0)
        #expect(try Self.curl(["-u", "prometheus:scrape-me", "\(https)/metrics"]).status == 0)
        #expect(exporter.process.isRunning)
        let text = try String(contentsOf: exporter.log, encoding: .utf8)
        #expect(!text.contains("scrape-me") && !text.contains(Self.hash))
    }

    @Test(
        "SIGHUP re-reads the web config: new certificate, users and headers on the same listener; a bad one is refused")
    func reloadOnSIGHUP() throws {
        let directory = try TemporaryDirectory()
        let (store, config) = try Self.setUp(directory)
        let exporter = try Serving(store: store, config: config, directory: directory)
        #expect(try exporter.waitReady())
        let dir = directory.url.path
        // A certificate rotated in place, and the user list changed: "other" (password "quick") only.
        let openssl = try Tool(name: "/usr/bin/openssl").runAbsolute([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", "\(dir)/key2.pem", "-out", "\(dir)/cert2.pem",
        ])
        #expect(openssl.status == 0)
        try """
        tls_server_config:
          cert_file: cert2.pem
          key_file: key2.pem
        basic_auth_users:
          other: '$2b$04$fbmndzELRRVJlkE5BDxjTue9InJK67Wq.nt5fstVVoqmYz311m3A.'
        http_server_config:
          headers:
            X-Frame-Options: deny
        """.write(toFile: config, atomically: true, encoding: .utf8)
        kill(exporter.process.processIdentifier, SIGHUP)
        let newTrust = ["--cacert", "\(dir)/cert2.pem"]
        var reloaded = (status: 0, headers: "", body: "")
        for _ in 0..<50 where reloaded.status != 200 {
            Thread.sleep(forTimeInterval: 0.1)
            reloaded = try Self.curl(newTrust + ["-u", "other:quick", "\(exporter.https)/metrics"])
        }
        #expect(reloaded.status == 200, "log: \((try? String(contentsOf: exporter.log, encoding: .utf8)) ?? "")")
        #expect(reloaded.body.contains("lazarus_up 1"))
        #expect(reloaded.headers.lowercased().contains("x-frame-options: deny"))
        #expect(!reloaded.headers.lowercased().contains("x-content-type-options"))
        // The old certificate is no longer served, the old user no longer let in.
        #expect(try Self.curl(exporter.right + ["\(exporter.https)/metrics"]).status == 0)
        #expect(try Self.curl(newTrust + ["-u", "prometheus:scrape-me", "\(exporter.https)/metrics"]).status == 401)
        // A broken file, and one that turns TLS off: both refused, the config in force stays, the process lives.
        try "basic_auth_users: [".write(toFile: config, atomically: true, encoding: .utf8)
        kill(exporter.process.processIdentifier, SIGHUP)
        Thread.sleep(forTimeInterval: 0.5)
        try "basic_auth_users:\n  other: '$2b$04$fbmndzELRRVJlkE5BDxjTue9InJK67Wq.nt5fstVVoqmYz311m3A.'\n".write(
            toFile: config, atomically: true, encoding: .utf8)
        kill(exporter.process.processIdentifier, SIGHUP)
        Thread.sleep(forTimeInterval: 0.5)
        #expect(exporter.process.isRunning)
        #expect(try Self.curl(newTrust + ["-u", "other:quick", "\(exporter.https)/metrics"]).status == 200)
        let log = try String(contentsOf: exporter.log, encoding: .utf8)
        #expect(log.contains("web config reloaded"))
        #expect(log.components(separatedBy: "web config reload failed").count == 3, "\(log)")
        #expect(log.contains("turns TLS off; restart the exporter to apply it"))
    }

    @Test("SIGHUP without a web config is logged and survived")
    func hangupWithoutConfig() throws {
        let directory = try TemporaryDirectory()
        let exporter = try RunningExporter.simulated(in: directory, applications: 1_000, days: 2)
        #expect(try exporter.waitReady())
        kill(exporter.process.processIdentifier, SIGHUP)
        Thread.sleep(forTimeInterval: 0.5)
        #expect(exporter.process.isRunning)
        #expect(try exporter.get("/healthz").status == 200)
        #expect(exporter.logText.contains("SIGHUP: no web config file to reload"))
    }

    @Test(
        "a real Prometheus scrapes it over HTTPS with basic auth",
        .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/prometheus")))
    func prometheusScrape() throws {
        let directory = try TemporaryDirectory()
        let (store, config) = try Self.setUp(directory)
        let exporter = try Serving(store: store, config: config, directory: directory)
        #expect(try exporter.waitReady())
        let prometheus = try RunningPrometheus(
            config: """
                global: {scrape_interval: 1s, scrape_timeout: 1s}
                scrape_configs:
                  - job_name: lazarus
                    scheme: https
                    tls_config: {ca_file: '\(directory.url.path)/cert.pem'}
                    basic_auth: {username: prometheus, password: scrape-me}
                    static_configs: [{targets: ['127.0.0.1:\(exporter.port)']}]
                """, directory: directory)
        let answer = prometheus.poll(#"lazarus_up{job="lazarus"}"#)
        #expect(answer.contains("\"1\"]"), "Prometheus answered: \(answer)")
    }

    @Test("a bad web config stops the exporter at start with one line, and no secret")
    func badConfig() throws {
        let directory = try TemporaryDirectory()
        let store = directory.store()
        let dir = directory.url.path
        try "basic_auth_users:\n  prometheus: scrape-me\n".write(
            toFile: "\(dir)/plain.yml", atomically: true, encoding: .utf8)
        try "tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n  ciphers: [x]\n".write(
            toFile: "\(dir)/unknown.yml", atomically: true, encoding: .utf8)
        try "tls_server_config:\n  cert_file: missing.pem\n  key_file: key.pem\n".write(
            toFile: "\(dir)/missing-cert.yml", atomically: true, encoding: .utf8)
        try "basic_auth_users:\n  prometheus: \(Self.hash)\n  other: [\n".write(
            toFile: "\(dir)/malformed.yml", atomically: true, encoding: .utf8)
        let cases: [([String], [String: String], String)] = [
            (["--web.config.file", "\(dir)/none.yml"], [:], "web config '\(dir)/none.yml': no such file"),
            ([], ["LAZARUS_WEB_CONFIG_FILE": "\(dir)/none.yml"], "web config '\(dir)/none.yml': no such file"),
            (["--web.config.file", "\(dir)/plain.yml"], [:], "the password of 'prometheus' must be a bcrypt hash"),
            (["--web.config.file", "\(dir)/unknown.yml"], [:], "unknown key 'ciphers' in tls_server_config"),
            (["--web.config.file", "\(dir)/missing-cert.yml"], [:], "cert_file '\(dir)/missing.pem': no such file"),
            (["--web.config.file", "\(dir)/malformed.yml"], [:], "malformed YAML at line"),
        ]
        for (arguments, environment, message) in cases {
            let port = try freePort()
            let result = try Tool(name: "lazarus-exporter").run(
                ["--store", store, "--listen", "127.0.0.1:\(port)"] + arguments, environment: environment)
            #expect(result.status != 0)
            #expect(result.stderr.hasPrefix("lazarus-exporter: error: "), "\(result.stderr)")
            #expect(result.stderr.contains(message), "\(result.stderr)")
            #expect(result.stderr.filter { $0 == "\n" }.count == 1, "\(result.stderr)")
            #expect(!result.stderr.contains("scrape-me") && !result.stderr.contains(Self.hash))
        }
    }
}
