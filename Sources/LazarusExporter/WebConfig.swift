import Foundation
import LazarusCore
import NIOSSL
import Yams

/// How `lazarus-exporter` serves: TLS, basic auth and extra response headers, read from a `--web.config.file` in
/// the Prometheus exporter-toolkit format.
///
/// ```yaml
/// tls_server_config:
///   cert_file: exporter.crt          # PEM; a relative path is relative to this file's directory
///   key_file: exporter.key
///   min_version: TLS12               # the default; TLS10 to TLS13
/// basic_auth_users:
///   prometheus: $2y$10$...           # bcrypt, e.g. from htpasswd -nBC 10
/// http_server_config:
///   headers:
///     Strict-Transport-Security: max-age=31536000
/// ```
///
/// The file is read and checked once, at start: any problem is an ``ExporterError`` whose one line names the file
/// and the key, never a password, a hash or a private key. An unknown key is an error, as in exporter-toolkit; so is
/// a toolkit key this exporter cannot honour (`cipher_suites`, `curve_preferences`, `client_allowed_sans`,
/// `rate_limit`, client certificates requested but not verified), rather than being silently ignored.
public struct WebConfig: Sendable {
    /// The TLS settings, with the certificate chain and key loaded and checked; nil to serve plain HTTP.
    public var tls: TLS?
    /// The users let in, with their bcrypt hashes; empty when no basic auth is asked for.
    public var users: [String: String]
    /// Headers added to every response, errors and 401s included (`http_server_config.headers`).
    public var headers: [String: String]

    /// The TLS side of a web config (`tls_server_config`).
    public struct TLS: Sendable {
        /// The server configuration handed to NIOSSL.
        public var configuration: TLSConfiguration
        /// The certificate file, resolved against the config file's directory; nil when given inline (`cert`).
        public var certificateFile: String?
        /// The private key file, resolved likewise; nil when given inline (`key`).
        public var keyFile: String?
        /// The client CA file, resolved likewise; nil when there is none or it is given inline (`client_ca`).
        public var clientCAFile: String?
    }

    /// No TLS, no basic auth, no extra headers: how the exporter serves without `--web.config.file`.
    public init() {
        tls = nil
        users = [:]
        headers = [:]
    }

    /// Reads and checks a web config file.
    /// - Parameter path: the file; relative paths inside it are resolved against its directory.
    /// - Throws: ``ExporterError`` with code `webConfigUnreadable`, `webConfigInvalid` or `tlsUnusable`.
    public init(contentsOfFile path: String) throws {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ExporterError(.webConfigUnreadable, "web config '\(path)': \(Self.reason(error, path: path))")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ExporterError(.webConfigUnreadable, "web config '\(path)': not UTF-8 text")
        }
        try self.init(yaml: text, path: path)
    }

    /// Parses and checks a web config.
    /// - Parameters:
    ///   - yaml: the text of the file.
    ///   - path: the file the text came from: named in errors, and its directory anchors relative paths.
    /// - Throws: ``ExporterError`` with code `webConfigInvalid` or `tlsUnusable`.
    public init(yaml: String, path: String) throws {
        self = try WebConfigParser(path: path).parse(yaml)
    }

    /// Why a file cannot be read, in a few words.
    static func reason(_ error: any Error, path: String) -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return "no such file" }
        if isDirectory.boolValue { return "is a directory" }
        if (error as? CocoaError)?.code == .fileReadNoPermission { return "permission denied" }
        return "cannot be read"
    }

    /// `$2a$`, `$2b$` or `$2y$`, a two-digit cost from 4 to 31, then 53 characters of bcrypt's base 64.
    static func isBcrypt(_ hash: String) -> Bool {
        let bytes = Array(hash.utf8)
        guard bytes.count == 60, bytes[0] == UInt8(ascii: "$"), bytes[1] == UInt8(ascii: "2"),
            [UInt8(ascii: "a"), UInt8(ascii: "b"), UInt8(ascii: "y")].contains(bytes[2]), bytes[3] == UInt8(ascii: "$"),
            bytes[6] == UInt8(ascii: "$"), bytes[4..<6].allSatisfy({ (48...57).contains($0) }),
            (4...31).contains(Int(bytes[4] - 48) * 10 + Int(bytes[5] - 48))
        else { return false }
        let alphabet = Set("./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)
        return bytes[7...].allSatisfy(alphabet.contains)
    }
}

/// Turns the YAML of a web config into a ``WebConfig``, with one clear error for the first problem.
private struct WebConfigParser {
    let path: String

