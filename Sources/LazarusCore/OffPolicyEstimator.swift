/// What a candidate policy would have done, estimated from the decisions the logging policy made.
///
/// The importance weight of a logged decision under a deterministic candidate is
/// ρ = π(logged action)/p(logged action): for an approved loan 1[candidate approves]/p, for a rejected
/// applicant 1[candidate rejects]/(1 − p), with p the logged propensity of approval. Confidence intervals
/// are normal, with the variance formulas stated on each estimate (not bootstrap).
public struct OffPolicyEstimator: Sendable {
    /// Dollars earned over the life of a repaid loan (`LAZARUS_DEFAULT_LTV`).
    public var lifetimeValue: Double

    /// Creates an estimator.
    public init(lifetimeValue: Double) {
        self.lifetimeValue = lifetimeValue
    }

    /// One logged decision, as the estimator needs it.
    public struct Decision: Sendable, Equatable {
        /// The logging policy's probability of approving this applicant.
        public var propensity: Double
        /// Whether the logging policy approved.
        public var approved: Bool
        /// Whether the candidate policy would approve.
        public var candidateApproves: Bool
        /// For an approved loan: whether it defaulted (its outcome must be known).
        public var defaulted: Bool
        /// For a defaulted loan: dollars lost.
        public var loss: Double

        /// Creates a logged decision.
        public init(propensity: Double, approved: Bool, candidateApproves: Bool, defaulted: Bool, loss: Double) {
            self.propensity = propensity
            self.approved = approved
            self.candidateApproves = candidateApproves
            self.defaulted = defaulted
            self.loss = loss
        }
    }

    /// The estimates for one candidate.
    public struct Result: Sendable, Equatable {
        /// Share of applicants the candidate approves (known exactly; binomial standard error).
        public var approvalRate: ModelEvaluation.Estimate
        /// Default rate of the loans the candidate would grant, self-normalised (Hájek):
        /// Σ wᵢdᵢ / Σ wᵢ over approved loans, wᵢ = 1[candidate approves]/pᵢ; delta-method variance
        /// Σ wᵢ²(dᵢ − r)² / (Σ wᵢ)².
        public var defaultRate: ModelEvaluation.Estimate
        /// The same default rate by plain IPS: (1/n) Σ wᵢdᵢ divided by the approval rate.
        public var defaultRateIPS: Double
        /// Profit per applicant by IPS: mean of ρᵢrᵢ (r = LTV if repaid, −loss if defaulted, 0 if rejected);
        /// standard error sd(ρr)/√n.
        public var profitIPS: ModelEvaluation.Estimate
        /// Profit per applicant, self-normalised: Σρᵢrᵢ/Σρᵢ; standard error √(Σρᵢ²(rᵢ − v)²)/Σρᵢ.
        public var profitSelfNormalized: ModelEvaluation.Estimate
        /// Kish effective sample size (Σw)²/Σw² of the approved loans' weights.
        public var effectiveSampleSize: Double
        /// The largest weight wᵢ in use.
        public var maxWeight: Double
        /// Applicants the candidate approves but the logger could never approve (p = 0): no data speaks
        /// for them, so every estimate here leaves them out of its numerator.
        public var unsupported: Int
        /// Decisions used.
        public var samples: Int
    }

    /// Estimates a candidate's approval rate, default rate and profit.
    /// - Parameter decisions: every logged decision of the evaluation window whose outcome is known
    ///   (approved loans still pending must be left out by the caller).
    /// - Returns: the estimates.
    /// - Throws: ``CoreError``: `emptyData`, or `invalidInput` for a propensity outside [0, 1], an approval
    ///   logged with propensity 0, or a negative loss.
    public func estimate(_ decisions: [Decision]) throws -> Result {
        guard !decisions.isEmpty else { throw CoreError(.emptyData, "there are no logged decisions to learn from") }
        let n = Double(decisions.count)
        var rhoSum = 0.0
        var rhoRewardSum = 0.0
        var rhoRewardSquares = 0.0
        var weightSum = 0.0
        var weightSquares = 0.0
        var weightedDefaults = 0.0
        var maxWeight = 0.0
        var approvals = 0.0
        var unsupported = 0
        var rows: [(rho: Double, reward: Double, weight: Double, defaulted: Double)] = []
        rows.reserveCapacity(decisions.count)
        for d in decisions {
            guard d.propensity.isFinite, (0...1).contains(d.propensity), d.loss.isFinite, d.loss >= 0 else {
                throw CoreError(.invalidInput, "propensities must lie in [0, 1] and losses be non-negative")
            }
            guard !d.approved || d.propensity > 0 else {
                throw CoreError(.invalidInput, "an approved loan was logged with propensity 0")
            }
            if d.candidateApproves { approvals += 1 }
            if d.candidateApproves, d.propensity == 0 { unsupported += 1 }
            let rho: Double
            let reward: Double
            if d.approved {
                rho = d.candidateApproves ? 1 / d.propensity : 0
                reward = d.defaulted ? -d.loss : lifetimeValue
            } else {
                rho = d.candidateApproves ? 0 : 1 / (1 - d.propensity)
                reward = 0
            }
            let weight = d.approved && d.candidateApproves ? 1 / d.propensity : 0
            rows.append((rho, reward, weight, d.approved && d.defaulted ? 1 : 0))
            rhoSum += rho
            rhoRewardSum += rho * reward
            rhoRewardSquares += rho * reward * rho * reward
            weightSum += weight
            weightSquares += weight * weight
            weightedDefaults += weight * (d.approved && d.defaulted ? 1 : 0)
            maxWeight = max(maxWeight, weight)
        }
        let ips = rhoRewardSum / n
        let ipsVariance = n > 1 ? (rhoRewardSquares - n * ips * ips) / (n - 1) : 0
        let snips = rhoSum > 0 ? rhoRewardSum / rhoSum : 0
        let defaultRate = weightSum > 0 ? weightedDefaults / weightSum : 0
        var snipsSquares = 0.0
        var defaultSquares = 0.0
        for row in rows {
            snipsSquares += row.rho * row.rho * (row.reward - snips) * (row.reward - snips)
            defaultSquares += row.weight * row.weight * (row.defaulted - defaultRate) * (row.defaulted - defaultRate)
        }
        let approvalRate = approvals / n
        return Result(
            approvalRate: .init(
                value: approvalRate, standardError: (approvalRate * (1 - approvalRate) / n).squareRoot()),
            defaultRate: .init(
                value: defaultRate, standardError: weightSum > 0 ? defaultSquares.squareRoot() / weightSum : 0),
            defaultRateIPS: approvalRate > 0 ? weightedDefaults / n / approvalRate : 0,
            profitIPS: .init(value: ips, standardError: (max(ipsVariance, 0) / n).squareRoot()),
            profitSelfNormalized: .init(
                value: snips, standardError: rhoSum > 0 ? snipsSquares.squareRoot() / rhoSum : 0),
            effectiveSampleSize: weightSquares > 0 ? weightSum * weightSum / weightSquares : 0,
            maxWeight: maxWeight, unsupported: unsupported, samples: decisions.count)
    }
}
