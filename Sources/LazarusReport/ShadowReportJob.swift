import Foundation
import LazarusCore
import LazarusStore

/// The whole `lazarus-report` job: read, compute, register V1/V2, write the PDF and its JSON twin.
public struct ShadowReportJob {
    public var policy: PolicySettings
    public var lifetimeValue: Double
    public var outputDirectory: String
    public var templatePath: String
    /// W, in days: how long an outcome may take to arrive.
    public var performanceWindowDays: Int
    /// Whether to register V0–V2 as `draft` in `lazarus_models`; `false` (`--no-register`) writes nothing to
    /// the store, so the report runs on read-only credentials and on a hot standby.
    public var registersModels: Bool

    public init(
        policy: PolicySettings, lifetimeValue: Double, outputDirectory: String, templatePath: String,
        performanceWindowDays: Int = Maturity.defaultWindowDays, registersModels: Bool = true
    ) {
        self.registersModels = registersModels
        self.policy = policy
        self.lifetimeValue = lifetimeValue
        self.outputDirectory = outputDirectory
        self.templatePath = templatePath
        self.performanceWindowDays = performanceWindowDays
    }

    /// What was written.
    public struct Output: Sendable {
        public var report: ShadowReport
        public var pdfPath: String
        public var jsonPath: String
        public var registeredVersions: [String]
    }

    /// Runs the job.
    /// - Parameters:
    ///   - store: the store to read and to register models in.
    ///   - period: the window, or `nil` for the default (the last complete ISO week).
    ///   - now: the reader's clock: rows dated after it plus ``Timestamp/futureTolerance`` are left out, so
    ///     one decision dated 2031 neither moves the default week nor counts in the current one.
    /// - Throws: ``ReportError``, ``StoreError``.
    public func run(store: any Store, period: ReportPeriod?, now: Date = Date()) throws -> Output {
        let horizon = Timestamp.horizon(readerClock: now.timeIntervalSince1970)
        try Self.checkFonts()
        try checkOutputDirectory()
        // Parse the template before any work, so a broken template fails fast.
        _ = try ReportText(templatePath: templatePath, report: Self.emptyReport)
        try store.verifySchema()
        let decidedRange = try store.decidedRange(through: horizon)
        let window: ReportPeriod
        if let period {
            window = period
        } else if let range = decidedRange {
            window = ReportPeriod.defaultPeriod(first: range.lowerBound, last: range.upperBound)
        } else {
            throw ReportError(.invalidInput, "the store holds no decisions; run lazarus-sim or pass --week/--from/--to")
        }
        if let range = decidedRange {
            let span = Double(range.upperBound.microseconds - range.lowerBound.microseconds) / 86_400e6
            guard Double(performanceWindowDays) <= span else {
                throw ReportError(
                    .invalidInput,
                    "the performance window (\(performanceWindowDays) days) is longer than the data "
                        + "(\(Format.decimal(span, 1)) days of decisions): no decision could ever be mature")
            }
        }
        let builder = ShadowReportBuilder(
            period: window, policy: policy, lifetimeValue: lifetimeValue, performanceWindowDays: performanceWindowDays)
        // Past the horizon nothing has happened yet: a window reaching beyond it reads up to it.
        let history = try LoanHistory(
            store: store, end: min(window.end, horizon.adding(microseconds: 1)), matureThrough: builder.matureThrough,
            windowStart: window.start,
            outcomeStore: try? openStore(store.url))
        var previous: [String: LogisticModel] = [:]
        for record in try store.models() where record.status != "retired" {
            if let spec = try? ModelSpec(json: record.spec), !record.version.hasSuffix(window.label) {
                previous[spec.kind] = spec.model
            }
        }
        var result = builder.build(history, previous: previous)
        var records: [ModelRecord] = []
        let named: [(WritableKeyPath<ShadowReport.ModelsByName, ShadowReport.NamedModel?>, String, Int)] = [
            (\.v0, "v0-baseline", 1), (\.v1, "v1-standard", 2), (\.v2, "v2-causal", 3),
        ]
        for (path, prefix, summaryIndex) in named {
            guard let spec = result.report.modelsByName[keyPath: path]?.spec,
                summaryIndex < result.report.models.count
            else { continue }
            let version = "\(prefix)-\(window.label)"
            records.append(
                ModelRecord(
                    version: version, kind: spec.kind, createdAt: window.end, status: "draft", spec: try spec.json(),
                    metrics: try Self.metricsJSON(result.report.models[summaryIndex])))
            result.report.models[summaryIndex].version = version
            result.report.modelsByName[keyPath: path]?.version = version
        }
        let text = try ReportText(templatePath: templatePath, report: result.report)
        let pdfPath = "\(outputDirectory)/shadow-report-\(window.label).pdf"
        let jsonPath = "\(outputDirectory)/shadow-report-\(window.label).json"
        // All or nothing: both files are written in full beside their final names, then the models are
        // registered, then both are moved into place. A full disk, a failed write or a refused registration
        // leaves neither a report without its twin nor models registered for a report that does not exist.
        let report = result.report
        try Self.atomically(
            [
                (pdfPath, { try ShadowReportRenderer(report: report, text: text).render(to: $0) }),
                (jsonPath, { try Self.writeJSON(report, to: $0, finalPath: jsonPath) }),
            ],
            before: { if registersModels { for record in records { try store.saveModel(record) } } })
        return Output(
            report: result.report, pdfPath: pdfPath, jsonPath: jsonPath,
            registeredVersions: registersModels ? records.map(\.version) : [])
    }

