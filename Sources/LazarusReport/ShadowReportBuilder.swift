import Foundation
import LazarusCore

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
        var evaluation: ExplorationValue.Evaluation?
        if cohortLoans.isEmpty {
            notes.append(
                "No decision is mature yet: outcomes need \(performanceWindowDays) days, and no eligible decision was "
                    + "made on or before \(matureThrough.iso8601.prefix(10)). There is no estimate of any value.")
        } else if !cohort.contains(where: \.labelled) {
            notes.append("No matured loan has a known outcome yet: there is nothing to train on and no estimate.")
        } else {
            do {
                evaluation = try ExplorationValue.evaluate(
                    cohort, featureNames: LoanHistory.featureNames, lifetimeValue: lifetimeValue)
            } catch let error as CoreError {
                notes.append("V0, V1 and V2 could not be trained on the matured cohort: \(error.message).")
            } catch {
                notes.append("V0, V1 and V2 could not be trained on the matured cohort.")
            }
        }
        let economics = ReportEconomics(builder: self, cohort: cohort, cohortLoans: cohortLoans, evaluation: evaluation)
        let labelled = cohortLoans.filter { $0.approved && $0.defaulted != nil }
        let models = modelSummaries(
            cohortLoans, cohort: cohort, evaluation: evaluation, values: economics.offPolicy, previous: previous)
        let v2Approves = evaluation?.approves[ExplorationValue.Model.v2.rawValue]
        let headlineWindow = headline(cohortLoans, v2Approves, observedFrom: period.start)
        let headlineToDate = headline(cohortLoans, v2Approves, observedFrom: nil)
        let full = evaluation?.full
        let coefficients =
            full.map { full in
                CoefficientChange.compare(previous: full[1].fit.model, current: full[2].fit.model).map {
                    ShadowReport.Coefficient(feature: $0.feature, v1: $0.old, v2: $0.new, change: $0.relativeChange)
                }
            } ?? []
        let boundary = full.map {
            self.boundary(
                v1: $0[1].fit.model, $0[1].cutoff, v2: $0[2].fit.model, $0[2].cutoff, labelled: labelled,
                window: inWindow.filter { $0.variant != .compliance })
        }
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
            exploration: exploration(history, inWindow: inWindow), valueOfExploration: economics.valueOfExploration,
            valueOfSwitching: economics.valueOfSwitching, modelsByName: economics.modelsByName,
            offPolicy: economics.offPolicy, breakEvenDefaultProbability: economics.breakEven,
            crossFit: economics.crossFit, headline: headlineWindow, headlineToDate: headlineToDate,
            keyFigures: keyFigures(history, inWindow: inWindow, cohort: cohort, economics: economics),
            models: models, coefficients: coefficients, boundary: boundary, burnDown: burnDown(history),
            calibration: calibrationBins(cohortLoans, evaluation), notes: notes)
        return Result(report: report, evaluation: evaluation, cohort: cohort)
    }

    /// A cohort loan as the estimators see it.
    func applicant(_ loan: Loan) -> ExplorationValue.Applicant {
        ExplorationValue.Applicant(
            id: loan.id, features: loan.features, propensity: loan.propensity, approved: loan.approved,
            explore: loan.variant == .explore, productionApproves: loan.score > policy.riskThreshold,
            loanAmount: loan.loanAmount, defaulted: loan.approved ? loan.defaulted : nil, loss: loan.loss)
    }
}
