import ArgumentParser
import LazarusBuildInfo
import LazarusCommandLine
import LazarusCore
import LazarusReport

struct LazarusReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lazarus-report",
        abstract: "Write the weekly shadow-mode PDF (Model V1 vs V2) and its JSON twin.",
        discussion: """
            Writes <out>/shadow-report-<period>.pdf and .json, and registers V0, V1 and V2 in lazarus_models
            (status draft). Default window: the last complete ISO week of the data. Figures built on outcomes
            rest on the decisions at least the performance window old at the window's end.
            """,
        version: BuildInfo.versionLine("lazarus-report"))

    @OptionGroup var store: StoreOptions
    @OptionGroup var valuation: ValuationOptions
    @OptionGroup var exploration: EpsilonOption

    @Option(help: "ISO week to report, e.g. 2026-W47.")
    var week: String?

    @Option(help: "First day of the window, YYYY-MM-DD (with --to).")
    var from: String?

    @Option(help: "Last day of the window, YYYY-MM-DD, inclusive (with --from).")
    var to: String?

    @Option(help: "Directory to write the report into (default: output/ in the Lazarus home).")
    var out: String?

    @OptionGroup var performanceWindow: PerformanceWindowOption

    @Flag(
        name: .customLong("no-register"),
        help: "Do not register the report's models in lazarus_models: read only (a read-only role, a standby).")
    var noRegister = false

    @Option(
        help:
            "Mustache template for the report's wording (default: templates/shadow-report.mustache in the Lazarus home)."
    )
    var template: String?

    func run() throws {
        let environment = Environment.process
        let valued = try valuation.resolve(environment)
        let policy = try PolicySettings(epsilon: exploration.epsilon(environment), riskThreshold: valued.riskThreshold)
        let period: ReportPeriod?
        switch (week, from, to) {
        case (let week?, nil, nil): period = try ReportPeriod(isoWeek: week)
        case (nil, let from?, let to?): period = try ReportPeriod(from: from, to: to)
        case (nil, nil, nil): period = nil
        default: throw CommandLineError("give either --week, or --from with --to")
        }
        let windowDays = try performanceWindow.days(environment)
        let job = ShadowReportJob(
            policy: policy, lifetimeValue: valued.defaultLTV,
            outputDirectory: out ?? LazarusHome.path("output", environment),
            templatePath: template ?? LazarusHome.path(LazarusHome.marker, environment),
            performanceWindowDays: windowDays, registersModels: !noRegister)
        let output = try job.run(store: store.open(environment), period: period)
        print("wrote \(output.pdfPath) and \(output.jsonPath)")
        if !output.registeredVersions.isEmpty {
            print("registered \(output.registeredVersions.joined(separator: ", ")) as draft in lazarus_models")
        }
    }
}
