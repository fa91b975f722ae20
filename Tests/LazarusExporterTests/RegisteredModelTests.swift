import Foundation
import LazarusCore
import LazarusMetrics
import LazarusSimulation
import LazarusTestSupport
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
        let scratch = try ScratchStore(backend, migrated: true)
        let run = try ExperimentSimulator(
            settings: SimulationSettings(applications: 200_000, days: 60, seed: 8, policy: PolicySettings())
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
        // Trained on the first 2 days, and from day 16 on: each has matured loans (days 0–18) it did not see.
        let cut = Timestamp(microseconds: start.microseconds + 2 * Self.day)
        let late = Timestamp(microseconds: start.microseconds + 16 * Self.day)
        let end = Timestamp(microseconds: start.microseconds + 400 * Self.day)
        let models: [(String, String, String)] = [
            ("v2-first-half", "shadow", Self.spec(from: start.iso8601, before: cut.iso8601)),
            ("v1-second-half", "active", Self.spec(from: late.iso8601, before: end.iso8601)),
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
        var state = ExperimentState(riskThreshold: 0.5, lifetimeValue: 500, samplePerDay: 4_000)
        try state.refresh(from: .store(scratch.store), now: TestClock.start)
        let families = state.aggregate.families(ExperimentStateStoreTests.status)
        func values(_ name: String) -> [String: Double] {
            let samples = families.first { $0.name == name }?.samples ?? []
            return Dictionary(uniqueKeysWithValues: samples.map { ($0.labels[0].1, $0.value) })
        }
        #expect(
            Set(values("lazarus_model_blindness_samples").keys) == ["production", "v2-first-half", "v1-second-half"])
        #expect(Set(values("lazarus_shadow_approval_rate").keys) == ["production", "v2-first-half", "v1-second-half"])

        // The recomputation: matured explore loans production rejected, with an outcome observed before the
        // newest decision T, outside the training window.
        let lastDay = decisions.map { $0.decidedAt.microseconds / Self.day }.max()!
        let newest = decisions.map(\.decidedAt).max()!
        let matureThrough = newest.adding(microseconds: -42 * Self.day)
        func region(_ keep: (DecisionRow) -> Bool) -> [(p: Double?, y: Bool, v: Double)] {
            decisions.compactMap { d in
                guard d.variant == "explore", d.score! <= 0.5, d.decidedAt <= matureThrough,
                    let outcome = outcomes[d.applicationID], outcome.observedAt < newest, keep(d)
                else { return nil }
                return (Self.probability(d.features), outcome.defaulted!, 1 / d.propensity!)
            }
        }
        // The weighted Mann-Whitney AUC, pair by pair.
        func auc(_ loans: [(risk: Double, y: Bool, v: Double)]) -> Double {
            var (concordant, pairs) = (0.0, 0.0)
            for a in loans where a.y {
                for b in loans where !b.y {
                    pairs += a.v * b.v
                    concordant += a.v * b.v * (a.risk > b.risk ? 1 : a.risk == b.risk ? 0.5 : 0)
                }
            }
            return concordant / pairs
        }
        for (version, from, before) in [("v2-first-half", start, cut), ("v1-second-half", late, end)] {
            let loans = region {
                ($0.decidedAt < from || $0.decidedAt >= before) && Self.probability($0.features) != nil
            }
            .map { (risk: $0.p!, y: $0.y, v: $0.v) }
            #expect(
                loans.count >= 30 && loans.filter(\.y).count >= 5,
                "\(version): \(loans.count) loans, \(loans.filter(\.y).count) defaults")
            #expect(values("lazarus_model_blindness_samples")[version] == Double(loans.count), "\(version)")
            #expect(values("lazarus_model_blindness_defaults")[version] == Double(loans.filter(\.y).count))
            let a = auc(loans)
            #expect(abs(try #require(values("lazarus_model_rejected_auc")[version]) - a) < 1e-12, "\(version)")
            let blindness = try #require(values("lazarus_model_blindness_score")[version])
            #expect(abs(blindness - (1 - max(0, 2 * a - 1))) < 1e-12, "\(version)")
            let lower = try #require(values("lazarus_model_blindness_score_lower")[version])
            let upper = try #require(values("lazarus_model_blindness_score_upper")[version])
            #expect(lower <= blindness && blindness <= upper && lower >= 0 && upper <= 1)
            let observed = loans.reduce(0) { $0 + ($1.y ? $1.v : 0) }
            let expected = loans.reduce(0) { $0 + $1.risk * $1.v }
            let ratio = try #require(values("lazarus_model_observed_expected_ratio")[version])
            #expect(abs(ratio - observed / expected) < 1e-9, "\(version)")
            // The approval rate on every eligible, valid applicant of the last 7 days (fewer than the
            // 4,000 a day the sample keeps here, so all of them).
            let recent = decisions.filter {
                $0.variant != "compliance" && $0.defect == nil && $0.decidedAt.microseconds / Self.day > lastDay - 7
            }.compactMap { Self.probability($0.features) }
            let rate = Double(recent.filter { 1 - $0 > 0.5 }.count) / Double(recent.count)
            #expect(abs((values("lazarus_shadow_approval_rate")[version] ?? -1) - rate) < 1e-12, "\(version)")
        }
        // Production is judged on every such loan, the one a model cannot score included, with 1 − score as risk.
        #expect(values("lazarus_model_blindness_samples")["production"] == Double(region { _ in true }.count))
        let production = decisions.compactMap { d -> (risk: Double, y: Bool, v: Double)? in
            guard d.variant == "explore", d.score! <= 0.5, d.decidedAt <= matureThrough,
                let outcome = outcomes[d.applicationID], outcome.observedAt < newest
            else { return nil }
            return (1 - d.score!, outcome.defaulted!, 1 / d.propensity!)
        }
        let productionAUC = auc(production)
        #expect(abs(try #require(values("lazarus_model_rejected_auc")["production"]) - productionAUC) < 1e-12)
        #expect(
            abs(
                try #require(values("lazarus_model_blindness_score")["production"])
                    - (1 - max(0, 2 * productionAUC - 1)))
                < 1e-12)
        #expect(Set(values("lazarus_model_info").keys) == ["v2-first-half", "v1-second-half"])
    }
}
