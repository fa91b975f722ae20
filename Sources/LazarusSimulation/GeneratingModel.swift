import Foundation
import LazarusCore

/// The synthetic population and its true risk. Every equation and constant is documented in the
/// article "The simulated lender" (`LazarusSimulation.docc/SimulatedLender.md`); keep the two in step.
public enum GeneratingModel {
    /// Share of applicants in the segment the production model misjudges: recent arrivals and young
    /// professionals with high incomes but almost no credit history.
    static let thinFileHighEarnerShare = 0.12
    static let medianIncome = 48_000.0

    /// Draws applicant `index` of the run seeded with `seed`.
    /// - Parameters:
    ///   - seed: the run's seed.
    ///   - index: the applicant's index in the run.
    /// - Returns: the applicant, its hidden traits and its fate.
    public static func applicant(seed: UInt64, index: UInt64) -> SyntheticApplicant {
        var rng = SplitMix64(seed: seed, index: index)
        // Seven normals, drawn in a fixed order (a tuple, not an array: this runs once per applicant).
        let z = (rng.normal(), rng.normal(), rng.normal(), rng.normal(), rng.normal(), rng.normal(), rng.normal())
        let segment = rng.uniform()
        let bankruptcyDraw = rng.uniform()
        let gamblingDraw = rng.uniform()
        let draws = SyntheticApplicant.Draws(
            arrival: rng.uniform(), policy: rng.uniform(), outcome: rng.uniform(), lossGivenDefault: rng.uniform(),
            delay: rng.uniform())

        let thinFileHighEarner = segment < thinFileHighEarnerShare
        let age =
            thinFileHighEarner ? clamp((31 + 6 * z.0).rounded(), 21, 60) : clamp((40 + 12 * z.0).rounded(), 16, 80)
        // Share of adult life with a credit file: most people have most of theirs; the segment almost none.
        let fileShare = thinFileHighEarner ? 0.02 + 0.06 * logistic(z.1) : logistic(1 + z.1)
        let historyMonths = age < 18 ? 0 : ((age - 18) * 12 * fileShare).rounded()
        let logIncome = log(medianIncome) + 0.012 * (age - 40) + 0.45 * z.2 + (thinFileHighEarner ? 0.7 : 0)
        let income = clamp((exp(logIncome) / 100).rounded() * 100, 12_000, 600_000)
        let relativeIncome = log(income / medianIncome)
        let debtToIncome = clamp(((0.30 + 0.10 * z.3 - 0.04 * relativeIncome) * 1000).rounded() / 1000, 0.02, 0.9)
        let bankruptcy = bankruptcyDraw < 0.025
        let creditScore = clamp(
            (560 + 130 * (1 - exp(-historyMonths / 72)) + 45 * z.4 - 40 * debtToIncome - (bankruptcy ? 80 : 0))
                .rounded(), 300, 850)
        let loanAmount = clamp((exp(log(450) + 0.35 * relativeIncome + 0.4 * z.5) / 10).rounded() * 10, 100, 3000)
        let gambles = gamblingDraw < (age < 30 ? 0.12 : 0.06)

        let thinFile = historyMonths < 24
        // A bureau score built on a thin file says little: it is low by construction, not by behaviour.
        let trueRisk =
            -2.5 + 4.0 * (debtToIncome - 0.30) - 0.010 * (creditScore - 650) * (thinFile ? 0.2 : 1)
            - 0.6 * relativeIncome
            + (thinFile && income < 45_000 ? 1.1 : 0) + (gambles ? 2.0 : 0) + (bankruptcy ? 2.0 : 0)

        let features = ApplicantFeatures(
            age: Int(age), annualIncome: income, debtToIncome: debtToIncome, creditScore: Int(creditScore),
            creditHistoryMonths: Int(historyMonths), recentBankruptcy: bankruptcy)
        return SyntheticApplicant(
            features: features, loanAmount: loanAmount, isThinFileHighEarner: thinFileHighEarner, gambles: gambles,
            defaultProbability: logistic(trueRisk),
            score: ProductionModel.score(features, noise: z.6), draws: draws)
    }

    static func logistic(_ x: Double) -> Double { 1 / (1 + exp(-x)) }

    static func clamp(_ x: Double, _ low: Double, _ high: Double) -> Double { min(max(x, low), high) }

    /// Days from decision until the outcome is known: repaid loans at maturity (14 days, up to a week
    /// late), defaults when charged off three to six weeks after the decision.
    static func observationDelayDays(defaulted: Bool, draw: Double) -> Double {
        defaulted ? 21 + 21 * draw : 14 + 7 * draw
    }

    /// Dollars lost on a default: 45–85 % of the principal, to the cent.
    static func loss(principal: Double, draw: Double) -> Double {
        (principal * (0.45 + 0.4 * draw) * 100).rounded() / 100
    }
}
