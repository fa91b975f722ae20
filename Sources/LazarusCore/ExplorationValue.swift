/// What exploration buys, on a matured cohort: V0, V1 and V2 trained, their policies cross-fitted, and their
/// values compared doubly robustly (design.md, "The value of exploration"; the maths in the article
/// "The estimands", `LazarusCore.docc/Estimands.md`).
///
/// - V0 `baseline`: the labelled loans except explore loans with propensity < 1, unweighted;
/// - V1 `standard`: every labelled loan, unweighted;
/// - V2 `causal`: every labelled loan, weighted 1/propensity.
///
/// Each model's policy approves an applicant when its predicted default probability is at or below a cut-off
/// chosen for **volume parity**: it approves the share of eligible applicants that production's own rule
/// approved. Policies are **cross-fitted**: the cohort is split into folds by application id; an applicant in
/// fold k is judged by the models trained on the labelled loans of the other folds, with that fold's own
/// cut-offs, and so is its predicted reward m̂ (from V2 of the other folds). An explore loan weighs 1/ε in
/// V2's fit, so V2 judged on the loans it learned from would look better than it is.
public enum ExplorationValue {
    /// One eligible (non-compliance) applicant of the matured cohort.
    public struct Applicant: Sendable, Equatable {
        /// The application id: it fixes the applicant's fold.
        public var id: String
        /// The model features, in the order of the models' feature names.
        public var features: [Double]
        /// The logging policy's probability of approving it.
        public var propensity: Double
        /// Whether it was approved.
        public var approved: Bool
        /// Whether it was an explore decision.
        public var explore: Bool
        /// Whether production's own rule (`score > threshold`) approves it.
        public var productionApproves: Bool
        /// Principal requested, in dollars.
        public var loanAmount: Double
        /// For a labelled loan: whether it defaulted; `nil` when not approved or the outcome is missing.
        public var defaulted: Bool?
        /// Dollars lost when it defaulted.
        public var loss: Double

        /// Creates an applicant.
        public init(
            id: String, features: [Double], propensity: Double, approved: Bool, explore: Bool,
            productionApproves: Bool, loanAmount: Double, defaulted: Bool?, loss: Double
        ) {
            self.id = id
            self.features = features
            self.propensity = propensity
            self.approved = approved
            self.explore = explore
            self.productionApproves = productionApproves
            self.loanAmount = loanAmount
            self.defaulted = defaulted
            self.loss = loss
        }

        /// An approved loan whose outcome is known.
        public var labelled: Bool { approved && defaulted != nil }
        /// An approved loan whose outcome has not arrived although its decision is mature.
        public var missingOutcome: Bool { approved && defaulted == nil }
        /// A loan V0 may not learn from: a random approval of an applicant production would have rejected.
        public var incrementalExplore: Bool { explore && propensity < 1 }
        /// A loan of the rejected region that model quality is measured on (design.md): a labelled explore loan
        /// to an applicant production rejected (score ≤ threshold) with propensity < 1.
        public var inRejectedRegion: Bool { labelled && incrementalExplore && !productionApproves }
    }

    /// The three models.
    public enum Model: Int, Sendable, CaseIterable, Codable {
        case v0, v1, v2

        /// The registry kind.
        public var kind: String { ["baseline", "standard", "causal"][rawValue] }

        /// A labelled loan's weight in this model's fit; 0 leaves it out (V0's random approvals of rejected
        /// applicants).
        public func trainingWeight(_ loan: Applicant) -> Double {
            switch self {
            case .v0: loan.incrementalExplore ? 0 : 1
            case .v1: 1
            case .v2: 1 / loan.propensity
            }
        }
    }

    /// A model and its volume-parity cut-off.
    public struct Policy: Sendable, Equatable {
        /// The fit.
        public var fit: LogisticFit
        /// Approve at or below this predicted default probability.
        public var cutoff: Double
    }

    /// The models of one fold: trained without that fold's applicants.
    public struct Fold: Sendable, Equatable {
        /// V0, V1, V2 trained on the other folds, with cut-offs at volume parity on this fold.
        public var policies: [Policy]
        /// Dollars lost per dollar of principal on the other folds' defaults: m̂'s loss given default.
        public var lossRate: Double
        /// Eligible applicants in this fold.
        public var applicants: Int
    }

