import LazarusCore

/// Every number the shadow-mode report prints: the JSON twin of the PDF.
public struct ShadowReport: Sendable, Codable, Equatable {
    public var period: String
    public var windowStart: String
    public var windowEnd: String
    public var generatedFrom: String
    public var settings: Settings
    /// The cut-off T: the end of the window; outcomes observed before it are known.
    public var cutoff: String
    /// W: how long an outcome may take to arrive. A decision is mature at T when decided_at ≤ T − W.
    public var performanceWindowDays: Int
    /// The matured decision cohort every outcome-based figure rests on.
    public var cohort: Cohort
    /// What exploration cost in the window, split by whether production would have approved anyway.
    public var exploration: Exploration
    /// The headline: Δ(V2, V0), what the explore loans add over retraining without them.
    public var valueOfExploration: Value
    /// Δ(V2, production): what replacing production's rule with V2's policy would earn.
    public var valueOfSwitching: Value
    /// Production, V0, V1 and V2 with their specs, cut-offs and rejected-region quality.
    public var modelsByName: ModelsByName
    /// The off-policy table: each policy's value per applicant and its paired differences.
    public var offPolicy: [PolicyValue]
    /// Paired differences of the within-region AUC on the same loans: `v2MinusV1`, `v2MinusV0`.
    public var rejectedAucDifferences: [String: RejectedRegionQuality.Interval]?
    /// LTV / (LTV + mean loss of the cohort's defaults): above this default probability a loan loses money.
    public var breakEvenDefaultProbability: Double?
    /// The cross-fitted fold models behind the value estimates, so that they can be recomputed from the tables.
    public var crossFit: CrossFit?
    /// Gross, kept for continuity: the IPW value of explore loans V2 approves and production rejects. Not the
    /// value of exploration (it ignores whom V2 turns away and what retraining gives anyway).
    public var headline: Headline
    public var headlineToDate: Headline
    public var keyFigures: KeyFigures
    public var models: [ModelSummary]
    public var coefficients: [Coefficient]
    public var boundary: Boundary?
    public var burnDown: [BudgetPoint]
    public var calibration: [CalibrationBin]
    public var notes: [String]

    public struct Settings: Sendable, Codable, Equatable {
        public var epsilon: Double
        public var riskThreshold: Double
        public var lifetimeValue: Double
        public var folds: Int
    }

    /// "How spending $X on random approvals unlocked $Y in safe revenue", and the evidence behind it.
    public struct Headline: Sendable, Codable, Equatable {
        /// Observed losses of explore loans (the price of knowledge).
        public var explorationCost: Double
        /// Estimated value of the applicants V2 approves and production rejects (off-policy, cross-fitted).
        public var revenueUnlocked: Double
        public var revenueUnlockedLow: Double
        public var revenueUnlockedHigh: Double
        /// Explore loans behind the estimate.
        public var samples: Int
        /// Whether the evidence supports a claim (enough loans, interval above zero).
        public var conclusive: Bool
        /// The Grafana panel's simpler figure: good loans found × LTV − exploration losses.
        public var panelLift: Double
        public var goodLoansFound: Int
    }

    public struct KeyFigures: Sendable, Codable, Equatable {
        public var budgetGranted: Double
        public var budgetSpent: Double
        public var budgetRemaining: Double
        public var decisions: Int
        public var exploreLoans: Int
        public var exploreDefaults: Int
        public var explorePending: Int
        public var exploreLossesInWindow: Double
        public var projectedRevenueLift: Double
        public var productionBlindness: Double?
        public var productionBlindnessStderr: Double?
        public var blindnessSamples: Int
        public var effectiveSampleSize: Double
        public var labelledLoans: Int
        public var skippedRows: Int
    }

    public struct ModelSummary: Sendable, Codable, Equatable {
        public var name: String
        public var version: String?
        public var auc: Double?
        public var aucLow: Double?
        public var aucHigh: Double?
        public var approvalRate: Double
        public var defaultRate: Double?
        public var defaultRateLow: Double?
        public var defaultRateHigh: Double?
        public var profitPerApplicant: Double?
        public var expectedRevenue: Double?
        public var expectedLoss: Double?
        public var blindness: Double?
        public var gates: [Gate]
    }

    public struct Gate: Sendable, Codable, Equatable {
        public var name: String
        public var passed: Bool
        public var detail: String
        /// The measured value (`null` when there is none, e.g. no previous version).
        public var value: Double?
    }

    public struct Coefficient: Sendable, Codable, Equatable {
        public var feature: String
        /// Raw-unit coefficients.
        public var v1: Double
        public var v2: Double
        /// (v2 − v1)/|v1|, kept for continuity and printed nowhere: near zero it means nothing.
        public var change: Double?
        /// The coefficients per standard deviation of the feature on the labelled loans (the intercept as is).
        public var v1Standardised: Double?
        public var v2Standardised: Double?
        /// z of the change: (v2 − v1)/√(se1² + se2²), robust (sandwich) standard errors.
        public var changeZ: Double?
    }

    /// The decision-boundary chart: points, the two boundaries, and the newly approved region.
    public struct Boundary: Sendable, Codable, Equatable {
        public var xFeature: String
        public var yFeature: String
        public var heldAt: [String: Double]
        public var points: [Point]
        /// Each model's boundary as y = intercept + slope × x (approved below/above per `approveAbove`).
        public var v1: Line
        public var v2: Line
        public var regionLabel: String?
        public var regionShare: Double
        /// Whether V1 and V2 differ significantly (|z| ≥ 1.96) on either axis' coefficient: a region is named
        /// only then.
        public var shiftSupported: Bool?

        public struct Point: Sendable, Codable, Equatable {
            public var x: Double
            public var y: Double
            public var defaulted: Bool
            public var explore: Bool
        }

        public struct Line: Sendable, Codable, Equatable {
            public var intercept: Double
            public var slope: Double
            public var cutoff: Double
            /// Whether applicants with y above the line are approved.
            public var approveAbove: Bool
        }
    }

    public struct BudgetPoint: Sendable, Codable, Equatable {
        public var at: String
        public var remaining: Double
        public var granted: Double
    }

    public struct CalibrationBin: Sendable, Codable, Equatable {
        public var model: String
        public var predicted: Double
        public var observed: Double
        public var weight: Double
    }
}
