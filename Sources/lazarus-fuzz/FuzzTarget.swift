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
            $0.utf8.count >= 8 && text.components(separatedBy: $0).count == 2
        }
        let printed: String
        do {
            let url = try StoreURL(parsing: text)
            // An SQLite path is no password, even when it looks like `u:p@h`: libpq never sees it.
            if case .sqlite = url { return nil }
            printed = url.description
        } catch let error as StoreError {
            printed = error.message
            if let broken = oneLine(printed) { return broken }
        } catch {
            return "an error that is not a StoreError: \(type(of: error))"
        }
        if let secret = secrets.first(where: { printed.contains($0) }) { return "a password is printed: \(secret)" }
        if let secret = secrets.first(where: { StoreURL.redact(text).contains($0) }) {
            return "a password survives redaction: \(secret)"
        }
        return nil
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
            if let hash = hashes.first(where: { error.message.contains($0) }) {
                return "a hash is printed: \(hash) in \(error.message.debugDescription)"
            }
            return nil
        } catch {
            return "an error that is not an ExporterError: \(type(of: error))"
        }
    }

    private static func oneLine(_ message: String) -> String? {
        message.contains(where: \.isNewline) ? "an error of more than one line: \(message.debugDescription)" : nil
    }
}
