import Foundation
import LazarusCore
import Synchronization

/// Computes the shadow-mode report from what the store knew at the window's end.
///
/// V1 and V2 are trained on every loan labelled by the end (V1 unweighted, V2 weighted 1/propensity).
/// Each model approves the same share of applicants as production did in the window, so the
/// comparison is about *whom* each approves. Every score of a model on explore loans uses 5-fold
/// cross-fitted predictions, so a model is never judged on loans it was trained on.
public struct ShadowReportBuilder: Sendable {
    public var period: ReportPeriod
    public var policy: PolicySettings
    public var lifetimeValue: Double
    public var folds = 5
    /// Fewer explore loans than this behind the headline and it says the evidence is too thin.
    public var minimumHeadlineSamples = 20

    public init(period: ReportPeriod, policy: PolicySettings, lifetimeValue: Double) {
        self.period = period
        self.policy = policy
        self.lifetimeValue = lifetimeValue
    }

    /// The trained pair, kept for registering in `lazarus_models`.
    public struct Result: Sendable {
        public var report: ShadowReport
        public var pair: CausalTraining.Pair?
    }

    public func build(_ history: LoanHistory, previous: [String: LogisticModel] = [:]) -> Result {
        let loans = history.loans
        let inWindow = loans.filter { $0.decidedAt >= period.start }
        let eligibleInWindow = inWindow.filter { $0.variant != .compliance }
        let labelled = loans.filter { $0.approved && $0.defaulted != nil }
        var notes: [String] = []
        if inWindow.isEmpty { notes.append("No applications were decided in this window.") }
        if labelled.isEmpty { notes.append("No loan has a known outcome yet: every approved loan is still pending.") }

        // Train V1/V2 and cross-fit, when the data allows it.
        var pair: CausalTraining.Pair?
        var crossV1: [Double] = []
        var crossV2: [Double] = []
        if !labelled.isEmpty {
            do {
                let x = try DesignMatrix(names: LoanHistory.featureNames, rows: labelled.map(\.features))
                let y = labelled.map { $0.defaulted == true ? 1.0 : 0 }
                let trained = try CausalTraining.train(x, defaulted: y, propensities: labelled.map(\.propensity))
                let foldOf = labelled.map { CrossFitting.fold(of: $0.id, folds: folds) }
                (crossV1, crossV2) = try Self.crossFit(x, y, trained, folds: foldOf)
                pair = trained
            } catch let error as CoreError {
                notes.append("V1 and V2 could not be trained: \(error.message).")
            } catch {
                notes.append("V1 and V2 could not be trained.")
            }
        }

        // Volume parity: each model approves production's share of the window's eligible applicants.
        let productionShare =
            eligibleInWindow.isEmpty
            ? 0
            : Double(eligibleInWindow.filter { $0.score > policy.riskThreshold }.count) / Double(eligibleInWindow.count)
        func cutoff(_ model: LogisticModel) -> Double {
            let risks = eligibleInWindow.map { model.probability($0.features) }.sorted()
            guard !risks.isEmpty else { return 0 }
            let index = Int((productionShare * Double(risks.count)).rounded()) - 1
            return index < 0 ? -1 : risks[min(index, risks.count - 1)]
        }
        let cutoffV1 = pair.map { cutoff($0.standard.model) }
        let cutoffV2 = pair.map { cutoff($0.causal.model) }

        let labelledIndex = Dictionary(uniqueKeysWithValues: labelled.enumerated().map { ($1.id, $0) })
        let headlineWindow = headline(labelled, crossV2, cutoffV2, observedFrom: period.start, history: history)
        let headlineToDate = headline(labelled, crossV2, cutoffV2, observedFrom: nil, history: history)

        let keyFigures = self.keyFigures(history, inWindow: inWindow, labelled: labelled, pair: pair)
        var models = [productionSummary(labelled, loans: loans, share: productionShare)]
        if let pair, let cutoffV1, let cutoffV2 {
            // V1's and V2's columns are independent: one per core.
            let columns = [
                ("V1 (standard)", pair.standard, crossV1, cutoffV1, previous["standard"]),
                ("V2 (causal, IPW)", pair.causal, crossV2, cutoffV2, previous["causal"]),
            ]
            let summaries = Mutex<[Int: ShadowReport.ModelSummary]>([:])
            DispatchQueue.concurrentPerform(iterations: columns.count) { index in
                let (name, fit, cross, cutoff, before) = columns[index]
                let summary = modelSummary(
                    name, fit, cross: cross, cutoff: cutoff, labelled: labelled, loans: loans,
                    labelledIndex: labelledIndex, share: productionShare, previous: before)
                summaries.withLock { $0[index] = summary }
            }
            models += summaries.withLock { done in columns.indices.map { done[$0]! } }
        }
        let coefficients =
            pair.map { pair in
                CoefficientChange.compare(previous: pair.standard.model, current: pair.causal.model).map {
                    ShadowReport.Coefficient(feature: $0.feature, v1: $0.old, v2: $0.new, change: $0.relativeChange)
                }
            } ?? []
        let boundary = pair.flatMap { pair in
            cutoffV1.flatMap { c1 in
                cutoffV2.map { c2 in self.boundary(pair, c1, c2, labelled: labelled, window: eligibleInWindow) }
            }
        }
        let calibration = pair == nil ? [] : calibrationBins(labelled, crossV1, crossV2)
        if !headlineWindow.conclusive {
            notes.append(
                "This week's evidence is too thin to claim a figure (\(headlineWindow.samples) explore outcomes behind it); "
                    + "the experiment-to-date figure is shown beside it.")
        }
        let report = ShadowReport(
            period: period.label, windowStart: period.start.iso8601, windowEnd: period.end.iso8601,
            generatedFrom: "decisions before \(period.end.iso8601) and the outcomes observed by then",
            settings: .init(
                epsilon: policy.epsilon, riskThreshold: policy.riskThreshold, lifetimeValue: lifetimeValue, folds: folds
            ),
            headline: headlineWindow, headlineToDate: headlineToDate, keyFigures: keyFigures, models: models,
            coefficients: coefficients, boundary: boundary, burnDown: burnDown(history), calibration: calibration,
            notes: notes)
        return Result(report: report, pair: pair)
    }

    /// V1's and V2's out-of-fold predictions, the two models on the two cores; each fold starts from
    /// its model's full-data fit.
    static func crossFit(
        _ x: DesignMatrix, _ y: [Double], _ pair: CausalTraining.Pair, folds: [Int]
    ) throws -> ([Double], [Double]) {
        let jobs = [
            ([Double](repeating: 1, count: y.count), pair.standard.model), (pair.weights, pair.causal.model),
        ]
        let results = Mutex<[Int: Swift.Result<[Double], any Error>]>([:])
        DispatchQueue.concurrentPerform(iterations: jobs.count) { index in
            let outcome = Swift.Result {
                try CrossFitting.outOfFoldProbabilities(
                    x, y, weights: jobs[index].0, folds: folds, regression: LogisticRegression(),
                    start: jobs[index].1)
            }
            results.withLock { $0[index] = outcome }
        }
        let done = results.withLock { $0 }
        return (try done[0]!.get(), try done[1]!.get())
    }
}
