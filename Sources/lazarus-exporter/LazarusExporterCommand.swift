import ArgumentParser
import Foundation
import LazarusCommandLine
import LazarusCore
import LazarusMetrics
import LazarusStore

@main
enum Main {
    static func main() { CommandRunner.main(LazarusExporterCommand.self) }
}

struct LazarusExporterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lazarus-exporter",
        abstract: "Serve the cost-of-knowledge metrics in Prometheus text format (0.0.4).",
        discussion: "Only --once is available in this build: the HTTP server is the open part of issue 5.")

    @OptionGroup var store: StoreOptions
    @OptionGroup var policy: PolicyOptions

    @Option(help: "Address to serve on (default 127.0.0.1:9478).")
    var listen = "127.0.0.1:9478"

    @Option(help: "Seconds between background refreshes.")
    var refreshInterval: Double = 15

    @Flag(help: "Print one exposition to stdout and exit (for the node_exporter textfile collector).")
    var once = false

    func run() throws {
        guard once else {
            throw CommandLineError("serving over HTTP is not in this build yet; use --once")
        }
        let environment = Environment.process
        let resolved = try policy.resolve(environment)
        let target = try store.open(environment)
        try target.verifySchema()
        var aggregate = ExperimentAggregate(
            riskThreshold: resolved.policy.riskThreshold, lifetimeValue: resolved.defaultLTV)
        let clock = ContinuousClock()
        let start = clock.now
        _ = try aggregate.refresh(from: .store(target), watermarks: Watermarks())
        let elapsed = (clock.now - start).components
        let status = RefreshStatus(
            up: true, lastRefresh: Date().timeIntervalSince1970,
            duration: Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18)
        print(Exposition.render(aggregate.families(status)), terminator: "")
    }
}

extension MetricsSource {
    /// Incremental reads on a store's ingest sequences.
    static func store(_ store: any Store) -> MetricsSource {
        MetricsSource(
            decisions: { after, body in try store.streamDecisions(RowQuery(afterSequence: after), body).lastSequence },
            outcomes: { after, body in try store.streamOutcomes(RowQuery(afterSequence: after), body).lastSequence },
            ledger: { try store.ledger() }, models: { try store.models() })
    }
}
