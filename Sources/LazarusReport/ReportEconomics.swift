import Foundation
import LazarusCore

/// The value figures of the report, on the matured cohort: the headline Δ(V2, V0), the value of switching
/// Δ(V2, production), the off-policy table, the models by name and the fold models behind them.
struct ReportEconomics: Sendable {
    typealias Model = ExplorationValue.Model

    var cohortSummary: ShadowReport.Cohort
    var valueOfExploration: ShadowReport.Value
    var valueOfSwitching: ShadowReport.Value
    var offPolicy: [ShadowReport.PolicyValue] = []
    var modelsByName: ShadowReport.ModelsByName
    var breakEven: Double?
    var crossFit: ShadowReport.CrossFit?
    var rejectedAucDifferences: [String: RejectedRegionQuality.Interval]?
    var notes: [String] = []

    static let method =
        "doubly robust (AIPW): cross-fitted policies (5 folds by application id) and a cross-fitted reward model "
        + "(V2's default probability of the other folds); 95 % normal interval, variance the larger of the "
        + "influence-function one and the reward model's (Σ σ̂²/p over the disagreeing applicants)"

    init(
        builder: ShadowReportBuilder, cohort: [ExplorationValue.Applicant], cohortLoans: [LoanHistory.Loan],
        evaluation: ExplorationValue.Evaluation?, productionVersion: String?
    ) {
        let ltv = builder.lifetimeValue
        let from = cohortLoans.map(\.decidedAt).min()
        let days = from.map { Double(builder.matureThrough.microseconds - $0.microseconds) / 86_400e6 } ?? 0
        let labelled = cohort.filter(\.labelled)
        let defaultsLoss = labelled.filter { $0.defaulted == true }.map(\.loss)
        if !defaultsLoss.isEmpty {
            let meanLoss = defaultsLoss.reduce(0, +) / Double(defaultsLoss.count)
            breakEven = ltv + meanLoss > 0 ? ltv / (ltv + meanLoss) : nil
        }
        let missing = cohort.filter(\.missingOutcome).count
        cohortSummary = ShadowReport.Cohort(
            from: from?.iso8601 ?? builder.matureThrough.iso8601, to: builder.matureThrough.iso8601, days: days,
            eligible: cohort.count, unsupported: 0, missingOutcomes: missing, labelledLoans: labelled.count,
            incrementalExploreLoans: labelled.filter(\.incrementalExplore).count)
        if missing > 0 {
            notes.append(
                "\(Format.count(missing)) matured approved loans have no outcome: they are counted here and left out of "
                    + "every estimate, never taken as repaid.")
        }
        let none = { (reason: String) in
            ShadowReport.Value(
                perWeekDollars: nil, low: nil, high: nil, conclusive: false, method: Self.method, applicants: 0,
                unsupported: 0, disagreements: 0, reason: reason)
        }
        let production = ShadowReport.NamedModel(
            version: productionVersion, spec: nil, cutoff: nil, threshold: builder.policy.riskThreshold,
            quality: Self.quality(cohort, risk: cohortLoans.map { 1 - $0.score }))
        // A cohort of hours would multiply every figure by hundreds to make it "per week".
        guard let evaluation, days >= 1 else {
            let reason =
                cohort.isEmpty
                ? "no decision is mature at the cut-off"
                : evaluation == nil ? "no model could be trained" : "the matured cohort spans less than a day"
            valueOfExploration = none(reason)
            valueOfSwitching = none(reason)
            modelsByName = .init(production: production, v0: nil, v1: nil, v2: nil)
            return
        }
        let scale = 7 / days
        func value(_ a: ExplorationValue.Candidate, _ b: ExplorationValue.Candidate) -> ShadowReport.Value {
            do {
                let d = try evaluation.difference(a, b, cohort: cohort, lifetimeValue: ltv)
                let interval = d.interval
                let excludesZero = interval.lowerBound > 0 || interval.upperBound < 0
                return ShadowReport.Value(
                    perWeekDollars: d.total * scale, low: interval.lowerBound * scale,
                    high: interval.upperBound * scale, conclusive: excludesZero && d.missingWhereDisagree == 0,
                    method: Self.method, applicants: d.applicants, unsupported: d.unsupported,
                    disagreements: d.disagreements,
                    reason: d.missingWhereDisagree > 0
                        ? "\(d.missingWhereDisagree) matured loans where the policies disagree have no outcome yet"
                        : nil)
            } catch let error as CoreError {
                return none(error.message)
            } catch {
                return none("the estimate failed")
            }
        }
        valueOfExploration = value(.model(.v2), .model(.v0))
        valueOfSwitching = value(.model(.v2), .production)
        cohortSummary.unsupported = valueOfExploration.unsupported

        offPolicy = Self.policyValues(evaluation, cohort: cohort, lifetimeValue: ltv)
        let trainedOn = (from ?? builder.matureThrough)..<builder.matureThrough.adding(microseconds: 1)
        func named(_ model: Model) -> ShadowReport.NamedModel {
            let policy = evaluation.full[model.rawValue]
            return ShadowReport.NamedModel(
                version: nil,
                spec: ModelSpec(
                    kind: model.kind, fit: policy.fit, weighted: model == .v2, trainedOn: trainedOn,
                    labelsObservedBefore: builder.period.end),
                cutoff: policy.cutoff, threshold: nil,
                quality: Self.quality(cohort, risk: evaluation.predictedDefault[model.rawValue]))
        }
        modelsByName = .init(production: production, v0: named(.v0), v1: named(.v1), v2: named(.v2))
        // V2 against V1 and V0 on the same loans of the rejected region, cross-fitted.
        let region = cohort.indices.filter { cohort[$0].inRejectedRegion }
        func paired(_ other: Model) -> RejectedRegionQuality.Interval? {
            RejectedRegionQuality.pairedDifference(
                riskA: region.map { evaluation.predictedDefault[Model.v2.rawValue][$0] },
                riskB: region.map { evaluation.predictedDefault[other.rawValue][$0] },
                defaulted: region.map { cohort[$0].defaulted == true },
                weights: region.map { 1 / cohort[$0].propensity })
        }
        var differences: [String: RejectedRegionQuality.Interval] = [:]
        differences["v2MinusV1"] = paired(.v1)
        differences["v2MinusV0"] = paired(.v0)
        rejectedAucDifferences = differences
        crossFit = ShadowReport.CrossFit(
            folds: ExplorationValue.folds, foldHash: "FNV-1a 64 of the UTF-8 application_id, mod folds",
            foldModels: evaluation.folds.enumerated().map { k, fold in
                func model(_ m: Model) -> ShadowReport.CrossFit.FoldModel {
                    let p = fold.policies[m.rawValue]
                    return .init(
                        intercept: p.fit.model.intercept, coefficients: p.fit.model.coefficients, cutoff: p.cutoff)
                }
                return .init(
                    fold: k, applicants: fold.applicants, lossRate: fold.lossRate, v0: model(.v0), v1: model(.v1),
                    v2: model(.v2))
            })
    }

