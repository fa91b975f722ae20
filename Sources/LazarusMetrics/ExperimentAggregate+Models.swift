import LazarusCore

extension ExperimentAggregate {
    /// The explore loans to rejected applicants that the model-quality figures rest on: decided at least W before
    /// the newest decision T, with an outcome observed before T (design.md, "Cohorts and maturity").
    func maturedSample() -> [Labelled] {
        guard let cutoff = lastDecision else { return [] }
        let matureThrough = Maturity.matureThrough(cutoff: cutoff, windowDays: performanceWindowDays)
        return blindnessSample.filter { $0.decidedAt <= matureThrough && $0.observedAt < cutoff }
    }

    /// Rejected-region quality (``RejectedRegionQuality``, the report's own code) and shadow approval rates of
    /// production and the registered models; model info; PSI.
    func modelFamilies() -> [MetricFamily] {
        var figures: [String: [MetricFamily.Sample]] = [:]
        var samples: [MetricFamily.Sample] = []
        var defaults: [MetricFamily.Sample] = []
        var approval: [MetricFamily.Sample] = []
        var info: [MetricFamily.Sample] = []
        let recent = sample.recent()
        let matured = maturedSample()
        func put(_ name: String, _ label: [(String, String)], _ interval: RejectedRegionQuality.Interval?) {
            guard let interval else { return }
            figures[name, default: []].append(.init(label, interval.estimate))
            figures[name + "_lower", default: []].append(.init(label, interval.low))
            figures[name + "_upper", default: []].append(.init(label, interval.high))
        }
        func add(
            _ name: String, _ sample: [Labelled], predict: (Labelled) -> Double, approves: ([Double], Double) -> Bool
        ) {
            let label = [("model", name)]
            let outcomes = sample.map(\.defaulted)
            samples.append(.init(label, Double(sample.count)))
            defaults.append(.init(label, Double(outcomes.filter { $0 }.count)))
            let quality = RejectedRegionQuality(
                risk: sample.map(predict), defaulted: outcomes, weights: sample.map { 1 / $0.propensity })
            put("lazarus_model_blindness_score", label, quality?.blindness)
            put("lazarus_model_rejected_auc", label, quality?.rejectedAuc)
            put("lazarus_model_observed_expected_ratio", label, quality?.observedExpected)
            if !recent.isEmpty {
                let approved = recent.filter { approves($0.features, $0.score) }.count
                approval.append(.init(label, Double(approved) / Double(recent.count)))
            }
        }
        add("production", matured, predict: { 1 - $0.score }, approves: { _, score in score > riskThreshold })
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
            info.append(
                .init(
                    [
                        ("model", record.version), ("version", record.version), ("kind", record.kind),
                        ("status", record.status),
                    ], 1))
            func predict(_ features: [Double]) -> Double? {
                let x = columns.map { features[$0] }
                guard x.allSatisfy(Self.isSound) else { return nil }
                let p = spec.model.probability(x)
                return p.isFinite ? p : nil
            }
            // A model is judged only on explore loans it was not trained on, whose features it can score.
            let unseen = matured.filter { ($0.decidedAt < from || $0.decidedAt >= before) }
                .filter { predict($0.features) != nil }
            add(
                record.version, unseen, predict: { predict($0.features) ?? .nan },
                approves: { features, _ in predict(features).map { 1 - $0 > riskThreshold } ?? false })
        }
        let region =
            "on the mature explore loans to applicants production rejected (decided at least \(performanceWindowDays) days before the newest decision, outcome known), weighted 1/propensity"
        func family(_ name: String, _ help: String) -> MetricFamily {
            .init(name, .gauge, help, figures[name] ?? [])
        }
        return [
            family(
                "lazarus_model_blindness_score",
                "1 - max(0, 2 AUC - 1), i.e. 1 - Gini, \(region): 1 cannot tell good from bad among the applicants it rejects, 0 ranks them perfectly. Absent below 30 loans or 5 defaults."
            ),
            family(
                "lazarus_model_blindness_score_lower",
                "Lower end of the blindness score's 95 % interval (from the AUC's)."),
            family(
                "lazarus_model_blindness_score_upper",
                "Upper end of the blindness score's 95 % interval (from the AUC's)."),
            family(
                "lazarus_model_rejected_auc",
                "Weighted probability that a defaulting loan is ranked riskier than a repaying one, \(region)."),
            family(
                "lazarus_model_rejected_auc_lower",
                "Lower end of the within-region AUC's 95 % weighted DeLong interval."),
            family(
                "lazarus_model_rejected_auc_upper",
                "Upper end of the within-region AUC's 95 % weighted DeLong interval."),
            family(
                "lazarus_model_observed_expected_ratio",
                "Observed over predicted defaults on the same loans (calibration), \(region)."),
            family(
                "lazarus_model_observed_expected_ratio_lower",
                "Lower end of the observed/expected ratio's 95 % interval (exact Poisson on the observed count)."),
            family(
                "lazarus_model_observed_expected_ratio_upper",
                "Upper end of the observed/expected ratio's 95 % interval (exact Poisson on the observed count)."),
            .init(
                "lazarus_model_blindness_samples", .gauge,
                "Mature explore loans to rejected applicants behind each model's quality figures.", samples),
            .init("lazarus_model_blindness_defaults", .gauge, "Defaults among those loans.", defaults),
            .init(
                "lazarus_model_info", .gauge, "1 for each registered model with status shadow or active.", info),
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
