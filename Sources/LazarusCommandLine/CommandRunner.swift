import ArgumentParser
import Foundation
import LazarusCore
import LazarusStore

/// Runs a Lazarus command so that any user error is one line on stderr and a non-zero exit.
///
/// ArgumentParser's default prints the usage block under a parse error; a Lazarus tool prints
/// `tool: error: message` only (the usage is one `--help` away), and never a stack trace.
public enum CommandRunner {
    /// Parses the arguments, runs the command, and exits.
    /// - Parameters:
    ///   - command: the root command type.
    ///   - arguments: the arguments, without the executable (default: the process's).
    public static func main<Command: ParsableCommand>(_ command: Command.Type, arguments: [String]? = nil) -> Never {
        do {
            var parsed = try Command.parseAsRoot(arguments)
            try parsed.run()
            exit(0)
        } catch {
            exit(report(error, command: command))
        }
    }

    /// Parses the arguments, runs the asynchronous command, and exits.
    /// - Parameters:
    ///   - command: the root command type.
    ///   - arguments: the arguments, without the executable (default: the process's).
    public static func main<Command: AsyncParsableCommand>(
        _ command: Command.Type, arguments: [String]? = nil
    ) async -> Never {
        do {
            var parsed = try Command.parseAsRoot(arguments)
            if var asyncCommand = parsed as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try parsed.run()
            }
            exit(0)
        } catch {
            exit(report(error, command: command))
        }
    }

    /// Prints what an error means for the user and returns the exit status.
    static func report<Command: ParsableCommand>(_ error: any Error, command: Command.Type) -> Int32 {
        let tool = Command.configuration.commandName ?? "lazarus"
        let message: String
        switch error {
        case let error as UserFacingError: message = error.message
        default:
            let code = Command.exitCode(for: error)
            let text = Command.message(for: error)
            if code == .success {
                // --help and --version: the text is the answer, on stdout.
                print(text)
                return 0
            }
            if error is ExitCode { return code.rawValue }
            message = text
        }
        let line = message.split(whereSeparator: \.isNewline).first.map(String.init) ?? "failed"
        FileHandle.standardError.write(Data("\(tool): error: \(line)\n".utf8))
        return 1
    }
}
