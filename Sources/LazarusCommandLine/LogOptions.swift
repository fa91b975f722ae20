import ArgumentParser
import Logging

/// `--log.level` and `--log.format`, as promslog spells them; `LAZARUS_LOG_LEVEL` and `LAZARUS_LOG_FORMAT`
/// when the flags are not given.
public struct LogOptions: ParsableArguments {
    @Option(
        name: .customLong("log.level"),
        help: ArgumentHelp(
            "Only log messages at or above this level: debug, info, warn or error (default: $LAZARUS_LOG_LEVEL, else info).",
            valueName: "level"))
    public var level: String?

    @Option(
        name: .customLong("log.format"),
        help: ArgumentHelp(
            "logfmt or json, one event per line on stderr (default: $LAZARUS_LOG_FORMAT, else logfmt).",
            valueName: "format"))
    public var format: String?

    public init() {}

    /// A logger for `label` with the level and format asked for.
    /// - Throws: ``CommandLineError`` for a level or format that is not one of those listed.
    public func logger(_ label: String, _ environment: Environment) throws -> Logger {
        let levelText = environment.string(level, "LAZARUS_LOG_LEVEL", default: "info")
        let levels: [String: Logger.Level] = ["debug": .debug, "info": .info, "warn": .warning, "error": .error]
        guard let chosen = levels[levelText] else {
            throw CommandLineError("--log.level must be debug, info, warn or error, got '\(levelText)'")
        }
        let formatText = environment.string(format, "LAZARUS_LOG_FORMAT", default: "logfmt")
        guard let lineFormat = LineLogHandler.Format(rawValue: formatText) else {
            throw CommandLineError("--log.format must be logfmt or json, got '\(formatText)'")
        }
        var logger = Logger(label: label) { LineLogHandler(label: $0, format: lineFormat) }
        logger.logLevel = chosen
        return logger
    }
}
