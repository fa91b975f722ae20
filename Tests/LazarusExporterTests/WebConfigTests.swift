import Foundation
import LazarusCore
import Testing

@testable import LazarusExporter

/// A directory with a self-signed certificate and its key, made by openssl, and web config files beside them.
final class WebConfigFixture {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("lazarus-web-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: directory.appendingPathComponent("certs"), withIntermediateDirectories: true)
        try Self.openssl(
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
            "-subj", "/CN=127.0.0.1", "-keyout", path("certs/key.pem"), "-out", path("certs/cert.pem"))
        // A second key, to pair with the wrong certificate.
        try Self.openssl(
            "genpkey", "-algorithm", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-out", path("certs/other.pem"))
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// Writes a file in the directory and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        try text.write(toFile: path(name), atomically: true, encoding: .utf8)
        return path(name)
    }

    /// Writes `web.yml` and reads it back as a web config.
    func load(_ yaml: String, name: String = "web.yml") throws -> WebConfig {
        try WebConfig(contentsOfFile: try write(name, yaml))
    }

    static func openssl(_ arguments: String...) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CocoaError(.fileWriteUnknown) }
    }
}

/// Known bcrypt hashes, made once with HummingbirdBcrypt's `Bcrypt.hash(password, cost:)` and checked by these tests.
enum KnownHash {
    /// "scrape-me", cost 10, with the `$2y$` prefix htpasswd writes (bcrypt's `$2b$` and `$2y$` are the same).
    static let scrapeMe = "$2y$10$H.LV76bU44BCp9swsG0iGOg4LR4dwiFa15iaFmpug9pTg9CL.LLuG"
    /// "quick", cost 4, for tests that check many passwords.
    static let quick = "$2b$04$fbmndzELRRVJlkE5BDxjTue9InJK67Wq.nt5fstVVoqmYz311m3A."
}

@Suite("Web config (--web.config.file)")
struct WebConfigTests {
    static func error(_ body: () throws -> WebConfig) -> ExporterError? {
        do {
            _ = try body()
            return nil
        } catch {
            return error as? ExporterError
        }
    }

    @Test("a full config: TLS from relative paths, users, headers")
    func goodConfig() throws {
        let fixture = try WebConfigFixture()
        let config = try fixture.load(
            """
            # The exporter-toolkit format.
            tls_server_config:
              cert_file: certs/cert.pem
              key_file: certs/key.pem
              min_version: TLS13
            basic_auth_users:
              prometheus: \(KnownHash.scrapeMe)
              other: '\(KnownHash.quick)'
            http_server_config:
              http2: false
              headers:
                X-Frame-Options: deny
                Strict-Transport-Security: max-age=31536000
            """)
        let tls = try #require(config.tls)
        #expect(tls.certificateFile == fixture.path("certs/cert.pem"))
        #expect(tls.keyFile == fixture.path("certs/key.pem"))
        #expect(tls.configuration.minimumTLSVersion == .tlsv13)
        #expect(tls.configuration.certificateVerification == .none)
        #expect(config.users == ["prometheus": KnownHash.scrapeMe, "other": KnownHash.quick])
        #expect(config.headers == ["X-Frame-Options": "deny", "Strict-Transport-Security": "max-age=31536000"])
    }

    @Test("relative paths are relative to the config file, not to the working directory; absolute ones stay")
    func relativePaths() throws {
        let fixture = try WebConfigFixture()
        try FileManager.default.createDirectory(
            at: fixture.directory.appendingPathComponent("etc"), withIntermediateDirectories: true)
        let config = try fixture.load(
            """
            tls_server_config:
              cert_file: ../certs/cert.pem
              key_file: \(fixture.path("certs/key.pem"))
            """, name: "etc/web.yml")
        #expect(config.tls?.certificateFile == fixture.path("certs/cert.pem"))
        #expect(config.tls?.keyFile == fixture.path("certs/key.pem"))
        #expect(config.tls?.configuration.minimumTLSVersion == .tlsv12, "TLS 1.2 is the toolkit's default minimum")
    }

    @Test("an empty file, or basic auth alone, serves plain HTTP")
    func noTLS() throws {
        let fixture = try WebConfigFixture()
        let empty = try fixture.load("")
        #expect(empty.tls == nil && empty.users.isEmpty && empty.headers.isEmpty)
        let authOnly = try fixture.load("tls_server_config:\nbasic_auth_users:\n  alice: \(KnownHash.quick)\n")
        #expect(authOnly.tls == nil)
        #expect(authOnly.users.count == 1)
    }

