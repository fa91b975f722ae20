import ArgumentParser
import Foundation
import LazarusBuildInfo
import LazarusCommandLine
import LazarusCore
import LazarusSimulation
import LazarusStore

@main
enum Main {
    static func main() { CommandRunner.main(LazarusSimCommand.self) }
}

struct LazarusSimCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lazarus-sim",
        abstract: "Run synthetic applications through the real policy and write decisions, outcomes and the ledger.",
        discussion: """
            The generating model (features, the hidden gambling habit, the production model's blind spot,
            outcome delays and losses) is documented in Sources/LazarusSimulation/LazarusSimulation.docc/SimulatedLender.md. Equal settings give identical tables.
            """,
        version: BuildInfo.versionLine("lazarus-sim"))

    @OptionGroup var store: StoreOptions
    @OptionGroup var policy: PolicyOptions

    @Option(parsing: .unconditional, help: "Number of applications (default: $LAZARUS_APPLICATIONS, else 100000).")
    var applications: Int?

    @Option(parsing: .unconditional, help: "Days the applications are spread over (default: $LAZARUS_DAYS, else 60).")
    var days: Int?

    @Option(parsing: .unconditional, help: "Random seed (default: $LAZARUS_SEED, else 42).")
    var seed: UInt64?

    @Option(help: "Grant the loss budget once or every day: once|day (default: $LAZARUS_BUDGET_PERIOD, else day).")
    var budgetPeriod: String?

    @Option(
        help:
            "First day of the run, YYYY-MM-DD, UTC (default: 2026-09-24; with --append, the day after the last decision)."
    )
    var start: String?

    @Flag(help: "Add to the experiment already in the store.")
    var append = false

    @Flag(help: "Delete the experiment already in the store first (in the same transaction as the write).")
    var replace = false

    @Option(
        help: ArgumentHelp(
            "Also write every applicant's true default probability and potential outcome to this CSV file.",
            discussion:
                "The ground truth of this run's applicants (with --append, the appended ones), beside the store and never in it: for checking the report's estimates."
        ))
    var truth: String?

    @Flag(help: "Print how long simulating and writing took, on stderr (for benchmarks).")
    var timings = false

    func run() throws {
        let environment = Environment.process
        let resolved = try policy.resolve(environment)
        let mode = try writeMode()
        // Every setting is checked before the store is opened: a refused run leaves no store behind.
        var settings = try simulationSettings(resolved, environment)
        let url = try store.url(environment)
        if let truth { try checkTruthPath(truth, store: url) }
        let target = try openStore(url)
        try target.migrate()
        if mode == .append { try continueExperiment(in: target, settings: &settings) }

        let clock = ContinuousClock()
        let simulationStart = clock.now
        let simulating = ProgressBar("simulating", total: settings.applications)
        let experiment = try ExperimentSimulator(settings: settings).run(progress: simulating.update)
        simulating.finish()
        let writeStart = clock.now

        let rowCount = experiment.decisions.count + experiment.outcomes.count
        let writing = ProgressBar("writing", total: rowCount)
        try target.writeExperiment(
            decisions: ProgressSequence(experiment.decisions, report: writing.update),
            outcomes: ProgressSequence(experiment.outcomes) { writing.update(experiment.decisions.count + $0) },
            ledger: experiment.ledger, mode: mode)
        writing.finish()
        if let truth { try writeTruth(ExperimentSimulator(settings: settings), to: truth) }
        if timings {
            let simulate = Self.seconds(writeStart - simulationStart)
            let write = Self.seconds(clock.now - writeStart)
            let rate = Int(Double(rowCount + experiment.ledger.count) / write)
            FileHandle.standardError.write(
                Data("timings: simulate \(simulate) s, write \(write) s (\(rate) rows/s)\n".utf8))
        }
        print(
            SimulationReport.render(experiment.summary, settings: settings, ltv: resolved.defaultLTV, store: target.url)
        )
    }

    /// The truth file must not be the store itself, and its directory must exist.
    private func checkTruthPath(_ path: String, store: StoreURL) throws {
        if case .sqlite(let storePath) = store,
            URL(fileURLWithPath: storePath).standardizedFileURL == URL(fileURLWithPath: path).standardizedFileURL
        {
            throw CommandLineError("--truth must name a file beside the store, not the store itself")
        }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue,
            access(directory, W_OK) == 0
        else {
            throw CommandLineError("cannot write the truth file: directory '\(directory)' is missing or not writable")
        }
    }

    /// Writes the CSV through a temporary file renamed into place, so a reader never sees half of it.
    private func writeTruth(_ simulator: ExperimentSimulator, to path: String) throws {
        var text = GroundTruth.csvHeader + "\n"
        text.reserveCapacity(simulator.settings.applications * 48)
        for row in simulator.truth() {
            text += row.csvLine
            text += "\n"
        }
        let temporary = path + ".tmp-\(ProcessInfo.processInfo.processIdentifier)"
        do {
            try text.write(toFile: temporary, atomically: false, encoding: .utf8)
            guard rename(temporary, path) == 0 else { throw CommandLineError("cannot move the truth file into place") }
        } catch let error as CommandLineError {
            unlink(temporary)
            throw error
        } catch {
            unlink(temporary)
            throw CommandLineError("cannot write the truth file '\(path)'")
        }
    }

    private static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return ((Double(seconds) + Double(attoseconds) / 1e18) * 1000).rounded() / 1000
    }

    private func writeMode() throws -> ExperimentWriteMode {
        switch (append, replace) {
        case (true, true): throw CommandLineError("--append and --replace cannot be used together")
        case (true, false): return .append
        case (false, true): return .replace
        case (false, false): return .new
        }
    }

    private func simulationSettings(
        _ resolved: ResolvedPolicyOptions, _ environment: Environment
    ) throws -> SimulationSettings {
        let periodText = environment.string(budgetPeriod, "LAZARUS_BUDGET_PERIOD", default: "day")
        guard let period = SimulationSettings.BudgetPeriod(rawValue: periodText) else {
            throw CommandLineError("budget period must be 'once' or 'day', got '\(periodText)'")
        }
        let seedValue: UInt64
        if let seed {
            seedValue = seed
        } else if let text = environment["LAZARUS_SEED"] {
            guard let parsed = UInt64(text) else { throw CommandLineError("LAZARUS_SEED='\(text)' is not a seed") }
            seedValue = parsed
        } else {
            seedValue = 42
        }
        return try SimulationSettings(
            applications: environment.int(applications, "LAZARUS_APPLICATIONS", default: 100_000),
            days: environment.int(days, "LAZARUS_DAYS", default: 60), seed: seedValue,
            start: try startDay() ?? SimulationSettings.defaultStart, policy: resolved.policy,
            lossBudget: resolved.initialLossBudget, budgetPeriod: period)
    }

    private func startDay() throws -> Timestamp? {
        guard let start else { return nil }
        guard start.count == 10, let day = Timestamp(iso8601: start) else {
            throw CommandLineError("--start must be a date like 2026-09-21, got '\(start)'")
        }
        return day
    }

    /// An appended run continues the store's experiment: new ids, a new budget period, and (unless
    /// --start says otherwise) the day after the last decision.
    private func continueExperiment(in store: any Store, settings: inout SimulationSettings) throws {
        let existing = try store.summary()
        settings.idOffset = existing.decisionCount
        settings.resetFirstPeriod = true
        if start == nil, let last = existing.decidedRange?.upperBound {
            let day = Timestamp.microsecondsPerDay
            // Through the checks of a new run: the store's last day may be 9999-12-31.
            let s = settings
            settings = try SimulationSettings(
                applications: s.applications, days: s.days, seed: s.seed,
                start: Timestamp(microseconds: (last.microseconds / day + 1) * day), policy: s.policy,
                lossBudget: s.lossBudget, budgetPeriod: s.budgetPeriod, idOffset: s.idOffset,
                resetFirstPeriod: s.resetFirstPeriod)
        }
    }
}
