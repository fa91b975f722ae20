import LazarusCore

/// A failure to render: a stable code and one clear line.
public struct RenderError: UserFacingError, Equatable, CustomStringConvertible {
    /// What kind of failure this is.
    public enum Code: String, Sendable {
        /// The output file cannot be created or written.
        case cannotWrite = "cannot-write"
        /// Cairo reported an error while drawing.
        case drawingFailed = "drawing-failed"
    }

    /// The failure's code.
    public var code: Code
    /// A one-line description safe to print.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