    @Test("client certificates: verified against client_ca_file")
    func clientCertificates() throws {
        let fixture = try WebConfigFixture()
        let config = try fixture.load(
            """
            tls_server_config:
              cert_file: certs/cert.pem
              key_file: certs/key.pem
              client_auth_type: RequireAndVerifyClientCert
              client_ca_file: certs/cert.pem
            """)
        #expect(config.tls?.configuration.certificateVerification == .noHostnameVerification)
        #expect(config.tls?.clientCAFile == fixture.path("certs/cert.pem"))
    }

    @Test(
        "each bad config is one clear line with its code",
        arguments: [
            ("tls_server_config: [unclosed\n", ExporterErrorCode.webConfigInvalid, "malformed YAML at line"),
            ("- a list\n", .webConfigInvalid, "the top level must be a mapping"),
            ("tls_config:\n  cert_file: x\n", .webConfigInvalid, "unknown key 'tls_config' in the top level at line 1"),
            (
                "tls_server_config:\n  cert_file: certs/cert.pem\n  keyfile: certs/key.pem\n", .webConfigInvalid,
                "unknown key 'keyfile' in tls_server_config at line 3"
            ),
            ("tls_server_config:\n  cert_file: certs/cert.pem\n", .webConfigInvalid, "needs key_file"),
            ("tls_server_config:\n  key_file: certs/key.pem\n", .webConfigInvalid, "needs cert_file"),
            (
                "tls_server_config:\n  cert_file: certs/none.pem\n  key_file: certs/key.pem\n", .tlsUnusable,
                "cert_file '/CERTS/none.pem': no such file"
            ),
            (
                "tls_server_config:\n  cert_file: certs/key.pem\n  key_file: certs/key.pem\n", .tlsUnusable,
                "holds no PEM certificate"
            ),
            (
                "tls_server_config:\n  cert_file: certs/cert.pem\n  key_file: certs/cert.pem\n", .tlsUnusable,
                "is not an unencrypted PEM private key"
            ),
            (
                "tls_server_config:\n  cert_file: certs/cert.pem\n  key_file: certs/other.pem\n", .tlsUnusable,
                "cannot be used together"
            ),
            (
                "tls_server_config:\n  cert_file: certs/cert.pem\n  key_file: certs/key.pem\n  min_version: TLS14\n",
                .webConfigInvalid, "min_version 'TLS14' is not one of"
            ),
            (
                "tls_server_config:\n  cert_file: certs/cert.pem\n  key_file: certs/key.pem\n  min_version: TLS13\n"
                    + "  max_version: TLS12\n", .webConfigInvalid, "max_version is lower than min_version"
            ),
            (
                "tls_server_config:\n  cert_file: certs/cert.pem\n  key_file: certs/key.pem\n  cipher_suites: [x]\n",
                .webConfigInvalid, "cipher_suites is not supported"
            ),
            (
                "tls_server_config:\n  cert_file: certs/cert.pem\n  key_file: certs/key.pem\n"
                    + "  client_auth_type: RequireAnyClientCert\n", .webConfigInvalid, "is not supported"
            ),
            (
                "tls_server_config:\n  cert_file: certs/cert.pem\n  key_file: certs/key.pem\n"
                    + "  client_ca_file: certs/cert.pem\n", .webConfigInvalid, "client_auth_type is NoClientCert"
            ),
            (
                "tls_server_config:\n  cert_file: certs/cert.pem\n  key_file: certs/key.pem\n"
                    + "  client_auth_type: VerifyClientCertIfGiven\n", .webConfigInvalid, "needs client_ca_file"
            ),
            (
                "basic_auth_users:\n  alice: hunter2\n", .webConfigInvalid,
                "the password of 'alice' must be a bcrypt hash"
            ),
            (
                "basic_auth_users:\n  alice: $2y$03$fbmndzELRRVJlkE5BDxjTue9InJK67Wq.nt5fstVVoqmYz311m3A.\n",
                .webConfigInvalid, "must be a bcrypt hash"
            ),
            ("basic_auth_users:\n  alice: [a, b]\n", .webConfigInvalid, "must be a bcrypt hash"),
            ("basic_auth_users: alice\n", .webConfigInvalid, "basic_auth_users must map user names"),
            (
                "basic_auth_users:\n  'a:b': $2b$04$fbmndzELRRVJlkE5BDxjTue9InJK67Wq.nt5fstVVoqmYz311m3A.\n",
                .webConfigInvalid, "contains ':'"
            ),
            (
                "http_server_config:\n  headers:\n    X-Powered-By: lazarus\n", .webConfigInvalid,
                "'X-Powered-By' cannot be configured"
            ),
            (
                "http_server_config:\n  headers:\n    X-Frame-Options: allow\n", .webConfigInvalid,
                "X-Frame-Options must be one of deny, sameorigin"
            ),
            ("http_server_config:\n  http2: maybe\n", .webConfigInvalid, "http2 must be true or false"),
            ("rate_limit:\n  interval: 1s\n", .webConfigInvalid, "rate_limit is not supported"),
            ("tls_server_config: {}\ntls_server_config: {}\n", .webConfigInvalid, "has 'tls_server_config' twice"),
        ])
    func badConfig(yaml: String, code: ExporterErrorCode, message: String) throws {
        let fixture = try WebConfigFixture()
        let path = try fixture.write("web.yml", yaml)
        let error = try #require(Self.error { try WebConfig(contentsOfFile: path) }, "accepted: \(yaml)")
        #expect(error.code == code)
        let expected = message.replacingOccurrences(of: "/CERTS", with: fixture.path("certs"))
        #expect(error.message.contains(expected), "\(error.message)")
        #expect(error.message.hasPrefix("web config '\(path)': "))
        #expect(!error.message.contains("\n"))
    }

