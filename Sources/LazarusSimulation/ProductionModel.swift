import Foundation
import LazarusCore

/// The lender's production scorecard: the model whose rejections exploration questions.
///
/// It is a fair model of the average applicant but punishes a thin credit file hard, so it rejects
/// the thin-file, high-income segment that is in fact mostly safe; it cannot see the gambling habit.
public enum ProductionModel {
    /// The version logged with every decision.
    public static let version = "prod-2026.09"

    /// The predicted probability of repayment.
    /// - Parameters:
    ///   - features: the applicant's features.
    ///   - noise: a standard normal draw: the model's own imperfection (scaled by 0.3 on the logit).
    /// - Returns: a score in (0, 1).
    public static func score(_ features: ApplicantFeatures, noise: Double) -> Double {
        let dti = features.debtToIncome ?? 0.3
        let creditScore = Double(features.creditScore ?? 650)
        let income = features.annualIncome ?? GeneratingModel.medianIncome
        let thinFile = (features.creditHistoryMonths ?? 0) < 24
        let logit =
            1.5 - 4.5 * (dti - 0.30) + 0.012 * (creditScore - 650) + 0.4 * log(income / GeneratingModel.medianIncome)
            - (thinFile ? 2.6 : 0) + 0.3 * noise
        return (GeneratingModel.logistic(logit) * 1_000_000).rounded() / 1_000_000
    }
}
