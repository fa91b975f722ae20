import Foundation
import LazarusCore
import Logging

/// One event per line on stderr, in logfmt (`time=… level=info source=… msg="…" key=value`) or JSON, the two
/// formats of Prometheus's promslog. Values are escaped so that no message can break a line.
public struct LineLogHandler: LogHandler {
    /// The line format.
    public enum Format: String, Sendable {
        case logfmt
        case json
    }

    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    private let label: String
    private let format: Format

    /// Creates a handler for a logger's label.
    public init(label: String, format: Format) {
        self.label = label
        self.format = format
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let fields = metadata.merging(event.metadata ?? [:]) { $1 }.map { ($0.key, "\($0.value)") }.sorted {
            $0.0 < $1.0
        }
        let line = Self.line(
            time: Date(), level: event.level, source: label, message: "\(event.message)", fields: fields, format: format
        )
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// The text of one event, without its line break.
    static func line(
        time: Date, level: Logger.Level, source: String, message: String, fields: [(String, String)], format: Format
    ) -> String {
        let stamp = Timestamp(microseconds: Int64((time.timeIntervalSince1970 * 1e6).rounded())).iso8601
        let all = [("time", stamp), ("level", name(level)), ("source", source), ("msg", message)] + fields
        switch format {
        case .logfmt: return all.map { "\($0.0)=\(logfmt($0.1))" }.joined(separator: " ")
        case .json: return "{" + all.map { "\(json($0.0)):\(json($0.1))" }.joined(separator: ",") + "}"
        }
    }

    /// promslog's level names.
    static func name(_ level: Logger.Level) -> String {
        switch level {
        case .trace, .debug: "debug"
        case .info, .notice: "info"
        case .warning: "warn"
        case .error, .critical: "error"
        }
    }

    /// A bare value when it needs no quotes, else a quoted one with `"`, `\` and control characters escaped.
    static func logfmt(_ value: String) -> String {
        let bare =
            !value.isEmpty
            && value.unicodeScalars.allSatisfy {
                $0.value > 32 && $0 != "\"" && $0 != "=" && $0 != "\\" && $0.value != 127
            }
        return bare ? value : json(value)
    }

    /// A JSON string literal.
    static func json(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 32 || scalar.value == 127 || (0x2028...0x2029).contains(scalar.value):
                out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