    @Test("a missing file, a directory, a file that is not text")
    func unreadable() throws {
        let fixture = try WebConfigFixture()
        let missing = Self.error { try WebConfig(contentsOfFile: fixture.path("none.yml")) }
        #expect(missing?.code == .webConfigUnreadable)
        #expect(missing?.message == "web config '\(fixture.path("none.yml"))': no such file")
        let directory = Self.error { try WebConfig(contentsOfFile: fixture.path("certs")) }
        #expect(directory?.code == .webConfigUnreadable)
        #expect(directory?.message.contains("is a directory") == true, "\(directory?.message ?? "")")
        try Data([0xff, 0xfe, 0x00, 0x41]).write(to: fixture.directory.appendingPathComponent("binary.yml"))
        #expect(
            Self.error { try WebConfig(contentsOfFile: fixture.path("binary.yml")) }?.message.contains("UTF-8") == true)
    }

    @Test("no password, hash or key ever appears in an error")
    func noSecretInErrors() throws {
        let fixture = try WebConfigFixture()
        let key = try String(contentsOfFile: fixture.path("certs/key.pem"), encoding: .utf8)
        let cases = [
            // A syntax error on the line after a hash: libyaml's message must not quote the text.
            "basic_auth_users:\n  alice: \(KnownHash.scrapeMe)\n  bob: [\(KnownHash.quick)\n",
            "basic_auth_users:\n  alice: hunter2-not-hashed\n",
            "basic_auth_users:\n  alice: \"$2y$10$tooShort\"\n",
            // A hash pasted as a key at the top level.
            "\(KnownHash.scrapeMe): alice\n",
            // An inline key with no certificate.
            "tls_server_config:\n  key: |\n" + key.split(separator: "\n").map { "    \($0)" }.joined(separator: "\n")
                + "\n",
            // An inline key that does not parse.
            "tls_server_config:\n  cert_file: certs/cert.pem\n  key: not-a-key-hunter2\n",
        ]
        for yaml in cases {
            let path = try fixture.write("web.yml", yaml)
            let error = try #require(Self.error { try WebConfig(contentsOfFile: path) }, "accepted: \(yaml)")
            for secret in [KnownHash.scrapeMe, KnownHash.quick, "hunter2", "PRIVATE KEY", "tooShort"] {
                #expect(!error.message.contains(secret), "\(error.message)")
            }
        }
    }

    @Test("bcrypt hashes are recognised by form and cost")
    func bcryptForm() {
        #expect(WebConfig.isBcrypt(KnownHash.scrapeMe))
        #expect(WebConfig.isBcrypt(KnownHash.quick))
        #expect(WebConfig.isBcrypt("$2a$" + KnownHash.quick.dropFirst(4)))
        #expect(!WebConfig.isBcrypt("$2x$" + KnownHash.quick.dropFirst(4)))
        #expect(!WebConfig.isBcrypt("$2b$32$" + KnownHash.quick.dropFirst(7)))
        #expect(!WebConfig.isBcrypt("$2b$+4$" + KnownHash.quick.dropFirst(7)))
        #expect(!WebConfig.isBcrypt(String(KnownHash.quick.dropLast())))
        #expect(!WebConfig.isBcrypt(KnownHash.quick.dropLast() + "!"))
    }
}