    /// Everything the report needs.
    public struct Evaluation: Sendable {
        /// V0, V1, V2 trained on every labelled loan their definition allows, with cut-offs on the cohort.
        public var full: [Policy]
        /// The cross-fitted folds.
        public var folds: [Fold]
        /// The fold of each applicant (aligned with the input).
        public var foldOf: [Int]
        /// Out-of-fold predicted default probability of each applicant, per model.
        public var predictedDefault: [[Double]]
        /// Out-of-fold decision of each applicant, per model.
        public var approves: [[Bool]]
        /// Production's decision of each applicant.
        public var productionApproves: [Bool]
        /// Out-of-fold predicted reward m̂ of each applicant.
        public var predictedReward: [Double]
        /// The reward model's variance of the reward of each applicant, q̂(1 − q̂)(LTV + expected loss)².
        public var rewardVariance: [Double]
        /// The share of eligible applicants production approved: the volume every policy matches.
        public var approvalShare: Double
        /// The labelled loans behind each model's full fit.
        public var trainingLoans: [Int]
    }

    /// A policy to compare: a model's cross-fitted policy, production's rule, or rejecting everyone.
    public enum Candidate: Sendable, Equatable {
        case model(Model)
        case production
        case rejectAll
    }

    /// The number of folds.
    public static let folds = 5

    /// Unpenalised maximum likelihood; Newton stops once its largest standardised step is below 1e-5. Newton
    /// converges quadratically, so the error left is of the order of that step squared (1e-10): a fold fit
    /// warm-started from the full fit needs two steps instead of the default 1e-11's three.
    public static let defaultRegression = LogisticRegression(options: .init(tolerance: 1e-5))

    /// Trains, cross-fits and scores.
    /// - Parameters:
    ///   - cohort: the matured cohort's eligible applicants.
    ///   - featureNames: the names of the features, in order.
    ///   - lifetimeValue: the reward of a repaid loan.
    ///   - regression: the estimator (unpenalised by default).
    /// - Throws: ``CoreError`` when a model cannot be fitted (too few loans, a single class in a fold, separation).
    public static func evaluate(
        _ cohort: [Applicant], featureNames: [String], lifetimeValue: Double,
        regression: LogisticRegression = defaultRegression
    ) throws -> Evaluation {
        let foldOf = cohort.map { CrossFitting.fold(of: $0.id, folds: folds) }
        let labelled = cohort.indices.filter { cohort[$0].labelled }
        guard !labelled.isEmpty else { throw CoreError(.emptyData, "no matured loan has a known outcome") }
        let x = try DesignMatrix(names: featureNames, rows: labelled.map { cohort[$0].features })
        let y = labelled.map { cohort[$0].defaulted == true ? 1.0 : 0 }
        let labelledFold = labelled.map { foldOf[$0] }
        // Per model, each labelled loan's training weight: 0 leaves it out (V0's incremental explore loans).
        let weights = Model.allCases.map { model in labelled.map { model.trainingWeight(cohort[$0]) } }
        let share =
            Double(cohort.filter(\.productionApproves).count) / Double(max(cohort.count, 1))
        let allFeatures = try DesignMatrix(names: featureNames, rows: cohort.map(\.features))

        // V1's and V2's full fits first, one per core; then V0's full fit and the fifteen fold fits, each
        // warm-started near its optimum (V0 differs from V1 only by the incremental explore loans): as many
        // equal tasks as possible, so that both cores stay busy. The optimum does not depend on the start.
        let keep = weights.map { w in w.indices.filter { w[$0] > 0 } }
        // The fold fits only predict: they skip the sandwich covariance, one pass over the data each.
        var predictOnly = regression.options
        predictOnly.robustCovariance = false
        let foldRegression = LogisticRegression(options: predictOnly)
        @Sendable func fit(
            _ m: Int, _ rows: [Int], from start: LogisticModel?, fold: Bool = false
        ) throws
            -> LogisticFit
        {
            try (fold ? foldRegression : regression).fit(
                x.rows(rows), rows.map { y[$0] }, weights: rows.map { weights[m][$0] }, start: start)
        }
        let first = try Concurrently.map(2) { try fit($0 + 1, keep[$0 + 1], from: nil) }
        let second = try Concurrently.map(1 + Model.allCases.count * folds) { task -> LogisticFit in
            if task == 0 { return try fit(0, keep[0], from: first[0].model) }
            let (m, k) = ((task - 1) / folds, (task - 1) % folds)
            let start = m == 2 ? first[1].model : first[0].model
            return try fit(m, keep[m].filter { labelledFold[$0] != k }, from: start, fold: true)
        }
        let fullFits = [second[0], first[0], first[1]]
        let foldFits = Array(second.dropFirst())
        let fits = Model.allCases.map { m in
            (fullFits[m.rawValue], Array(foldFits[m.rawValue * folds..<(m.rawValue + 1) * folds]))
        }

        // Each fold's predictions and cut-offs, and the full models' cut-offs on the whole cohort: 18 tasks.
        let members = cohort.indices.reduce(into: [[Int]](repeating: [], count: folds)) { $0[foldOf[$1]].append($1) }
        let scored = try Concurrently.map(Model.allCases.count * (folds + 1)) { task -> ([Double], Double) in
            let (m, k) = (task / (folds + 1), task % (folds + 1))
            if k == folds {
                let risks = fits[m].0.model.probabilities(allFeatures)
                return ([], volumeParityCutoff(risks, share: share))
            }
            let risks = members[k].map { fits[m].1[k].model.probability(allFeatures.row($0)) }
            return (risks, volumeParityCutoff(risks, share: share))
        }
        var predicted = [[Double]](repeating: [Double](repeating: 0, count: cohort.count), count: 3)
        var approves = [[Bool]](repeating: [Bool](repeating: false, count: cohort.count), count: 3)
        var predictedReward = [Double](repeating: 0, count: cohort.count)
        var rewardVariance = [Double](repeating: 0, count: cohort.count)
        var foldResults: [Fold] = []
        for k in 0..<folds {
            // m̂'s loss given default, from the other folds' defaults.
            var lost = 0.0
            var principal = 0.0
            for i in labelled where foldOf[i] != k && cohort[i].defaulted == true {
                lost += cohort[i].loss
                principal += cohort[i].loanAmount
            }
            let lossRate = principal > 0 ? lost / principal : 0
            var policies: [Policy] = []
            for m in 0..<Model.allCases.count {
                let (risks, cutoff) = scored[m * (folds + 1) + k]
                for (j, i) in members[k].enumerated() {
                    predicted[m][i] = risks[j]
                    approves[m][i] = risks[j] <= cutoff
                }
                policies.append(Policy(fit: fits[m].1[k], cutoff: cutoff))
            }
            for i in members[k] {
                let q = predicted[Model.v2.rawValue][i]
                let loss = lossRate * cohort[i].loanAmount
                predictedReward[i] = lifetimeValue * (1 - q) - q * loss
                rewardVariance[i] = q * (1 - q) * (lifetimeValue + loss) * (lifetimeValue + loss)
            }
            foldResults.append(Fold(policies: policies, lossRate: lossRate, applicants: members[k].count))
        }
        let full = Model.allCases.map { model in
            Policy(fit: fits[model.rawValue].0, cutoff: scored[model.rawValue * (folds + 1) + folds].1)
        }
        return Evaluation(
            full: full, folds: foldResults, foldOf: foldOf, predictedDefault: predicted, approves: approves,
            productionApproves: cohort.map(\.productionApproves), predictedReward: predictedReward,
            rewardVariance: rewardVariance,
            approvalShare: share, trainingLoans: full.map(\.fit.rows))
    }

