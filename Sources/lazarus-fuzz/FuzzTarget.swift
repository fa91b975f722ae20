import LazarusExporter
import LazarusStore

/// A parser that takes outside text, and what must hold for any input: no crash, an error is one line, and
/// a secret in the input never reaches what is printed.
enum FuzzTarget: String, CaseIterable {
    /// `--store` / `LAZARUS_STORE`: ``StoreURL``.
    case storeURL = "store-url"
    /// `--web.config.file`: ``WebConfig``.
    case webConfig = "web-config"

    /// Runs the parser on `bytes`.
    /// - Returns: the broken property, `nil` when all held.
    func check(_ bytes: [UInt8]) -> String? {
        let text = String(decoding: bytes, as: UTF8.self)
        switch self {
        case .storeURL: return Self.checkStoreURL(text)
        case .webConfig: return Self.checkWebConfig(text)
        }
    }

    private static func checkStoreURL(_ text: String) -> String? {
        // Secrets long enough not to occur by chance in the rest of the text, and occurring once in it.
        let secrets = StoreURL.passwords(in: text).filter {
            $0.utf8.count >= 8 && occurrences(of: $0, in: text) == 1
        }
        let printed: String
        switch printedForm(of: text) {
        case .failure(let broken): return broken.description
        case .success(nil): return nil
        case .success(let shown?): printed = shown
        }
        if let secret = secrets.first(where: { leaks($0, in: printed, from: text) }) {
            return "a password is printed: \(secret)"
        }
        if let secret = secrets.first(where: { occurrences(of: $0, in: StoreURL.redact(text)) > 0 }) {
            return "a password survives redaction: \(secret)"
        }
        return nil
    }

    /// What Lazarus prints for `text` (its description or its error), `nil` for an SQLite path, or the
    /// broken property.
    private static func printedForm(of text: String) -> Result<String?, BrokenProperty> {
        do {
            let url = try StoreURL(parsing: text)
            // An SQLite path is no password, even when it looks like `u:p@h`: libpq never sees it.
            if case .sqlite = url { return .success(nil) }
            return .success(url.description)
        } catch let error as StoreError {
            if let broken = oneLine(error.message) { return .failure(BrokenProperty(description: broken)) }
            return .success(error.message)
        } catch {
            return .failure(BrokenProperty(description: "an error that is not a StoreError: \(type(of: error))"))
        }
    }

    /// Whether `printed` shows `secret` more often than the message for the same input with the secret
    /// blanked out: the messages' own words ("postgres://…") hold substrings a fuzzed password can match.
    private static func leaks(_ secret: String, in printed: String, from text: String) -> Bool {
        let control = blanking(secret, in: text)
        guard case .success(let shown) = printedForm(of: control) else {
            return occurrences(of: secret, in: printed) > 0
        }
        return occurrences(of: secret, in: printed) > occurrences(of: secret, in: shown ?? "")
    }

    // The oracle searches Unicode scalars itself: Foundation's string search traps on some inputs with NUL
    // and control bytes (found by this fuzzer, Fuzz/corpus/store-url/crash-nul-in-password-oracle), and the
    // oracle must not be the thing that crashes.

    /// The non-overlapping occurrences of `needle` in `haystack`, compared scalar by scalar.
    private static func occurrences(of needle: String, in haystack: String) -> Int {
        matches(of: Array(needle.unicodeScalars), in: Array(haystack.unicodeScalars)).count
    }

    /// `text` with every occurrence of `secret` replaced by as many private-use scalars.
    private static func blanking(_ secret: String, in text: String) -> String {
        let needle = Array(secret.unicodeScalars)
        var scalars = Array(text.unicodeScalars)
        for start in matches(of: needle, in: scalars) {
            scalars.replaceSubrange(start..<start + needle.count, with: repeatElement("\u{E000}", count: needle.count))
        }
        var blanked = String.UnicodeScalarView()
        blanked.append(contentsOf: scalars)
        return String(blanked)
    }

    private static func matches(of needle: [Unicode.Scalar], in haystack: [Unicode.Scalar]) -> [Int] {
        guard !needle.isEmpty else { return [] }
        var starts: [Int] = []
        var index = 0
        while index + needle.count <= haystack.count {
            if haystack[index..<index + needle.count].elementsEqual(needle) {
                starts.append(index)
                index += needle.count
            } else {
                index += 1
            }
        }
        return starts
    }

    private static func checkWebConfig(_ text: String) -> String? {
        do {
            // A path whose directory does not exist: the files it names are never read.
            _ = try WebConfig(yaml: text, path: "/nonexistent-lazarus-fuzz/web.yml")
            return nil
        } catch let error as ExporterError {
            if let broken = oneLine(error.message) { return broken }
            let hashes = text.split(whereSeparator: { $0.isWhitespace || $0 == "\"" || $0 == "'" })
                .filter { $0.hasPrefix("$2") && $0.count >= 20 }
            if let hash = hashes.first(where: { occurrences(of: String($0), in: error.message) > 0 }) {
                return "a hash is printed: \(hash) in \(error.message.debugDescription)"
            }
            return nil
        } catch {
            return "an error that is not an ExporterError: \(type(of: error))"
        }
    }

    /// A property that did not hold.
    struct BrokenProperty: Error {
        var description: String
    }

    private static func oneLine(_ message: String) -> String? {
        message.contains(where: \.isNewline) ? "an error of more than one line: \(message.debugDescription)" : nil
    }
}