    /// The keys of exporter-toolkit's `tls_server_config`, and why the ones that are not supported are not.
    static let tlsKeys = [
        "cert_file", "key_file", "cert", "key", "client_auth_type", "client_ca_file", "client_ca", "min_version",
        "max_version", "prefer_server_cipher_suites", "cipher_suites", "curve_preferences", "client_allowed_sans",
    ]
    /// Keys of the toolkit's format that this exporter refuses: not listed as known in errors.
    static var unsupported: Set<String> { Set(unsupportedTLSKeys.keys).union(["rate_limit"]) }
    static let unsupportedTLSKeys = [
        "cipher_suites": "NIOSSL's default cipher suites are used",
        "curve_preferences": "NIOSSL's default curves are used",
        "client_allowed_sans": "client certificates are verified against client_ca_file only",
    ]
    /// The response headers exporter-toolkit lets a config set, with their allowed values (nil: any).
    static let allowedHeaders: [String: [String]?] = [
        "Strict-Transport-Security": nil, "X-Content-Type-Options": ["nosniff"],
        "X-Frame-Options": ["deny", "sameorigin"], "X-XSS-Protection": nil, "Content-Security-Policy": nil,
    ]
    static let versions: [String: TLSVersion] = [
        "TLS10": .tlsv1, "TLS11": .tlsv11, "TLS12": .tlsv12, "TLS13": .tlsv13,
    ]

    static func rank(_ version: TLSVersion) -> Int {
        [TLSVersion.tlsv1, .tlsv11, .tlsv12, .tlsv13].firstIndex(of: version) ?? 0
    }

