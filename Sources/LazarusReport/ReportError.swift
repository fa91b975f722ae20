import LazarusCore

/// A failure of the report: a stable code and one clear line.
public typealias ReportError = LazarusError<ReportErrorCode>

/// What kind of failure a ``ReportError`` is.
public enum ReportErrorCode: String, Sendable {
    /// A flag or a window that makes no sense.
    case invalidInput = "invalid-input"
    /// The template is missing or malformed.
    case template = "template"
    /// The output cannot be written.
    case output = "output"
    /// No usable font is installed.
    case fonts = "fonts"
}
