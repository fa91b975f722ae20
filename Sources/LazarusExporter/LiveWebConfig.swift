import HTTPTypes
import NIOSSL
import Synchronization

/// The web config in force, replaced on SIGHUP without closing the listener: basic-auth users, response
/// headers and the TLS certificate and key change for the next request or handshake; connections already
/// open keep theirs.
///
/// What the listener was built with stays: plain HTTP or TLS, the client-certificate settings and the TLS
/// versions. A reload that changes them is refused whole (the old config stays, and the log says to restart),
/// so a reload never leaves the exporter half in one config and half in another.
final class LiveWebConfig: Sendable {
    /// What requests read: the config, with its verifier and header fields built once.
    struct Snapshot: Sendable {
        var config: WebConfig
        var verifier: BasicAuthVerifier?
        var headers: [HTTPField]

        init(_ config: WebConfig) {
            self.config = config
            verifier = config.users.isEmpty ? nil : BasicAuthVerifier(users: config.users)
            headers = config.headers.sorted { $0.key < $1.key }.compactMap { name, value in
                HTTPField.Name(name).map { HTTPField(name: $0, value: value) }
            }
        }
    }

    private let current: Mutex<Snapshot>

    init(_ config: WebConfig) {
        current = Mutex(Snapshot(config))
    }

    /// The config in force now.
    var snapshot: Snapshot { current.withLock { $0 } }

    /// Puts `config` in force.
    /// - Throws: ``ExporterError`` with code `webConfigInvalid` when it changes what only a restart can.
    func replace(with config: WebConfig) throws {
        let old = snapshot.config
        if let why = Self.needsRestart(from: old, to: config) {
            throw ExporterError(.webConfigInvalid, "the new web config \(why); restart the exporter to apply it")
        }
        current.withLock { $0 = Snapshot(config) }
    }

    /// Why `new` cannot replace `old` in a running server, `nil` when it can.
    static func needsRestart(from old: WebConfig, to new: WebConfig) -> String? {
        switch (old.tls, new.tls) {
        case (nil, nil): return nil
        case (nil, _?): return "turns TLS on"
        case (_?, nil): return "turns TLS off"
        case (let before?, let after?):
            let (a, b) = (before.configuration, after.configuration)
            guard a.minimumTLSVersion == b.minimumTLSVersion, a.maximumTLSVersion == b.maximumTLSVersion else {
                return "changes the TLS versions"
            }
            guard a.certificateVerification == b.certificateVerification, a.trustRoots == b.trustRoots else {
                return "changes the client certificate settings"
            }
            return nil
        }
    }

    /// The TLS configuration to listen with: the start's, asking this object for the certificate chain and key
    /// at every handshake, so a reload takes effect without a new listener.
    func listeningTLS() -> TLSConfiguration? {
        guard var configuration = snapshot.config.tls?.configuration else { return nil }
        configuration.sslContextCallback = { [self] _, promise in
            var override = NIOSSLContextConfigurationOverride()
            if let tls = snapshot.config.tls?.configuration {
                override.certificateChain = tls.certificateChain
                override.privateKey = tls.privateKey
            }
            promise.succeed(override)
        }
        return configuration
    }
}
