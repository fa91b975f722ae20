import Foundation
import Logging
import Testing

@testable import LazarusCommandLine

@Suite("One log event per line, logfmt or JSON")
struct LineLogHandlerTests {
    static let time = Date(timeIntervalSince1970: 1_764_700_000.25)
    static let nasty = "two\nlines \"quoted\" back\\slash\u{7}"

    @Test("logfmt: bare values bare, everything else quoted and escaped, never a line break")
    func logfmt() {
        let line = LineLogHandler.line(
            time: Self.time, level: .warning, source: "lazarus.exporter", message: Self.nasty,
            fields: [("retry_in_seconds", "2.0"), ("error", "a=b")], format: .logfmt)
        #expect(
            line
                == #"time=2025-12-02T18:26:40.250000Z level=warn source=lazarus.exporter msg="two\nlines \"quoted\" back\\slash\u0007" retry_in_seconds=2.0 error="a=b""#
        )
        #expect(!line.contains("\n"))
    }

    @Test("JSON: one object per line that a JSON parser reads back exactly")
    func json() throws {
        let line = LineLogHandler.line(
            time: Self.time, level: .debug, source: "lazarus.exporter", message: Self.nasty,
            fields: [("decisions", "12")], format: .json)
        #expect(!line.contains("\n"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
        #expect(object["msg"] == Self.nasty)
        #expect(object["level"] == "debug")
        #expect(object["decisions"] == "12")
        #expect(object["time"] == "2025-12-02T18:26:40.250000Z")
    }

    @Test(
        "levels are promslog's; a level or format that is not is one clear error",
        arguments: [
            (["--log.level", "verbose"], "--log.level must be debug, info, warn or error, got 'verbose'"),
            (["--log.format", "xml"], "--log.format must be logfmt or json, got 'xml'"),
        ])
    func badOptions(arguments: [String], message: String) throws {
        let options = try LogOptions.parse(arguments)
        let error = #expect(throws: CommandLineError.self) { try options.logger("t", Environment([:])) }
        #expect(error?.message == message)
        #expect(LineLogHandler.name(.warning) == "warn" && LineLogHandler.name(.critical) == "error")
    }
}
