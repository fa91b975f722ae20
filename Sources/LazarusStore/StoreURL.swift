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
        if let schemeEnd = out.range(of: "://") {
            let authorityEnd = out[schemeEnd.upperBound...].firstIndex(where: { "/?#".contains($0) }) ?? out.endIndex
            let authority = out[schemeEnd.upperBound..<authorityEnd]
            if let at = authority.lastIndex(of: "@"),
                let colon = authority[..<at].firstIndex(of: ":")
            {
                out.replaceSubrange(out.index(after: colon)..<at, with: "***")
            }
        }
        var searchFrom = out.startIndex
        while let key = out.range(of: "password=", options: .caseInsensitive, range: searchFrom..<out.endIndex) {
            let valueEnd = out[key.upperBound...].firstIndex(where: { "& ".contains($0) }) ?? out.endIndex
            out.replaceSubrange(key.upperBound..<valueEnd, with: "***")
            searchFrom = out.index(key.upperBound, offsetBy: 3)
        }
        return out
    }
}
