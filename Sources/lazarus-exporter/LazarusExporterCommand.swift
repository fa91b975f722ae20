import ArgumentParser
import Foundation
import LazarusBuildInfo
import LazarusCommandLine
import LazarusCore
import LazarusExporter
import LazarusMetrics
import LazarusStore
import Logging

@main
enum Main {
    static func main() async { await CommandRunner.main(LazarusExporterCommand.self) }
}

struct LazarusExporterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lazarus-exporter",
        abstract: "Serve the cost-of-knowledge metrics in Prometheus text format (0.0.4).",
        discussion: """
            Serves /metrics, /healthz, /readyz and a landing page at /. The first refresh aggregates the \
            tables in the database; each scrape after that reads only the rows added since the last one, \
            within the scrape deadline (X-Prometheus-Scrape-Timeout-Seconds less 0.5 s); a refresh that \
            cannot finish in time leaves the last complete snapshot served. --log.level debug logs one line \
            per refresh; --log.format json writes each event as one JSON object per line.

            --web.config.file (or LAZARUS_WEB_CONFIG_FILE) turns on TLS and basic auth: a YAML file in the \
            Prometheus exporter-toolkit format, checked at start. It protects every path, /healthz included.
            """,
        version: BuildInfo.versionLine("lazarus-exporter"))

    @OptionGroup var store: StoreOptions
    @OptionGroup var valuation: ValuationOptions
    @OptionGroup var performanceWindow: PerformanceWindowOption
    @OptionGroup var log: LogOptions

    @Option(help: "Address to serve on, HOST:PORT.")
    var listen = "127.0.0.1:9478"

    @Option(help: "Seconds between background refreshes.")
    var refreshInterval: Double = 15

    @Option(
        name: .customLong("web.config.file"),
        help: ArgumentHelp(
            "Web config in the exporter-toolkit format: TLS, basic auth with bcrypt hashes, response headers"
                + " (default: $LAZARUS_WEB_CONFIG_FILE, else plain HTTP, open).",
            valueName: "path"))
    var webConfigFile: String?

    @Flag(help: "Print one exposition to stdout and exit (for the node_exporter textfile collector).")
    var once = false

    func run() async throws {
        let environment = Environment.process
        let valued = try valuation.resolve(environment)
        let windowDays = try performanceWindow.days(environment)
        guard once else {
            let (host, port) = try Self.parseListen(listen)
            // A day at most: the interval becomes a sleep in milliseconds, and nobody means more.
            guard refreshInterval.isFinite, refreshInterval > 0, refreshInterval <= 86_400 else {
                throw CommandLineError("--refresh-interval must be a positive number of seconds, at most 86400")
            }
            // A web config that cannot be used stops the exporter here, before it listens: never a silent plain HTTP.
            let webConfigPath = webConfigFile ?? environment["LAZARUS_WEB_CONFIG_FILE"]
            let webConfig = try webConfigPath.map(WebConfig.init(contentsOfFile:)) ?? WebConfig()
            // Fail fast on a bad URL; an unreachable database is not fatal: it is retried, with lazarus_up 0.
            let url = try store.url(environment)
            let logger = try log.logger("lazarus.exporter", environment)
            try await ExporterServer(
                store: url, host: host, port: port, refreshInterval: refreshInterval,
                riskThreshold: valued.riskThreshold, lifetimeValue: valued.defaultLTV,
                performanceWindowDays: windowDays, webConfig: webConfig, webConfigPath: webConfigPath, logger: logger
            ).run()
            return
        }
        let target = try store.open(environment)
        try target.verifySchema()
        var state = ExperimentState(
            riskThreshold: valued.riskThreshold, lifetimeValue: valued.defaultLTV,
            performanceWindowDays: windowDays)
        let clock = ContinuousClock()
        let start = clock.now
        try state.refresh(from: .store(target), now: Date().timeIntervalSince1970)
        let elapsed = (clock.now - start).components
        let status = RefreshStatus(
            up: true, lastRefresh: Date().timeIntervalSince1970,
            duration: Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18)
        print(Exposition.render(state.aggregate.families(status)), terminator: "")
    }
}

extension LazarusExporterCommand {
    /// `HOST:PORT`, with `[v6]:PORT` for IPv6.
    static func parseListen(_ text: String) throws -> (String, Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
            (1...65535).contains(port)
        else { throw CommandLineError("--listen must be HOST:PORT, got '\(text)'") }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw CommandLineError("--listen must be HOST:PORT, got '\(text)'") }
        return (host, port)
    }
}
