/// An error whose message is one line meant for the person running the tool: every Lazarus module's
/// error type conforms, so the executables print it as `tool: error: message` and exit non-zero.
public protocol UserFacingError: Error, Sendable {
    /// One line, with no password and no applicant data.
    var message: String { get }
}

/// The error type of every Lazarus module: a stable code of the module's own kind and one clear line.
///
/// Each module names its own: `typealias StoreError = LazarusError<StoreErrorCode>`, so `StoreError` and
/// `CoreError` stay distinct types while sharing this one implementation.
public struct LazarusError<Code: RawRepresentable & Hashable & Sendable>: UserFacingError, Equatable,
    CustomStringConvertible
where Code.RawValue == String {
    /// The failure's code.
    public var code: Code
    /// One line, safe to print and log: no password, no applicant data.
    public var message: String

    /// Creates an error.
    /// - Parameters:
    ///   - code: the failure's code.
    ///   - message: one line, with no password and no applicant data.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
