import Foundation
import LazarusCore
import Synchronization

/// Computes the shadow-mode report from what the store knew at the window's end, the cut-off T.
///
/// Every figure built on outcomes rests on the **matured cohort**: the eligible decisions made at least the
/// performance window W before T (design.md, "Cohorts and maturity"). On it V0 (baseline), V1
/// (standard) and V2 (causal, IPW) are trained, their policies cross-fitted at production's approval volume,
/// and their values compared doubly robustly (``ExplorationValue``). The cost of exploration is what the
/// window's observed outcomes realised.
public struct ShadowReportBuilder: Sendable {
    public var period: ReportPeriod
    public var policy: PolicySettings
    public var lifetimeValue: Double
    /// W, in days (`--performance-window`).
    public var performanceWindowDays: Int
    public var folds: Int { ExplorationValue.folds }
    /// Fewer explore loans than this behind the gross figure and it is not called conclusive.
    public var minimumHeadlineSamples = 20

    /// The default performance window: the simulator's slowest outcome (a default 42 days after the decision).
    public static let defaultPerformanceWindowDays = 42

    public init(
        period: ReportPeriod, policy: PolicySettings, lifetimeValue: Double,
        performanceWindowDays: Int = defaultPerformanceWindowDays
    ) {
        self.period = period
        self.policy = policy
        self.lifetimeValue = lifetimeValue
        self.performanceWindowDays = performanceWindowDays
    }

    /// The report, and the evaluation behind it (for registering the models and for checks against truth).
    public struct Result: Sendable {
        public var report: ShadowReport
        /// The trained and cross-fitted models; `nil` when there was nothing to train on.
        public var evaluation: ExplorationValue.Evaluation?
        /// The cohort's eligible applicants, aligned with the evaluation.
        public var cohort: [ExplorationValue.Applicant]
    }

    /// The last decision instant that is mature at the cut-off: T − W.
    public var matureThrough: Timestamp {
        period.end.adding(microseconds: -Int64(performanceWindowDays) * Timestamp.microsecondsPerDay)
    }

    public func build(_ history: LoanHistory, previous: [String: LogisticModel] = [:]) -> Result {
        let loans = history.loans
        let inWindow = loans.filter { $0.decidedAt >= period.start }
        let cohortLoans = loans.filter { $0.decidedAt <= matureThrough && $0.variant != .compliance }
        let cohort = cohortLoans.map(applicant)
        var notes: [String] = []
        if inWindow.isEmpty { notes.append("No applications were decided in this window.") }
        let (evaluation, why) = train(cohort)
        if let why { notes.append(why) }
        // The value figures and the model table on one core, the charts and the window's figures on the other.
        let (valued, drawn) = Self.both(
            {
                let economics = ReportEconomics(
                    builder: self, cohort: cohort, cohortLoans: cohortLoans, evaluation: evaluation,
                    productionVersion: history.productionVersion)
                let models = modelSummaries(
                    cohortLoans, cohort: cohort, evaluation: evaluation, values: economics.offPolicy,
                    previous: previous)
                return (economics, models)
            },
            {
                let v2Approves = evaluation?.approves[ExplorationValue.Model.v2.rawValue]
                let boundary = evaluation.flatMap {
                    self.boundary(
                        v1: $0.full[1].fit.model, $0.full[1].cutoff, v2: $0.full[2].fit.model, $0.full[2].cutoff,
                        labelled: cohortLoans.filter { $0.approved && $0.defaulted != nil },
                        window: inWindow.filter { $0.variant != .compliance })
                }
                return Drawn(
                    headline: headline(cohortLoans, v2Approves, observedFrom: period.start),
                    headlineToDate: headline(cohortLoans, v2Approves, observedFrom: nil), boundary: boundary,
                    exploration: exploration(history, inWindow: inWindow), burnDown: burnDown(history),
                    calibration: calibrationBins(cohortLoans, evaluation))
            })
        let (economics, models) = valued
        let coefficients =
            evaluation.map { e in
                CoefficientChange.compare(previous: e.full[1].fit.model, current: e.full[2].fit.model).map {
                    ShadowReport.Coefficient(feature: $0.feature, v1: $0.old, v2: $0.new, change: $0.relativeChange)
                }
            } ?? []
        notes += economics.notes
        let report = ShadowReport(
            period: period.label, windowStart: period.start.iso8601, windowEnd: period.end.iso8601,
            generatedFrom:
                "decisions before \(period.end.iso8601) and the outcomes observed by then; outcome-based figures on "
                + "the decisions made on or before \(matureThrough.iso8601)",
            settings: .init(
                epsilon: policy.epsilon, riskThreshold: policy.riskThreshold, lifetimeValue: lifetimeValue, folds: folds
            ),
            cutoff: period.end.iso8601, performanceWindowDays: performanceWindowDays, cohort: economics.cohortSummary,
            exploration: drawn.exploration, valueOfExploration: economics.valueOfExploration,
            valueOfSwitching: economics.valueOfSwitching, modelsByName: economics.modelsByName,
            offPolicy: economics.offPolicy, breakEvenDefaultProbability: economics.breakEven,
            crossFit: economics.crossFit, headline: drawn.headline, headlineToDate: drawn.headlineToDate,
            keyFigures: keyFigures(history, inWindow: inWindow, cohort: cohort, economics: economics),
            models: models, coefficients: coefficients, boundary: drawn.boundary, burnDown: drawn.burnDown,
            calibration: drawn.calibration, notes: notes)
        return Result(report: report, evaluation: evaluation, cohort: cohort)
    }

