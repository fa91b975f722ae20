import LazarusCore

/// A bad flag or environment variable: one clear line for the user.
public struct CommandLineError: UserFacingError, Equatable, CustomStringConvertible {
    /// The line to print.
    public var message: String

    /// Creates an error.
    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