    /// Production, V0, V1, V2: profit per applicant and the paired differences, doubly robust.
    static func policyValues(
        _ evaluation: ExplorationValue.Evaluation, cohort: [ExplorationValue.Applicant], lifetimeValue: Double
    ) -> [ShadowReport.PolicyValue] {
        let candidates: [(String, ExplorationValue.Candidate)] = [
            ("production", .production), ("v0", .model(.v0)), ("v1", .model(.v1)), ("v2", .model(.v2)),
        ]
        func perApplicant(
            _ a: ExplorationValue.Candidate, _ b: ExplorationValue.Candidate
        )
            -> ShadowReport.PerApplicant?
        {
            guard let d = try? evaluation.difference(a, b, cohort: cohort, lifetimeValue: lifetimeValue),
                d.applicants > 0
            else { return nil }
            let p = d.perApplicant
            return .init(dollars: p.value, low: p.low, high: p.high)
        }
        return candidates.map { name, candidate in
            ShadowReport.PolicyValue(
                name: name, profitPerApplicant: perApplicant(candidate, .rejectAll),
                versusProduction: name == "production" ? nil : perApplicant(candidate, .production),
                versusV0: name == "v0" ? nil : perApplicant(candidate, .model(.v0)),
                approvalShare: Double(evaluation.decisions(candidate).filter { $0 }.count)
                    / Double(max(cohort.count, 1)))
        }
    }

    /// Rejected-region quality on the cohort's labelled explore loans to applicants production rejected, and
    /// the sample behind it (shown even when too small for a figure).
    static func quality(_ cohort: [ExplorationValue.Applicant], risk: [Double]) -> Quality {
        let region = cohort.indices.filter { cohort[$0].inRejectedRegion }
        let defaulted = region.map { cohort[$0].defaulted == true }
        return Quality(
            figures: RejectedRegionQuality(
                risk: region.map { risk[$0] }, defaulted: defaulted, weights: region.map { 1 / cohort[$0].propensity }),
            samples: region.count, defaults: defaulted.filter { $0 }.count)
    }

    struct Quality: Sendable {
        var figures: RejectedRegionQuality?
        var samples: Int
        var defaults: Int
    }
}

extension ShadowReport.NamedModel {
    init(
        version: String?, spec: ModelSpec?, cutoff: Double?, threshold: Double?, quality: ReportEconomics.Quality
    ) {
        self.init(
            version: version, spec: spec, cutoff: cutoff, threshold: threshold,
            rejectedAuc: quality.figures?.rejectedAuc, blindness: quality.figures?.blindness,
            observedExpected: quality.figures?.observedExpected,
            calibrationIntercept: quality.figures?.calibrationIntercept,
            calibrationSlope: quality.figures?.calibrationSlope,
            samples: quality.samples, defaults: quality.defaults)
    }
}
