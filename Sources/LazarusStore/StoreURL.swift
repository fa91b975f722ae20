import Foundation

/// Where a store lives: the `sqlite:PATH` embedded default or a PostgreSQL connection URI.
public enum StoreURL: Equatable, Sendable, CustomStringConvertible {
    /// An SQLite file, relative to the working directory or absolute.
    case sqlite(path: String)
    /// A libpq connection URI (`postgres://…` or `postgresql://…`), passed to libpq as is.
    case postgres(uri: String)

    /// The embedded default, `sqlite:output/lazarus.sqlite`.
    public static let embeddedDefault = StoreURL.sqlite(path: "output/lazarus.sqlite")

    /// Parses a store URL.
    /// - Parameter text: `sqlite:PATH`, `sqlite://PATH`, `postgres://…` or `postgresql://…`.
    /// - Throws: ``StoreError`` with code `invalidURL` for anything else; the message is redacted.
    public init(parsing text: String) throws {
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            self = .postgres(uri: text)
            return
        }
        if text.hasPrefix("sqlite:") {
            var path = text.dropFirst("sqlite:".count)
            // Accept the URL-style spelling `sqlite:///abs/path` and `sqlite://rel/path` as well.
            if path.hasPrefix("//") { path = path.dropFirst(2) }
            guard !path.isEmpty else {
                throw StoreError(.invalidURL, "store URL 'sqlite:' has no file path (try sqlite:output/lazarus.sqlite)")
            }
            self = .sqlite(path: String(path))
            return
        }
        let shown = Self.redact(text)
        guard let colon = text.firstIndex(of: ":") else {
            throw StoreError(
                .invalidURL, "store URL '\(shown)' has no scheme (expected sqlite:PATH or postgres://…)")
        }
        throw StoreError(
            .invalidURL,
            "store URL scheme '\(text[..<colon])' is not supported (expected sqlite:PATH or postgres://…)")
    }

    /// The URL with any password replaced by `***`, safe for logs and error messages.
    public var description: String {
        switch self {
        case .sqlite(let path): return "sqlite:\(path)"
        case .postgres(let uri): return Self.redact(uri)
        }
    }

    /// Replaces the password of `scheme://user:password@host` and any `password=` parameter with `***`.
    /// - Parameter text: a URL or connection string.
    /// - Returns: the same text without secrets.
    public static func redact(_ text: String) -> String {
        var out = text
        for range in secretRanges(in: text).reversed() { out.replaceSubrange(range, with: "***") }
        return out
    }

    /// The passwords `text` carries, as written, each also percent-decoded (libpq decodes them).
    /// - Parameter text: a URL or connection string.
    /// - Returns: the secrets, for scrubbing messages that might echo them.
    public static func secrets(in text: String) -> [String] {
        secretRanges(in: text).flatMap { range -> [String] in
            let written = String(text[range])
            let decoded = written.removingPercentEncoding
            return decoded.map { $0 == written ? [written] : [written, $0] } ?? [written]
        }
    }

    /// Where the passwords are, in text order. The user info ends before the first `/` after the scheme,
    /// as libpq ends it (so a `?` or `#` inside a password does not hide it); redacting up to the last `@`
    /// there covers at least what libpq takes as the password.
    static func secretRanges(in text: String) -> [Range<String.Index>] {
        var ranges: [Range<String.Index>] = []
        var searchFrom = text.startIndex
        if let schemeEnd = text.range(of: "://") {
            let authorityEnd = text[schemeEnd.upperBound...].firstIndex(of: "/") ?? text.endIndex
            let authority = text[schemeEnd.upperBound..<authorityEnd]
            if let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") {
                ranges.append(text.index(after: colon)..<at)
                searchFrom = at
            }
        }
        while let key = text.range(of: "password=", options: .caseInsensitive, range: searchFrom..<text.endIndex) {
            let valueEnd = text[key.upperBound...].firstIndex(where: { "& ".contains($0) }) ?? text.endIndex
            ranges.append(key.upperBound..<valueEnd)
            searchFrom = valueEnd
        }
        return ranges
    }
}