@Suite("Basic auth")
struct BasicAuthTests {
    @Test("the right password passes, a wrong one or an unknown user does not; $2y$ hashes work")
    func verify() async {
        let verifier = BasicAuthVerifier(users: ["prometheus": KnownHash.scrapeMe, "quick": KnownHash.quick])
        #expect(await verifier.verify(user: "prometheus", password: "scrape-me"))
        #expect(await verifier.verify(user: "quick", password: "quick"))
        #expect(!(await verifier.verify(user: "prometheus", password: "scrape-me!")))
        #expect(!(await verifier.verify(user: "prometheus", password: "quick")))
        #expect(!(await verifier.verify(user: "nobody", password: "scrape-me")))
        #expect(!(await verifier.verify(user: "quick", password: "quick\u{0}more")))
    }

    @Test("an unknown user is checked at the configured cost, so its time does not tell the name is unknown")
    func unknownUserCost() async {
        let verifier = BasicAuthVerifier(users: ["quick": KnownHash.quick])
        #expect(verifier.dummyHash.hasPrefix("$2b$04$"))
        #expect(
            BasicAuthVerifier(users: ["a": KnownHash.quick, "b": KnownHash.scrapeMe]).dummyHash.hasPrefix("$2b$10$"))
        // The time itself is not asserted (speed is measured in benchmarks, not asserted in tests): under the
        // full suite the shared thread pool queued one side for a second. The cost equality above is the cause.
        #expect(!(await verifier.verify(user: "nobody", password: "quick")))
    }

    @Test("a verified password is remembered: the second check costs no bcrypt")
    func cache() async {
        let verifier = BasicAuthVerifier(users: ["prometheus": KnownHash.scrapeMe])
        let clock = ContinuousClock()
        let first = await clock.measure { #expect(await verifier.verify(user: "prometheus", password: "scrape-me")) }
        let second = await clock.measure { #expect(await verifier.verify(user: "prometheus", password: "scrape-me")) }
        #expect(verifier.cachedCount == 1)
        #expect(second < first / 10, "first \(first), second \(second)")
        // A wrong password is remembered as wrong, not as right.
        #expect(!(await verifier.verify(user: "prometheus", password: "wrong")))
        #expect(!(await verifier.verify(user: "prometheus", password: "wrong")))
    }

    @Test("the cache is bounded")
    func cacheBounded() async {
        let verifier = BasicAuthVerifier(users: ["quick": KnownHash.quick])
        for attempt in 0..<(BasicAuthVerifier.cacheLimit + 20) {
            #expect(!(await verifier.verify(user: "quick", password: "guess-\(attempt)")))
        }
        #expect(verifier.cachedCount == BasicAuthVerifier.cacheLimit)
        #expect(await verifier.verify(user: "quick", password: "quick"))
    }

    @Test("Authorization: Basic is read as Go reads it")
    func credentials() {
        let encoded = Data("prometheus:pass:with:colons".utf8).base64EncodedString()
        for header in ["Basic \(encoded)", "basic \(encoded)", "BASIC  \(encoded)"] {
            let credentials = BasicAuthVerifier.credentials(header)
            #expect(credentials?.user == "prometheus")
            #expect(credentials?.password == "pass:with:colons")
        }
        #expect(BasicAuthVerifier.credentials(nil) == nil)
        #expect(BasicAuthVerifier.credentials("Bearer \(encoded)") == nil)
        #expect(BasicAuthVerifier.credentials("Basic not-base64!") == nil)
        #expect(BasicAuthVerifier.credentials("Basic \(Data("no-colon".utf8).base64EncodedString())") == nil)
    }
}