    func parse(_ yaml: String) throws -> WebConfig {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw invalid("malformed YAML\(Self.describe(error))")
        } catch {
            throw invalid("malformed YAML")
        }
        var config = WebConfig()
        guard let root, !Self.isNull(root) else { return config }
        let top = try entries(
            root, in: "the top level",
            known: ["tls_server_config", "basic_auth_users", "http_server_config", "rate_limit"])
        if top["rate_limit"] != nil { throw invalid("rate_limit is not supported by lazarus-exporter") }
        if let node = top["tls_server_config"] { config.tls = try tls(node) }
        if let node = top["basic_auth_users"] { config.users = try users(node) }
        if let node = top["http_server_config"] { config.headers = try http(node) }
        return config
    }

    // MARK: - Sections

    func tls(_ node: Node) throws -> WebConfig.TLS? {
        let section = "tls_server_config"
        let keys = try entries(node, in: section, known: Self.tlsKeys)
        // Absent or empty: plain HTTP, as in exporter-toolkit.
        if keys.isEmpty { return nil }
        for key in keys.keys.sorted() {
            if let why = Self.unsupportedTLSKeys[key] {
                throw invalid("\(section).\(key) is not supported by lazarus-exporter (\(why))")
            }
        }
        // Accepted for compatibility and ignored, as Go itself has ignored it since 1.18.
        if let node = keys["prefer_server_cipher_suites"] {
            _ = try bool(node, "\(section).prefer_server_cipher_suites")
        }
        let certFile = try string(keys["cert_file"], "\(section).cert_file").map(resolve)
        let keyFile = try string(keys["key_file"], "\(section).key_file").map(resolve)
        let certText = try string(keys["cert"], "\(section).cert")
        let keyText = try string(keys["key"], "\(section).key")
        let caFile = try string(keys["client_ca_file"], "\(section).client_ca_file").map(resolve)
        let caText = try string(keys["client_ca"], "\(section).client_ca")
        if certFile != nil, certText != nil { throw invalid("set only one of \(section).cert and cert_file") }
        if keyFile != nil, keyText != nil { throw invalid("set only one of \(section).key and key_file") }
        if caFile != nil, caText != nil { throw invalid("set only one of \(section).client_ca and client_ca_file") }
        guard certFile != nil || certText != nil else { throw invalid("\(section) needs cert_file (or cert)") }
        guard keyFile != nil || keyText != nil else { throw invalid("\(section) needs key_file (or key)") }

        let chain = try certificates(file: certFile, text: certText, what: "cert_file", inline: "cert")
        let key = try privateKey(file: keyFile, text: keyText)
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        // TLS 1.2 at least unless asked otherwise, as in exporter-toolkit (NIOSSL's own default is TLS 1.0).
        let minimum = try version(keys["min_version"], "min_version") ?? .tlsv12
        let maximum = try version(keys["max_version"], "max_version")
        if let maximum, Self.rank(maximum) < Self.rank(minimum) {
            throw invalid("\(section).max_version is lower than min_version")
        }
        configuration.minimumTLSVersion = minimum
        configuration.maximumTLSVersion = maximum

        let clientAuth = try string(keys["client_auth_type"], "\(section).client_auth_type") ?? "NoClientCert"
        let hasCA = caFile != nil || caText != nil
        switch clientAuth {
        case "NoClientCert":
            if hasCA { throw invalid("\(section).client_ca_file is set but client_auth_type is NoClientCert") }
        case "VerifyClientCertIfGiven", "RequireAndVerifyClientCert":
            guard hasCA else { throw invalid("\(section).client_auth_type \(clientAuth) needs client_ca_file") }
            let roots = try certificates(file: caFile, text: caText, what: "client_ca_file", inline: "client_ca")
            configuration.trustRoots = .certificates(roots)
            configuration.certificateVerification =
                clientAuth == "RequireAndVerifyClientCert" ? .noHostnameVerification : .optionalVerification
        case "RequestClientCert", "RequireAnyClientCert", "RequireClientCert":
            throw invalid(
                "\(section).client_auth_type \(clientAuth) is not supported by lazarus-exporter (client certificates"
                    + " would not be verified); use VerifyClientCertIfGiven or RequireAndVerifyClientCert")
        default:
            throw invalid(
                "\(section).client_auth_type '\(clientAuth)' is not one of NoClientCert, VerifyClientCertIfGiven,"
                    + " RequireAndVerifyClientCert")
        }

        // Building the context is what loads the key against the certificate: a mismatch fails here, at start,
        // not at the first handshake.
        do {
            _ = try NIOSSLContext(configuration: configuration)
        } catch {
            throw unusable("the certificate and key cannot be used together (\(Self.oneLine(error)))")
        }
        return WebConfig.TLS(
            configuration: configuration, certificateFile: certFile, keyFile: keyFile, clientCAFile: caFile)
    }

    func users(_ node: Node) throws -> [String: String] {
        var users: [String: String] = [:]
        // User names are free text, so the mapping is walked here rather than checked against known keys.
        guard !Self.isNull(node) else { return users }
        guard let mapping = node.mapping else {
            throw invalid("basic_auth_users must map user names to bcrypt hashes\(Self.at(node))")
        }
        for (key, value) in mapping {
            guard let user = key.scalar?.string, !Self.isNull(key) else {
                throw invalid("basic_auth_users has a user name that is not text\(Self.at(key))")
            }
            // A name that looks like a misplaced hash or key, or spans lines, is not repeated.
            let hidden =
                Self.looksSecret(user)
                || user.contains(where: { $0.isNewline || $0.asciiValue.map { $0 < 32 } == true })
            let (named, name) = hidden ? ("the user name\(Self.at(key))", "NAME") : ("'\(user)'", user)
            guard users[user] == nil else { throw invalid("basic_auth_users lists \(named) twice") }
            guard !user.contains(":") else {
                throw invalid(
                    "basic_auth_users: \(hidden ? named : "the user name \(named)") contains ':', which basic auth cannot send"
                )
            }
            guard let hash = value.scalar?.string, !Self.isNull(value), WebConfig.isBcrypt(hash) else {
                throw invalid(
                    "basic_auth_users: the password of \(named) must be a bcrypt hash ($2y$, $2b$ or $2a$, cost 4 to"
                        + " 31; htpasswd -nBC 10 \(name) makes one)")
            }
            users[user] = hash
        }
        return users
    }

    func http(_ node: Node) throws -> [String: String] {
        let section = "http_server_config"
        let keys = try entries(node, in: section, known: ["headers", "http2"])
        // HTTP/2 is a toolkit option for Go's server; this exporter speaks HTTP/1.1, which Prometheus uses anyway.
        if let node = keys["http2"] { _ = try bool(node, "\(section).http2") }
        guard let node = keys["headers"], !Self.isNull(node) else { return [:] }
        guard let mapping = node.mapping else { throw invalid("\(section).headers must be a mapping\(Self.at(node))") }
        var headers: [String: String] = [:]
        for (key, value) in mapping {
            guard let name = key.scalar?.string, let allowed = Self.allowedHeaders[name] else {
                let names = Self.allowedHeaders.keys.sorted().joined(separator: ", ")
                let shown = key.scalar.map(\.string).flatMap { Self.looksSecret($0) ? nil : " '\($0)'" } ?? ""
                throw invalid("\(section).headers:\(shown) cannot be configured (only \(names))\(Self.at(key))")
            }
            guard headers[name] == nil else { throw invalid("\(section).headers lists \(name) twice") }
            guard let text = value.scalar?.string, !Self.isNull(value) else {
                throw invalid("\(section).headers: \(name) must be text\(Self.at(value))")
            }
            if let allowed, !allowed.contains(text) {
                throw invalid("\(section).headers: \(name) must be one of \(allowed.joined(separator: ", "))")
            }
            headers[name] = text
        }
        return headers
    }

    // MARK: - Values

    /// The keys and values of a mapping; an unknown key, a duplicate or a key that is not text is an error.
    func entries(_ node: Node, in section: String, known: [String]) throws -> [String: Node] {
        if Self.isNull(node) { return [:] }
        guard let mapping = node.mapping else { throw invalid("\(section) must be a mapping\(Self.at(node))") }
        var result: [String: Node] = [:]
        for (key, value) in mapping {
            guard let name = key.scalar?.string else {
                throw invalid("\(section) has a key that is not text\(Self.at(key))")
            }
            guard known.contains(name) else {
                let shown = Self.looksSecret(name) ? "" : " '\(name)'"
                throw invalid(
                    "unknown key\(shown) in \(section)\(Self.at(key)); known keys: "
                        + known.filter { !Self.unsupported.contains($0) }.sorted().joined(separator: ", "))
            }
            guard result[name] == nil else { throw invalid("\(section) has '\(name)' twice\(Self.at(key))") }
            result[name] = value
        }
        return result
    }

    /// A text value; nil when absent or null.
    func string(_ node: Node?, _ key: String) throws -> String? {
        guard let node, !Self.isNull(node) else { return nil }
        guard let text = node.scalar?.string else { throw invalid("\(key) must be text\(Self.at(node))") }
        return text
    }

    func bool(_ node: Node, _ key: String) throws -> Bool? {
        if Self.isNull(node) { return nil }
        guard let value = node.bool else { throw invalid("\(key) must be true or false\(Self.at(node))") }
        return value
    }

    func version(_ node: Node?, _ key: String) throws -> TLSVersion? {
        guard let text = try string(node, "tls_server_config.\(key)") else { return nil }
        guard let version = Self.versions[text] else {
            throw invalid("tls_server_config.\(key) '\(text)' is not one of TLS10, TLS11, TLS12, TLS13")
        }
        return version
    }

    /// A path from the file, relative to the file's directory unless absolute (as in exporter-toolkit).
    func resolve(_ file: String) -> String {
        if file.hasPrefix("/") { return file }
        return URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent(file).standardized.path
    }

    func certificates(file: String?, text: String?, what: String, inline: String) throws -> [NIOSSLCertificate] {
        let bytes = try pem(file: file, text: text, what: what)
        let certificates = try? NIOSSLCertificate.fromPEMBytes(bytes)
        guard let certificates, !certificates.isEmpty else {
            throw unusable(
                file.map { "\(what) '\($0)' holds no PEM certificate" } ?? "\(inline) holds no PEM certificate")
        }
        return certificates
    }

    func privateKey(file: String?, text: String?) throws -> NIOSSLPrivateKey {
        let bytes = try pem(file: file, text: text, what: "key_file")
        do {
            return try NIOSSLPrivateKey(bytes: bytes, format: .pem)
        } catch {
            throw unusable(
                (file.map { "key_file '\($0)'" } ?? "key")
                    + " is not an unencrypted PEM private key (\(Self.oneLine(error)))")
        }
    }

    func pem(file: String?, text: String?, what: String) throws -> [UInt8] {
        if let text { return Array(text.utf8) }
        guard let file else { return [] }
        do {
            return Array(try Data(contentsOf: URL(fileURLWithPath: file)))
        } catch {
            throw unusable("\(what) '\(file)': \(WebConfig.reason(error, path: file))")
        }
    }

    // MARK: - Errors

    func invalid(_ message: String) -> ExporterError {
        ExporterError(.webConfigInvalid, "web config '\(path)': \(message)")
    }

    func unusable(_ message: String) -> ExporterError {
        ExporterError(.tlsUnusable, "web config '\(path)': \(message)")
    }

    /// ` at line N`, when the node knows where it was.
    static func at(_ node: Node) -> String {
        node.mark.map { " at line \($0.line)" } ?? ""
    }

    /// Where and what libyaml found wrong; never the text itself, which may hold a hash.
    static func describe(_ error: YamlError) -> String {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let during = context.map { " (\($0.text))" } ?? ""
            return " at line \(mark.line), column \(mark.column): \(problem)\(during)"
        case .reader(let problem, _, _, _): return ": \(problem)"
        default: return ""
        }
    }

    static func oneLine(_ error: any Error) -> String {
        "\(error)".split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    /// An unquoted `~`, `null` or nothing.
    static func isNull(_ node: Node) -> Bool {
        guard let scalar = node.scalar, scalar.style == .plain || scalar.style == .any else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    /// A text that could be a misplaced hash or key: not repeated in an error.
    static func looksSecret(_ text: String) -> Bool {
        text.hasPrefix("$") || text.count > 40 || text.contains("-----")
    }
}
