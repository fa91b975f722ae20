import Crypto
import Foundation
import HummingbirdBcrypt
import NIOPosix
import Synchronization

/// Checks basic-auth credentials against bcrypt hashes, remembering recent outcomes.
///
/// A bcrypt check costs tens of milliseconds by design, and Prometheus sends the same credentials every scrape, so
/// the outcome of each check is remembered, as exporter-toolkit does. The cache key is an HMAC-SHA-256 of
/// `user:password` under a random key made for this process: never the password, nor a plain hash of it that could
/// be attacked offline. At most ``cacheLimit`` outcomes are kept, failures too (a scraper with a stale password then
/// costs one bcrypt check, not one per scrape); a random one is dropped to make room. The hashes are fixed for the
/// process's life, so a remembered outcome never goes stale.
///
/// An unknown user is checked against a dummy hash of the same kind, so the time taken does not tell which user
/// names exist. The checks run on NIO's blocking thread pool, not on the cooperative executor.
public final class BasicAuthVerifier: Sendable {
    /// How many outcomes are remembered.
    public static let cacheLimit = 100

    /// Bcrypt hashes by user, with `$2y$` read as the identical `$2b$` (HummingbirdBcrypt knows `$2a$` and `$2b$`).
    private let hashes: [String: String]
    private let cacheKey = SymmetricKey(size: .bits256)
    private let cache = Mutex<[Data: Bool]>([:])

    /// What an unknown user is checked against: a hash of a random password, at the highest cost among the
    /// configured hashes, so an unknown name takes as long as the slowest known one (a fixed cost 10 told
    /// names apart in 51 ms against 2.6 ms at htpasswd's cost 5).
    let dummyHash: String

    /// Creates a verifier; with users, it makes the dummy hash (one bcrypt at their highest cost).
    /// - Parameter users: bcrypt hashes by user name, as ``WebConfig/users`` holds them.
    public init(users: [String: String]) {
        hashes = users.mapValues(Self.normalized)
        let cost = hashes.values.compactMap(Self.cost).max() ?? 10
        dummyHash = Bcrypt.hash(UUID().uuidString, cost: cost)
    }

    /// The cost of a `$2b$NN$…` hash, `nil` when it has none bcrypt accepts (4–31).
    static func cost(_ hash: String) -> UInt8? {
        let parts = hash.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count >= 4, let cost = UInt8(parts[2]), (4...31).contains(cost) else { return nil }
        return cost
    }

    /// Whether the user is known and the password matches their hash.
    /// - Parameters:
    ///   - user: the user name sent.
    ///   - password: the password sent.
    /// - Returns: true to let the request in.
    public func verify(user: String, password: String) async -> Bool {
        let key = Data(HMAC<SHA256>.authenticationCode(for: Data("\(user):\(password)".utf8), using: cacheKey))
        if let known = cache.withLock({ $0[key] }) { return known }
        let hash = hashes[user]
        let expected = hash ?? dummyHash
        // Bcrypt reads a C string: a password with a NUL in it would be cut short, so it can never match.
        let checked = !password.utf8.contains(0)
        let matches =
            (try? await NIOThreadPool.singleton.runIfActive {
                Bcrypt.verify(checked ? password : "", hash: expected)
            }) ?? false
        let outcome = matches && hash != nil && checked
        cache.withLock { cache in
            if cache.count >= Self.cacheLimit, let victim = cache.keys.randomElement() {
                cache[victim] = nil
            }
            cache[key] = outcome
        }
        return outcome
    }

    /// The user and password of an `Authorization: Basic …` header (scheme in any case, as Go reads it); nil when
    /// there is none or it is malformed.
    /// - Parameter header: the header's value.
    public static func credentials(_ header: String?) -> (user: String, password: String)? {
        guard let header, header.count > 6, header.prefix(6).lowercased() == "basic " else { return nil }
        let encoded = header.dropFirst(6).trimmingCharacters(in: .whitespaces)
        guard let data = Data(base64Encoded: encoded), let text = String(data: data, encoding: .utf8),
            let colon = text.firstIndex(of: ":")
        else { return nil }
        return (String(text[..<colon]), String(text[text.index(after: colon)...]))
    }

    /// How many outcomes are remembered now (for tests).
    var cachedCount: Int { cache.withLock { $0.count } }

    /// `$2y$` (htpasswd's, PHP's) is bcrypt exactly as `$2b$`: read it so.
    static func normalized(_ hash: String) -> String {
        hash.hasPrefix("$2y$") ? "$2b$" + hash.dropFirst(4) : hash
    }
}
