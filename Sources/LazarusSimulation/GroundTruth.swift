/// What really would have happened to every simulated applicant, approved or not: the truth that every
/// estimate of the report is checked against (`lazarus-sim --truth`). Never written into the store.
public struct GroundTruth: Sendable, Equatable {
    /// The application id, as in `lazarus_decisions`.
    public var applicationID: String
    /// The generating model's probability that this applicant defaults if granted the loan.
    public var trueDefaultProbability: Double
    /// Whether the loan defaults if granted (its potential outcome).
    public var wouldDefault: Bool
    /// Dollars lost if it defaults (whether or not it does).
    public var lossIfDefault: Double

    /// The CSV header of the truth file.
    public static let csvHeader = "application_id,true_default_probability,would_default,loss_if_default"

    /// The truth of applicant `index` of the run seeded with `seed` (the same draws as the run itself).
    public init(seed: UInt64, index: Int) {
        let applicant = GeneratingModel.applicant(seed: seed, index: UInt64(index))
        applicationID = ExperimentSimulator.applicationID(seed: seed, index: index)
        trueDefaultProbability = applicant.defaultProbability
        wouldDefault = applicant.defaults
        lossIfDefault = GeneratingModel.loss(principal: applicant.loanAmount, draw: applicant.draws.lossGivenDefault)
    }

    /// One CSV line (no newline). The probability is printed with 17 significant digits: it round-trips.
    public var csvLine: String {
        "\(applicationID),\(trueDefaultProbability),\(wouldDefault ? 1 : 0),\(lossIfDefault)"
    }
}

extension ExperimentSimulator {
    /// The ground truth of every applicant of this run, in arrival order.
    public func truth() -> some Sequence<GroundTruth> {
        let settings = self.settings
        return (0..<settings.applications).lazy.map {
            GroundTruth(seed: settings.seed, index: $0 + settings.idOffset)
        }
    }
}
