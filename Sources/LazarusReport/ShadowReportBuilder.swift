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

    public init(
        period: ReportPeriod, policy: PolicySettings, lifetimeValue: Double,
        performanceWindowDays: Int = Maturity.defaultWindowDays
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
        Maturity.matureThrough(cutoff: period.end, windowDays: performanceWindowDays)
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
        let (valued, drawn) = Concurrently.both(
            {
                let economics = ReportEconomics(
                    builder: self, cohort: cohort, cohortLoans: cohortLoans, evaluation: evaluation,
                    productionVersion: history.productionVersion)
                // The scorecard comparisons run on the latest applicants: the window's, else the cohort's; at most
                // 20,000 of them, evenly spaced (percentiles, a correlation and a PSI need no more).
                let window = inWindow.filter { $0.variant != .compliance }
                let stride = max(1, window.count / 20_000)
                let latest = Swift.stride(from: 0, to: window.count, by: stride).map { window[$0].features }
                let models = modelSummaries(
                    cohortLoans, cohort: cohort, evaluation: evaluation, values: economics.offPolicy,
                    byName: economics.modelsByName, previous: previous,
                    population: latest.isEmpty ? cohort.map(\.features) : latest)
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
        let coefficients = evaluation.map { coefficientTable($0, cohort: cohort) } ?? []
        var boundary = drawn.boundary
        if var shown = boundary {
            // A region is named only when the data support a shift on the chart's axes.
            let axes = coefficients.filter { $0.feature == shown.xFeature || $0.feature == shown.yFeature }
            shown.shiftSupported = axes.contains { abs($0.changeZ ?? 0) >= 1.959963984540054 }
            if shown.shiftSupported != true { shown.regionLabel = nil }
            boundary = shown
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
            exploration: drawn.exploration, valueOfExploration: economics.valueOfExploration,
            valueOfSwitching: economics.valueOfSwitching, modelsByName: economics.modelsByName,
            offPolicy: economics.offPolicy, rejectedAucDifferences: economics.rejectedAucDifferences,
            breakEvenDefaultProbability: economics.breakEven,
            crossFit: economics.crossFit, headline: drawn.headline, headlineToDate: drawn.headlineToDate,
            keyFigures: keyFigures(history, inWindow: inWindow, cohort: cohort, economics: economics),
            models: models, coefficients: coefficients, boundary: boundary, burnDown: drawn.burnDown,
            calibration: drawn.calibration, notes: notes)
        return Result(report: report, evaluation: evaluation, cohort: cohort)
    }

    /// V1 → V2: raw, per standard deviation of the feature on the labelled loans, and the z of each change
    /// from the two fits' robust standard errors (treated as independent; both fits use the same loans, so
    /// the z is a guide, not a test).
    func coefficientTable(
        _ evaluation: ExplorationValue.Evaluation, cohort: [ExplorationValue.Applicant]
    )
        -> [ShadowReport.Coefficient]
    {
        let v1 = evaluation.full[1].fit
        let v2 = evaluation.full[2].fit
        let labelled = cohort.filter(\.labelled)
        let sd = LoanHistory.featureNames.indices.map { j -> Double in
            let values = labelled.map { $0.features[j] }
            let mean = values.reduce(0, +) / Double(max(values.count, 1))
            return (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(values.count - 1, 1)))
                .squareRoot()
        }
        let se1 = v1.robustStandardErrors
        let se2 = v2.robustStandardErrors
        let raw1 = [v1.model.intercept] + v1.model.coefficients
        let raw2 = [v2.model.intercept] + v2.model.coefficients
        return (["intercept"] + LoanHistory.featureNames).indices.map { k in
            let scale = k == 0 ? 1 : sd[k - 1]
            let se = (se1[k] * se1[k] + se2[k] * se2[k]).squareRoot()
            return ShadowReport.Coefficient(
                feature: k == 0 ? "intercept" : LoanHistory.featureNames[k - 1], v1: raw1[k], v2: raw2[k],
                change: raw1[k] == 0 ? nil : (raw2[k] - raw1[k]) / abs(raw1[k]), v1Standardised: raw1[k] * scale,
                v2Standardised: raw2[k] * scale, changeZ: se > 0 ? (raw2[k] - raw1[k]) / se : nil)
        }
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

    /// A cohort loan as the estimators see it.
    func applicant(_ loan: Loan) -> ExplorationValue.Applicant {
        ExplorationValue.Applicant(
            id: loan.id, features: loan.features, propensity: loan.propensity, approved: loan.approved,
            explore: loan.variant == .explore, productionApproves: loan.score > policy.riskThreshold,
            loanAmount: loan.loanAmount, defaulted: loan.approved ? loan.defaulted : nil, loss: loan.loss)
    }
}
