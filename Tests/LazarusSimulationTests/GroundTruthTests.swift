import LazarusCore
import Testing

@testable import LazarusSimulation

@Suite("Ground truth beside the simulated tables")
struct GroundTruthTests {
    @Test("one row per applicant, in the run's ids; every observed outcome is the applicant's potential outcome")
    func matchesTheRun() throws {
        let settings = try SimulationSettings(applications: 5000, days: 30, seed: 11, policy: PolicySettings())
        let simulator = ExperimentSimulator(settings: settings)
        let run = try simulator.run()
        let truth = Array(simulator.truth())
        #expect(truth.map(\.applicationID) == run.decisions.map(\.applicationID))
        let byID = Dictionary(uniqueKeysWithValues: truth.map { ($0.applicationID, $0) })
        for outcome in run.outcomes {
            let t = try #require(byID[outcome.applicationID])
            #expect(t.wouldDefault == outcome.defaulted)
            #expect(outcome.lossAmount == (t.wouldDefault ? t.lossIfDefault : 0))
        }
        #expect(truth.allSatisfy { (0...1).contains($0.trueDefaultProbability) && $0.lossIfDefault > 0 })
        // The realised default rate of everyone is close to the mean true probability (5,000 draws).
        let rate = Double(truth.filter(\.wouldDefault).count) / Double(truth.count)
        let mean = truth.reduce(0) { $0 + $1.trueDefaultProbability } / Double(truth.count)
        #expect(abs(rate - mean) < 0.02)
    }

    @Test("an appended run's truth continues its ids")
    func appended() throws {
        var settings = try SimulationSettings(applications: 10, days: 1, seed: 5, policy: PolicySettings())
        settings.idOffset = 100
        let first = try #require(ExperimentSimulator(settings: settings).truth().first { _ in true })
        #expect(first.applicationID == "sim-5-00000100")
        #expect(first.csvLine.hasPrefix("sim-5-00000100,"))
    }
}
