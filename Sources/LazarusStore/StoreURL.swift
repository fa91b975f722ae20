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
            try Self.checkUserInfo(text)
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
        // Named from the redacted text: what stands before the first colon may hold a `password=`.
        let shown = Self.printable(Self.redact(text))
        guard let colon = shown.firstIndex(of: ":") else {
            throw StoreError(
                .invalidURL, "store URL '\(shown)' has no scheme (expected sqlite:PATH or postgres://…)")
        }
        throw StoreError(
            .invalidURL,
            "store URL scheme '\(shown[..<colon])' is not supported (expected sqlite:PATH or postgres://…)")
    }

    /// `text` with line breaks and other control characters escaped (`\n`, `\u{1B}`), for a one-line message.
    static func printable(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .control, .lineSeparator, .paragraphSeparator: out += scalar.escaped(asASCII: true)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// The URL with any password replaced by `***`, safe for logs and error messages.
    public var description: String {
        switch self {
        // A path holds no password, but a mistyped `sqlite:postgres://u:pw@h` would: redacted as well.
        case .sqlite(let path): return Self.redact("sqlite:\(path)")
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

    /// The passwords `text` carries, each as written and percent-decoded (libpq decodes them).
    /// - Parameter text: a URL or connection string.
    /// - Returns: the passwords, in text order.
    public static func passwords(in text: String) -> [String] {
        secretRanges(in: text).flatMap { forms(String(text[$0])) }
    }

    /// A password as written and, when that differs, percent-decoded.
    private static func forms(_ written: String) -> [String] {
        written.removingPercentEncoding.map { $0 == written ? [written] : [written, $0] } ?? [written]
    }

    /// The passwords `text` carries (``passwords(in:)``) and their pieces.
    /// - Parameter text: a URL or connection string.
    /// - Returns: the secrets, for scrubbing messages that might echo them.
    public static func secrets(in text: String) -> [String] {
        secretRanges(in: text).flatMap { range -> [String] in
            let written = String(text[range])
            let whole = forms(written)
            // The pieces too, longest first: libpq may echo a piece of a malformed password as a port or a host.
            let pieces = written.split(whereSeparator: { "/@:?#&=".contains($0) }).map(String.init)
            return whole + pieces.filter { !whole.contains($0) }.sorted { $0.count > $1.count }
        }
    }

    /// Where the passwords are, in text order. The user info is taken to end at the last `@` after the
    /// scheme, wherever a `/`, `?` or `#` falls: libpq ends it earlier (at the first `@` before any `/`) and
    /// takes what follows as host, port and database, echoing those in its messages, so redacting up to the
    /// last `@` covers every reading of a malformed URI, at the cost of hiding a host now and then.
    static func secretRanges(in text: String) -> [Range<String.Index>] {
        var ranges: [Range<String.Index>] = []
        var searchFrom = text.startIndex
        if let info = userInfo(in: text), let colon = text[info].firstIndex(of: ":") {
            ranges.append(text.index(after: colon)..<info.upperBound)
            searchFrom = info.upperBound
        }
        while let key = text.range(of: "password=", options: .caseInsensitive, range: searchFrom..<text.endIndex) {
            let valueEnd = text[key.upperBound...].firstIndex(where: { "& ".contains($0) }) ?? text.endIndex
            ranges.append(key.upperBound..<valueEnd)
            searchFrom = valueEnd
        }
        return ranges
    }

    /// From after `://` to the last `@`, or `nil` when there is no `@`.
    static func userInfo(in text: String) -> Range<String.Index>? {
        guard let schemeEnd = text.range(of: "://"), let at = text[schemeEnd.upperBound...].lastIndex(of: "@")
        else { return nil }
        return schemeEnd.upperBound..<at
    }

    /// Refuses a user name or password with an unescaped `/` or `@`: libpq would split it elsewhere, take a
    /// piece of the password as a host, port or database, and print that piece in its errors.
    static func checkUserInfo(_ text: String) throws {
        guard let info = userInfo(in: text), text[info].contains(where: { $0 == "/" || $0 == "@" }) else { return }
        throw StoreError(
            .invalidURL,
            "store URL '\(printable(redact(text)))' has a '/' or '@' in its user name or password: percent-encode them (%2F, %40)"
        )
    }
}
