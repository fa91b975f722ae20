import Foundation

/// What `lazarus_models.spec` holds for a logistic model: enough to score an applicant and to know how
/// the model was made.
public struct ModelSpec: Sendable, Equatable, Codable {
    /// `baseline` (V0), `standard` (V1) or `causal` (V2).
    public var kind: String
    /// What the model predicts: always the probability of default.
    public var target: String
    /// Feature names, intercept and coefficients in raw units.
    public var model: LogisticModel
    /// Robust (HC0) standard errors of (intercept, coefficients).
    public var standardErrors: [Double]
    /// "none" for V1, "inverse-propensity" for V2.
    public var weighting: String
    /// V2's weight clipping, when used.
    public var clipWeightsAt: Double?
    /// Whether V2's weights were stabilised (divided by their mean).
    public var stabilizedWeights: Bool
    /// The L2 penalty (0: unpenalised maximum likelihood).
    public var l2: Double
    /// Start of the training window (ISO 8601), inclusive.
    public var trainedFrom: String
    /// End of the training window (ISO 8601), exclusive.
    public var trainedBefore: String
    /// Only outcomes observed before this instant (ISO 8601) were used: the report's cut-off. Absent in
    /// specs written before maturity was introduced.
    public var labelsObservedBefore: String?
    /// Labelled loans used.
    public var samples: Int
    /// Sum of the training weights.
    public var weightSum: Double

    /// A spec for one of a trained pair.
    /// - Parameters:
    ///   - pair: the V1/V2 pair.
    ///   - causal: `true` for V2, `false` for V1.
    ///   - l2: the penalty used.
    ///   - window: the training window.
    public init(pair: CausalTraining.Pair, causal: Bool, l2: Double = 0, window: Range<Timestamp>) {
        let fit = causal ? pair.causal : pair.standard
        kind = causal ? "causal" : "standard"
        target = "probability_of_default"
        model = fit.model
        standardErrors = fit.robustStandardErrors
        weighting = causal ? "inverse-propensity" : "none"
        clipWeightsAt = causal ? pair.weighting.clipAt : nil
        stabilizedWeights = causal && pair.weighting.stabilized
        self.l2 = l2
        trainedFrom = window.lowerBound.iso8601
        trainedBefore = window.upperBound.iso8601
        samples = fit.rows
        weightSum = fit.weightSum
    }

    /// A spec for one of the report's three models (V0 baseline, V1 standard, V2 causal).
    /// - Parameters:
    ///   - kind: `baseline`, `standard` or `causal`.
    ///   - fit: the model's fit.
    ///   - weighted: whether it was weighted 1/propensity.
    ///   - trainedOn: the decisions it was trained on, by `decided_at`, end exclusive.
    ///   - labelsObservedBefore: the cut-off of the outcomes it used.
    public init(
        kind: String, fit: LogisticFit, weighted: Bool, trainedOn: Range<Timestamp>, labelsObservedBefore: Timestamp
    ) {
        self.kind = kind
        target = "probability_of_default"
        model = fit.model
        standardErrors = fit.robustStandardErrors
        weighting = weighted ? "inverse-propensity" : "none"
        clipWeightsAt = nil
        stabilizedWeights = false
        l2 = 0
        trainedFrom = trainedOn.lowerBound.iso8601
        trainedBefore = trainedOn.upperBound.iso8601
        self.labelsObservedBefore = labelsObservedBefore.iso8601
        samples = fit.rows
        weightSum = fit.weightSum
    }

    /// The spec as compact JSON with sorted keys (stable across runs).
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// Reads a spec from JSON.
    /// - Throws: ``CoreError`` with code `invalidInput` when the JSON is not a spec.
    public init(json: String) throws {
        do {
            self = try JSONDecoder().decode(ModelSpec.self, from: Data(json.utf8))
        } catch {
            throw CoreError(.invalidInput, "a model spec is not valid JSON of the expected shape")
        }
        guard model.coefficients.count == model.featureNames.count, model.intercept.isFinite,
            model.coefficients.allSatisfy(\.isFinite)
        else { throw CoreError(.invalidInput, "a model spec has mismatched or non-finite coefficients") }
    }
}