    /// The cut-off at which a policy approves `share` of the applicants: the predicted default probability
    /// of the last one approved, in increasing order; below every prediction when it approves no one.
    public static func volumeParityCutoff(_ predictions: [Double], share: Double) -> Double {
        let sorted = predictions.sorted()
        guard !sorted.isEmpty else { return 0 }
        let index = Int((share * Double(sorted.count)).rounded()) - 1
        return index < 0 ? -1 : sorted[min(index, sorted.count - 1)]
    }
}

extension ExplorationValue.Evaluation {
    /// Each applicant's decision under a candidate (aligned with the cohort).
    public func decisions(_ candidate: ExplorationValue.Candidate) -> [Bool] {
        switch candidate {
        case .model(let model): approves[model.rawValue]
        case .production: productionApproves
        case .rejectAll: [Bool](repeating: false, count: productionApproves.count)
        }
    }

    /// Δ(A, B) on the cohort, doubly robust; applicants with a missing outcome are left out.
    /// - Throws: ``CoreError`` from the estimator.
    public func difference(
        _ a: ExplorationValue.Candidate, _ b: ExplorationValue.Candidate, cohort: [ExplorationValue.Applicant],
        lifetimeValue: Double
    ) throws -> DoublyRobustEstimator.Difference {
        let da = decisions(a)
        let db = decisions(b)
        var units: [DoublyRobustEstimator.Unit] = []
        units.reserveCapacity(cohort.count)
        var missing = 0
        for (i, applicant) in cohort.enumerated() {
            guard !applicant.missingOutcome else {
                if da[i] != db[i] { missing += 1 }
                continue
            }
            units.append(
                .init(
                    propensity: applicant.propensity, labelled: applicant.labelled,
                    reward: applicant.defaulted == true ? -applicant.loss : lifetimeValue,
                    predictedReward: predictedReward[i], approvesA: da[i], approvesB: db[i],
                    rewardVariance: rewardVariance[i]))
        }
        var difference = try DoublyRobustEstimator.difference(units)
        difference.missingWhereDisagree = missing
        return difference
    }
}
