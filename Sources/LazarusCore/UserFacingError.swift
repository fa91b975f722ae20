/// An error whose message is one line meant for the person running the tool: every Lazarus module's
/// error type conforms, so the executables print it as `tool: error: message` and exit non-zero.
public protocol UserFacingError: Error, Sendable {
    /// One line, with no password and no applicant data.
    var message: String { get }
}

extension CoreError: UserFacingError {}
