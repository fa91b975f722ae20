import LazarusCore

/// A failure of the report: a stable code and one clear line.
public struct ReportError: UserFacingError, Equatable, CustomStringConvertible {
    /// What kind of failure this is.
    public enum Code: String, Sendable {
        /// A flag or a window that makes no sense.
        case invalidInput = "invalid-input"
        /// The template is missing or malformed.
        case template = "template"
        /// The output cannot be written.
        case output = "output"
        /// No usable font is installed.
        case fonts = "fonts"
    }

    /// The failure's code.
    public var code: Code
    /// One line, safe to print.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
