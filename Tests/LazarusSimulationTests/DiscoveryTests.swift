import LazarusCore
import Testing

@testable import LazarusSimulation

/// The experiment exists to be learned from: with the default settings, the re-weighted model (V2)
/// must find the thin-file, high-income applicants the production model rejects, better than V1.
@Suite("What exploration discovers")
struct DiscoveryTests {
    static func features(_ f: ApplicantFeatures) -> [Double] {
        [
            f.annualIncome ?? 0, Double(f.creditHistoryMonths ?? 0), f.debtToIncome ?? 0, Double(f.creditScore ?? 0),
            Double(f.age ?? 0),
        ]
    }

    @Test(
        "at the production approval rate, V2 approves more of the misjudged segment than V1, and far more than production"
    )
    func reweightedModelFindsTheSegment() throws {
        let run = try ExperimentSimulator(settings: SimulationSettings(policy: PolicySettings())).run()
        let outcomes = Dictionary(uniqueKeysWithValues: run.outcomes.map { ($0.applicationID, $0) })
        var rows: [[Double]] = []
        var defaulted: [Double] = []
        var propensities: [Double] = []
        for decision in run.decisions where decision.approved == true {
            guard let outcome = outcomes[decision.applicationID] else { continue }
            rows.append(Self.features(decision.features))
            defaulted.append(outcome.defaulted == true ? 1 : 0)
            propensities.append(decision.propensity ?? 1)
        }
        let x = try DesignMatrix(
            names: ["annual_income", "credit_history_months", "debt_to_income", "credit_score", "age"], rows: rows)
        let pair = try CausalTraining.train(x, defaulted: defaulted, propensities: propensities)

        // The population the models would score: eligible applicants of the same run.
        let people = (0..<100_000).map { GeneratingModel.applicant(seed: 42, index: UInt64($0)) }
            .filter { ($0.features.age ?? 0) >= 18 && $0.features.recentBankruptcy == false }
        let segment = people.filter(\.isThinFileHighEarner)
        let productionShare = Double(people.filter { $0.score > 0.5 }.count) / Double(people.count)
        func segmentApproval(_ model: LogisticModel) -> Double {
            // Approve the same share of applicants as production: the lowest predicted default risks.
            let risks = people.map { model.probability(Self.features($0.features)) }.sorted()
            let cutoff = risks[Int(productionShare * Double(risks.count)) - 1]
            let approved = segment.filter { model.probability(Self.features($0.features)) <= cutoff }.count
            return Double(approved) / Double(segment.count)
        }
        let production = Double(segment.filter { $0.score > 0.5 }.count) / Double(segment.count)
        let v1 = segmentApproval(pair.standard.model)
        let v2 = segmentApproval(pair.causal.model)
        #expect(production < 0.05)
        #expect(v2 > v1 + 0.1, "V1 approves \(v1), V2 \(v2) of the segment")
        #expect(v2 > 0.7)
    }
}
