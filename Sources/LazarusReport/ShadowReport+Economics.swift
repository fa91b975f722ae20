import LazarusCore

extension ShadowReport {
    /// The matured decision cohort: eligible decisions with decided_at in [from, to], to = T − W.
    public struct Cohort: Sendable, Codable, Equatable {
        /// The first decision of the cohort (ISO 8601).
        public var from: String
        /// T − W (ISO 8601), inclusive.
        public var to: String
        /// to − from, in days: the per-week figures are scaled by 7 / days.
        public var days: Double
        /// Eligible (non-compliance) decisions in the cohort.
        public var eligible: Int
        /// Applicants left out of the headline: propensity 0 where V2 and V0 disagree.
        public var unsupported: Int
        /// Mature approved loans with no outcome: counted, never taken as repaid or defaulted.
        public var missingOutcomes: Int
        /// Mature approved loans with an outcome: what the models are trained on.
        public var labelledLoans: Int
        /// Of them, explore loans to applicants production rejected (propensity < 1).
        public var incrementalExploreLoans: Int
    }

    /// The cost of exploration in the window (outcomes observed in it).
    public struct Exploration: Sendable, Codable, Equatable {
        /// The exploration probability setting.
        public var epsilon: Double
        /// Explore decisions / eligible decisions decided in the window.
        public var realisedRate: Double
        /// Explore decisions decided in the window.
        public var exploreDecisions: Int
        /// Explore loans with propensity < 1 whose outcome was observed in the window.
        public var incrementalLoans: Int
        /// Their defaults.
        public var incrementalDefaults: Int
        /// Their losses: the cost of knowledge.
        public var incrementalLossesDollars: Double
        /// LTV × repaid − losses, over the same loans.
        public var incrementalNetPnlDollars: Double
        /// Losses of every explore loan observed in the window: what the budget counts.
        public var budgetLossesDollars: Double
        /// The part of the budget's losses on loans production would have approved anyway (propensity 1).
        public var budgetLossesOnApprovedAnywayShare: Double?
    }

    /// A value of one policy over another, in dollars per week of applicants, with its 95 % interval.
    public struct Value: Sendable, Codable, Equatable {
        /// The estimate; `null` when there is none (no matured labelled loans, a model could not be fitted).
        public var perWeekDollars: Double?
        public var low: Double?
        public var high: Double?
        /// Whether the interval excludes zero: only then is a dollar figure claimed.
        public var conclusive: Bool
        /// How it was estimated and what its interval is.
        public var method: String
        /// Supported applicants behind it.
        public var applicants: Int
        /// Applicants left out as unsupported (propensity 0 where the policies disagree).
        public var unsupported: Int
        /// Applicants on whom the two policies disagree.
        public var disagreements: Int
        /// Why there is no estimate, when there is none.
        public var reason: String?

        enum CodingKeys: String, CodingKey {
            case perWeekDollars, low, high, conclusive, method, applicants, unsupported, disagreements, reason
        }