    static func metricsJSON(_ model: ShadowReport.ModelSummary) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(model), as: UTF8.self)
    }

    static func writeJSON(_ report: ShadowReport, to temporary: String, finalPath: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do {
            try encoder.encode(report).write(to: URL(fileURLWithPath: temporary))
        } catch {
            throw ReportError(.output, "cannot write '\(finalPath)': \(error.localizedDescription)")
        }
    }

    /// Writes each file through a temporary file in the same directory, runs `before` once all are written,
    /// then renames them into place: a failed run never leaves a half-written file under a final name, nor
    /// one file of a set without the others.
    static func atomically(
        _ files: [(path: String, write: (String) throws -> Void)], before: () throws -> Void = {}
    )
        throws
    {
        let temporaries = files.map { $0.path + ".tmp-\(ProcessInfo.processInfo.processIdentifier)" }
        defer { temporaries.forEach { unlink($0) } }  // after the renames, a no-op
        for (file, temporary) in zip(files, temporaries) {
            do {
                try file.write(temporary)
            } catch var error as ReportError {
                // The reader knows the file by its final name.
                error.message = error.message.replacingOccurrences(of: temporary, with: file.path)
                throw error
            }
        }
        try before()
        for (file, temporary) in zip(files, temporaries) where rename(temporary, file.path) != 0 {
            throw ReportError(.output, "cannot move the finished file into place as '\(file.path)'")
        }
    }

    func checkOutputDirectory() throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: outputDirectory, isDirectory: &isDirectory), isDirectory.boolValue
        else {
            throw ReportError(.output, "output directory '\(outputDirectory)' does not exist")
        }
        guard access(outputDirectory, W_OK) == 0 else {
            throw ReportError(.output, "output directory '\(outputDirectory)' is not writable")
        }
    }

    /// Cairo's toy text API silently falls back to an invisible or ugly face when no font is installed.
    static func checkFonts() throws {
        let roots = ["/usr/share/fonts", "/usr/local/share/fonts"]
        for root in roots {
            guard let walker = FileManager.default.enumerator(atPath: root) else { continue }
            while let file = walker.nextObject() as? String {
                if file.hasSuffix(".ttf") || file.hasSuffix(".otf") { return }
            }
        }
        throw ReportError(.fonts, "no TrueType/OpenType font found under /usr/share/fonts; install fonts-dejavu-core")
    }

    static let emptyValue = ShadowReport.Value(
        perWeekDollars: nil, low: nil, high: nil, conclusive: false, method: "", applicants: 0, unsupported: 0,
        disagreements: 0, reason: nil)

    /// A report with nothing in it, to check that the template parses before the work starts.
    static let emptyReport = ShadowReport(
        period: "", windowStart: "", windowEnd: "", generatedFrom: "",
        settings: .init(epsilon: 0, riskThreshold: 0, lifetimeValue: 0, folds: 0), cutoff: "",
        performanceWindowDays: 0,
        cohort: .init(
            from: "", to: "", days: 0, eligible: 0, unsupported: 0, missingOutcomes: 0, labelledLoans: 0,
            incrementalExploreLoans: 0),
        exploration: .init(
            epsilon: 0, realisedRate: 0, exploreDecisions: 0, incrementalLoans: 0, incrementalDefaults: 0,
            incrementalLossesDollars: 0, incrementalNetPnlDollars: 0, budgetLossesDollars: 0,
            budgetLossesOnApprovedAnywayShare: nil),
        valueOfExploration: emptyValue, valueOfSwitching: emptyValue,
        modelsByName: .init(
            production: .init(
                version: nil, spec: nil, cutoff: nil, threshold: nil, rejectedAuc: nil, blindness: nil,
                observedExpected: nil, calibrationIntercept: nil, calibrationSlope: nil, samples: 0, defaults: 0),
            v0: nil, v1: nil, v2: nil),
        offPolicy: [], rejectedAucDifferences: nil, breakEvenDefaultProbability: nil, crossFit: nil,
        headline: .init(
            explorationCost: 0, revenueUnlocked: 0, revenueUnlockedLow: 0, revenueUnlockedHigh: 0, samples: 0,
            conclusive: false, panelLift: 0, goodLoansFound: 0),
        headlineToDate: .init(
            explorationCost: 0, revenueUnlocked: 0, revenueUnlockedLow: 0, revenueUnlockedHigh: 0, samples: 0,
            conclusive: false, panelLift: 0, goodLoansFound: 0),
        keyFigures: .init(
            budgetGranted: 0, budgetSpent: 0, budgetRemaining: 0, decisions: 0, exploreLoans: 0, exploreDefaults: 0,
            explorePending: 0, exploreLossesInWindow: 0, projectedRevenueLift: 0, productionBlindness: nil,
            productionBlindnessStderr: nil, blindnessSamples: 0, effectiveSampleSize: 0, labelledLoans: 0,
            skippedRows: 0),
        models: [], coefficients: [], boundary: nil, burnDown: [], calibration: [], notes: [])
}
