import LazarusCore

/// A failure to render: a stable code and one clear line.
public typealias RenderError = LazarusError<RenderErrorCode>

/// What kind of failure a ``RenderError`` is.
public enum RenderErrorCode: String, Sendable {
    /// The output file cannot be created or written.
    case cannotWrite = "cannot-write"
    /// Cairo reported an error while drawing.
    case drawingFailed = "drawing-failed"
}
