import LazarusCore

extension ExperimentAggregate {
    /// Blindness, calibration and shadow approval rates of production and the registered models; PSI.
    func modelFamilies() -> [MetricFamily] {
        var blindness: [MetricFamily.Sample] = []
        var stderr: [MetricFamily.Sample] = []
        var ratio: [MetricFamily.Sample] = []
        var samples: [MetricFamily.Sample] = []
        var approval: [MetricFamily.Sample] = []
        let recent = sample.recent()
        func add(
            _ name: String, _ sample: [Labelled], predict: (Labelled) -> Double, approves: ([Double], Double) -> Bool
        ) {
            let label = [("model", name)]
            let p = sample.map(predict)
            let y = sample.map { $0.defaulted ? 1.0 : 0 }
            let v = sample.map { 1 / $0.propensity }
            samples.append(.init(label, Double(sample.count)))
            if let score = try? BlindnessScore(probabilities: p, labels: y, weights: v) {
                blindness.append(.init(label, score.score))
                stderr.append(.init(label, score.standardError))
            }
            if let oe = try? ModelEvaluation.observedExpectedRatio(probabilities: p, labels: y, weights: v) {
                ratio.append(.init(label, oe))
            }
            if !recent.isEmpty {
                let approved = recent.filter { approves($0.features, $0.score) }.count
                approval.append(.init(label, Double(approved) / Double(recent.count)))
            }
        }
        add("production", blindnessSample, predict: { 1 - $0.score }, approves: { _, score in score > riskThreshold })
        for record in models {
            // A version named like the production series would make its label set ambiguous; a spec that
            // predicts something else, names a feature the tables lack, or has no readable training window
            // cannot be judged, and is left out rather than judged on loans it may have been trained on.
            guard record.version != "production", let spec = try? ModelSpec(json: record.spec),
                spec.target == "probability_of_default",
                let columns = Self.columns(of: spec.model.featureNames),
                let from = Timestamp(iso8601: spec.trainedFrom), let before = Timestamp(iso8601: spec.trainedBefore),
                from < before
            else { continue }
            func predict(_ features: [Double]) -> Double? {
                let x = columns.map { features[$0] }
                guard x.allSatisfy(Self.isSound) else { return nil }
                let p = spec.model.probability(x)
                return p.isFinite ? p : nil
            }
            // A model is judged only on explore loans it was not trained on, whose features it can score.
            let unseen = blindnessSample.filter { ($0.decidedAt < from || $0.decidedAt >= before) }
                .filter { predict($0.features) != nil }
            add(
                record.version, unseen, predict: { predict($0.features) ?? .nan },
                approves: { features, _ in predict(features).map { 1 - $0 > riskThreshold } ?? false })
        }
        return [
            .init(
                "lazarus_model_blindness_score", .gauge,
                "1 - max(0, Brier skill score) of the model on explore loans to rejected applicants with known outcome, weighted 1/propensity: 0 sees the rejected region perfectly, 1 is no better than a constant.",
                blindness),
            .init(
                "lazarus_model_blindness_score_stderr", .gauge,
                "Influence-function standard error of the blindness score.", stderr),
            .init(
                "lazarus_model_observed_expected_ratio", .gauge,
                "Observed over predicted defaults on the same loans (calibration).",
                ratio),
            .init("lazarus_model_blindness_samples", .gauge, "Explore loans behind the blindness score.", samples),
            .init(
                "lazarus_feature_psi", .gauge,
                "Population stability index of each feature: eligible applicants of the last 7 UTC days of the data against the first 7 (a sample of at most \(sample.perDay) a day).",
                featurePSI()),
            .init(
                "lazarus_shadow_approval_rate", .gauge,
                "Share of the eligible applicants of the last 7 UTC days of the data each model would approve (a sample of at most \(sample.perDay) a day).",
                approval),
        ]
    }

    /// Where each of a model's features is in ``features``, or `nil` when one is not there.
    static func columns(of names: [String]) -> [Int]? {
        let columns = names.compactMap { features.firstIndex(of: $0) }
        return columns.count == names.count ? columns : nil
    }

    /// A feature value a model can use: present (missing ones are NaN or -1) and finite.
    static func isSound(_ x: Double) -> Bool { x.isFinite && x >= 0 }

    func featurePSI() -> [MetricFamily.Sample] {
        let reference = sample.reference()
        let current = sample.recent()
        return Self.features.indices.compactMap { j in
            guard
                let psi = try? PopulationStability.index(
                    reference: reference.map { $0.features[j] }, current: current.map { $0.features[j] })
            else { return nil }
            return .init([("feature", Self.features[j])], psi)
        }
    }
}
