import Foundation
import LazarusCore
import LazarusMetrics
import LazarusSimulation
import Testing

@testable import LazarusExporter

/// The model metrics of registered models, against a recomputation from the rows as written.
@Suite("Exporter: registered shadow and active models")
struct RegisteredModelTests {
    static let day: Int64 = 86_400 * 1_000_000
    /// A plausible probability-of-default model, coefficient per feature name.
    static let coefficients: [(String, Double)] = [
        ("credit_score", -0.004), ("annual_income", -2e-5), ("debt_to_income", 2.0), ("age", -0.01),
        ("credit_history_months", -0.01),
    ]

    /// A spec as another program would write it into `lazarus_models.spec`.
    static func spec(from: String, before: String, target: String = "probability_of_default") -> String {
        let names = coefficients.map { "\"\($0.0)\"" }.joined(separator: ", ")
        let values = coefficients.map { "\($0.1)" }.joined(separator: ", ")
        return """
            {"kind": "causal", "target": "\(target)",
             "model": {"featureNames": [\(names)], "intercept": 1.5, "coefficients": [\(values)]},
             "standardErrors": [], "weighting": "inverse-propensity", "stabilizedWeights": false, "l2": 0,
             "trainedFrom": "\(from)", "trainedBefore": "\(before)", "samples": 1, "weightSum": 1}
            """
    }

    /// The model's P(default), or nil when a feature is missing.
    static func probability(_ f: ApplicantFeatures) -> Double? {
        let values: [String: Double?] = [
            "credit_score": f.creditScore.map(Double.init), "annual_income": f.annualIncome,
            "debt_to_income": f.debtToIncome, "age": f.age.map(Double.init),
            "credit_history_months": f.creditHistoryMonths.map(Double.init),
        ]
        var eta = 1.5
        for (name, coefficient) in coefficients {
            guard let value = values[name] ?? nil else { return nil }
            eta += coefficient * value
        }
        return 1 / (1 + exp(-eta))
    }

    @Test("blindness, O/E and approval rate of shadow and active models", arguments: Backend.available)
    func registered(backend: Backend) throws {
        let scratch = try ScratchDatabase(backend)
        let run = try ExperimentSimulator(
            settings: SimulationSettings(applications: 100_000, days: 60, seed: 8, policy: PolicySettings())
        ).run()
        var decisions = run.decisions
        let outcomes = Dictionary(uniqueKeysWithValues: run.outcomes.map { ($0.applicationID, $0) })
        // One labelled explore loan production rejected, with a feature missing: production is judged on it,
        // the registered models cannot score it.
        let blind = try #require(
            decisions.indices.first {
                decisions[$0].variant == "explore" && decisions[$0].score! <= 0.5
                    && outcomes[decisions[$0].applicationID] != nil
            })
        decisions[blind].features.annualIncome = nil
        try scratch.store.writeExperiment(decisions: decisions, outcomes: run.outcomes, ledger: run.ledger, mode: .new)
        let start = decisions.map(\.decidedAt).min()!
        let cut = Timestamp(microseconds: start.microseconds + 25 * Self.day)
        let end = Timestamp(microseconds: start.microseconds + 400 * Self.day)
        let models: [(String, String, String)] = [
            ("v2-first-half", "shadow", Self.spec(from: start.iso8601, before: cut.iso8601)),
            ("v1-second-half", "active", Self.spec(from: cut.iso8601, before: end.iso8601)),
            ("a-draft", "draft", Self.spec(from: start.iso8601, before: cut.iso8601)),
            ("production", "shadow", Self.spec(from: start.iso8601, before: cut.iso8601)),
            ("no-window", "shadow", Self.spec(from: start.iso8601, before: "last week")),
            ("predicts-repayment", "shadow", Self.spec(from: start.iso8601, before: cut.iso8601, target: "repaid")),
        ]
        for (version, status, spec) in models {
            try scratch.store.saveModel(
                ModelRecord(
                    version: version, kind: "causal", createdAt: start, status: status, spec: spec, metrics: "{}"))
        }
        var state = ExperimentState(riskThreshold: 0.5, lifetimeValue: 500)
        try state.refresh(from: .store(scratch.store), now: 0)
        let families = state.aggregate.families(ExperimentStateStoreTests.status)
        func values(_ name: String) -> [String: Double] {
            let samples = families.first { $0.name == name }?.samples ?? []
            return Dictionary(uniqueKeysWithValues: samples.map { ($0.labels[0].1, $0.value) })
        }
        #expect(
            Set(values("lazarus_model_blindness_samples").keys) == ["production", "v2-first-half", "v1-second-half"])
        #expect(Set(values("lazarus_shadow_approval_rate").keys) == ["production", "v2-first-half", "v1-second-half"])

        // The recomputation: explore loans production rejected, with an outcome, outside the training window.
        let lastDay = decisions.map { $0.decidedAt.microseconds / Self.day }.max()!
        for (version, from, before) in [("v2-first-half", start, cut), ("v1-second-half", cut, end)] {
            var (n, sv, svy, svp, sve) = (0.0, 0.0, 0.0, 0.0, 0.0)
            for d in decisions where d.variant == "explore" && d.score! <= 0.5 {
                guard let outcome = outcomes[d.applicationID], d.decidedAt < from || d.decidedAt >= before,
                    let p = Self.probability(d.features)
                else { continue }
                let v = 1 / d.propensity!
                let y = outcome.defaulted! ? 1.0 : 0
                (n, sv, svy, svp, sve) = (n + 1, sv + v, svy + v * y, svp + v * p, sve + v * (p - y) * (p - y))
            }
            let ybar = svy / sv
            #expect(n >= 15, "\(version)")
            #expect(values("lazarus_model_blindness_samples")[version] == n, "\(version)")
            let blindness = try #require(values("lazarus_model_blindness_score")[version])
            #expect(abs(blindness - min(1, (sve / sv) / (ybar * (1 - ybar)))) < 1e-9, "\(version)")
            let ratio = try #require(values("lazarus_model_observed_expected_ratio")[version])
            #expect(abs(ratio - svy / svp) < 1e-9, "\(version)")
            // The approval rate on every eligible, valid applicant of the last 7 days (fewer than the
            // 2,000 a day the sample keeps, so all of them).
            let recent = decisions.filter {
                $0.variant != "compliance" && $0.defect == nil && $0.decidedAt.microseconds / Self.day > lastDay - 7
            }.compactMap { Self.probability($0.features) }
            let rate = Double(recent.filter { 1 - $0 > 0.5 }.count) / Double(recent.count)
            #expect(abs((values("lazarus_shadow_approval_rate")[version] ?? -1) - rate) < 1e-12, "\(version)")
        }
        // Production is judged on every such loan, the one a model cannot score included.
        let production = decisions.filter {
            $0.variant == "explore" && $0.score! <= 0.5 && outcomes[$0.applicationID] != nil
        }
        #expect(values("lazarus_model_blindness_samples")["production"] == Double(production.count))
    }
}
