import Foundation

/// The `LAZARUS_*` environment variables, read with clear errors for values that do not parse.
public struct Environment: Sendable {
    private let values: [String: String]

    /// The process's environment.
    public static var process: Environment { Environment(ProcessInfo.processInfo.environment) }

    /// An environment with the given variables (for tests).
    public init(_ values: [String: String]) {
        self.values = values
    }

    /// The raw value of a variable; an empty value counts as unset.
    public subscript(name: String) -> String? {
        guard let value = values[name], !value.isEmpty else { return nil }
        return value
    }

    /// A numeric setting: the flag's value if given, else the variable's, else the default.
    /// - Parameters:
    ///   - flag: the value given on the command line, if any.
    ///   - name: the environment variable.
    ///   - fallback: the default.
    /// - Returns: the value to use.
    /// - Throws: ``CommandLineError`` when the variable is set but is not a finite number.
    public func double(_ flag: Double?, _ name: String, default fallback: Double) throws -> Double {
        if let flag { return flag }
        guard let text = self[name] else { return fallback }
        guard let value = Double(text.trimmingCharacters(in: .whitespaces)), value.isFinite else {
            throw CommandLineError("\(name)='\(text)' is not a number")
        }
        return value
    }

    /// An integer setting: the flag's value if given, else the variable's, else the default.
    /// - Throws: ``CommandLineError`` when the variable is set but is not an integer.
    public func int(_ flag: Int?, _ name: String, default fallback: Int) throws -> Int {
        if let flag { return flag }
        guard let text = self[name] else { return fallback }
        guard let value = Int(text.trimmingCharacters(in: .whitespaces)) else {
            throw CommandLineError("\(name)='\(text)' is not an integer")
        }
        return value
    }

    /// A text setting: the flag's value if given, else the variable's, else the default.
    public func string(_ flag: String?, _ name: String, default fallback: String) -> String {
        flag ?? self[name] ?? fallback
    }
}
