import LazarusCore

/// A failure of the exporter's setup: a stable code and one clear line, with no password and no hash.
public typealias ExporterError = LazarusError<ExporterErrorCode>

/// What kind of failure an ``ExporterError`` is.
public enum ExporterErrorCode: String, Sendable {
    /// The `--web.config.file` cannot be read: missing, unreadable, not UTF-8.
    case webConfigUnreadable = "web-config-unreadable"
    /// The web config is malformed YAML, has an unknown key, or a value that makes no sense.
    case webConfigInvalid = "web-config-invalid"
    /// A certificate, a key or a client CA named by the web config cannot be read or used.
    case tlsUnusable = "tls-unusable"
}