        // Absent numbers are written as null, not left out: the keys are the contract.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(perWeekDollars, forKey: .perWeekDollars)
            try c.encode(low, forKey: .low)
            try c.encode(high, forKey: .high)
            try c.encode(conclusive, forKey: .conclusive)
            try c.encode(method, forKey: .method)
            try c.encode(applicants, forKey: .applicants)
            try c.encode(unsupported, forKey: .unsupported)
            try c.encode(disagreements, forKey: .disagreements)
            try c.encode(reason, forKey: .reason)
        }
    }

    /// An estimate per applicant with its 95 % interval.
    public struct PerApplicant: Sendable, Codable, Equatable {
        public var dollars: Double
        public var low: Double
        public var high: Double
    }

    /// One row of the off-policy table.
    public struct PolicyValue: Sendable, Codable, Equatable {
        /// `production`, `v0`, `v1` or `v2`.
        public var name: String
        /// Profit per eligible applicant of the cohort (against rejecting everyone).
        public var profitPerApplicant: PerApplicant?
        /// Paired difference against production's rule, per applicant.
        public var versusProduction: PerApplicant?
        /// Paired difference against V0, per applicant.
        public var versusV0: PerApplicant?
        /// Share of the cohort's eligible applicants it approves.
        public var approvalShare: Double
    }

    /// One model of `modelsByName`.
    public struct NamedModel: Sendable, Codable, Equatable {
        /// The registered version (`null` before registration, and for production its logged version).
        public var version: String?
        /// The registry spec (`null` for production, which is the logged score).
        public var spec: ModelSpec?
        /// Approve at or below this predicted default probability (`null` for production).
        public var cutoff: Double?
        /// Production only: approve scores above this.
        public var threshold: Double?
        /// Within-region AUC on the mature explore loans to rejected applicants (cross-fitted).
        public var rejectedAuc: RejectedRegionQuality.Interval?
        /// 1 − max(0, 2·AUC − 1), its interval mapped from the AUC's.
        public var blindness: RejectedRegionQuality.Interval?
        /// Observed over predicted defaults on the same loans, with the exact Poisson interval.
        public var observedExpected: RejectedRegionQuality.Interval?
        /// The recalibration intercept a of y ~ a + b·logit(p̂) (0 for a calibrated model).
        public var calibrationIntercept: RejectedRegionQuality.Interval?
        /// The recalibration slope b (1 for a calibrated model; below 1, predictions too extreme).
        public var calibrationSlope: RejectedRegionQuality.Interval?
        /// Loans in the region with an outcome.
        public var samples: Int
        /// Defaults among them.
        public var defaults: Int

        enum CodingKeys: String, CodingKey {
            case version, spec, cutoff, threshold, rejectedAuc, blindness, observedExpected, calibrationIntercept
            case calibrationSlope, samples, defaults
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(version, forKey: .version)
            try c.encode(spec, forKey: .spec)
            try c.encode(cutoff, forKey: .cutoff)
            try c.encode(threshold, forKey: .threshold)
            try c.encode(rejectedAuc, forKey: .rejectedAuc)
            try c.encode(blindness, forKey: .blindness)
            try c.encode(observedExpected, forKey: .observedExpected)
            try c.encode(calibrationIntercept, forKey: .calibrationIntercept)
            try c.encode(calibrationSlope, forKey: .calibrationSlope)
            try c.encode(samples, forKey: .samples)
            try c.encode(defaults, forKey: .defaults)
        }
    }

    /// The four policies by name.
    public struct ModelsByName: Sendable, Codable, Equatable {
        public var production: NamedModel
        public var v0: NamedModel?
        public var v1: NamedModel?
        public var v2: NamedModel?

        enum CodingKeys: String, CodingKey { case production, v0, v1, v2 }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(production, forKey: .production)
            try c.encode(v0, forKey: .v0)
            try c.encode(v1, forKey: .v1)
            try c.encode(v2, forKey: .v2)
        }
    }

    /// The fold models: an applicant's fold is FNV-1a(application_id) mod `folds`; in fold k it is judged by
    /// `models[k]` (trained on the other folds) and approved when the prediction is at or below the cut-off.
    public struct CrossFit: Sendable, Codable, Equatable {
        public var folds: Int
        public var foldHash: String
        public var foldModels: [FoldModels]

        public struct FoldModels: Sendable, Codable, Equatable {
            public var fold: Int
            public var applicants: Int
            /// m̂ = LTV·(1 − q) − q·lossRate·loan_amount, q from this fold's V2.
            public var lossRate: Double
            public var v0: FoldModel
            public var v1: FoldModel
            public var v2: FoldModel
        }

        public struct FoldModel: Sendable, Codable, Equatable {
            public var intercept: Double
            public var coefficients: [Double]
            public var cutoff: Double
        }
    }
}