    /// V0, V1 and V2 trained and cross-fitted on the matured cohort, or why not.
    func train(_ cohort: [ExplorationValue.Applicant]) -> (ExplorationValue.Evaluation?, String?) {
        guard !cohort.isEmpty else {
            return (
                nil,
                "No decision is mature yet: outcomes need \(performanceWindowDays) days, and no eligible decision was "
                    + "made on or before \(matureThrough.iso8601.prefix(10)). There is no estimate of any value."
            )
        }
        guard cohort.contains(where: \.labelled) else {
            return (nil, "No matured loan has a known outcome yet: there is nothing to train on and no estimate.")
        }
        do {
            return (
                try ExplorationValue.evaluate(
                    cohort, featureNames: LoanHistory.featureNames, lifetimeValue: lifetimeValue), nil
            )
        } catch let error as CoreError {
            return (nil, "V0, V1 and V2 could not be trained on the matured cohort: \(error.message).")
        } catch {
            return (nil, "V0, V1 and V2 could not be trained on the matured cohort.")
        }
    }

    /// The figures computed beside the value estimates.
    struct Drawn: Sendable {
        var headline: ShadowReport.Headline
        var headlineToDate: ShadowReport.Headline
        var boundary: ShadowReport.Boundary?
        var exploration: ShadowReport.Exploration
        var burnDown: [ShadowReport.BudgetPoint]
        var calibration: [ShadowReport.CalibrationBin]
    }

    /// Runs two independent computations, one per core.
    static func both<A: Sendable, B: Sendable>(_ a: @Sendable () -> A, _ b: @Sendable () -> B) -> (A, B) {
        let results = Mutex<(A?, B?)>((nil, nil))
        DispatchQueue.concurrentPerform(iterations: 2) { task in
            if task == 0 {
                let value = a()
                results.withLock { $0.0 = value }
            } else {
                let value = b()
                results.withLock { $0.1 = value }
            }
        }
        return results.withLock { ($0.0!, $0.1!) }
    }

    /// A cohort loan as the estimators see it.
    func applicant(_ loan: Loan) -> ExplorationValue.Applicant {
        ExplorationValue.Applicant(
            id: loan.id, features: loan.features, propensity: loan.propensity, approved: loan.approved,
            explore: loan.variant == .explore, productionApproves: loan.score > policy.riskThreshold,
            loanAmount: loan.loanAmount, defaulted: loan.approved ? loan.defaulted : nil, loss: loan.loss)
    }
}
