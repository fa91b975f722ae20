/// A failure of the domain core: impossible settings or inputs. A stable code and one clear line.
public struct CoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    public enum Code: String, Sendable {
        /// A setting is outside its meaningful range.
        case invalidSetting = "invalid-setting"
        /// The loss budget could not be read or changed.
        case budgetUnavailable = "budget-unavailable"
    }

    /// The failure's code.
    public var code: Code
    /// One line, safe to print; it never holds applicant data.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
