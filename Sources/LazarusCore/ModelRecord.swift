/// One row of `lazarus_models`, the model registry.
public struct ModelRecord: Hashable, Sendable {
    /// The model's version, the table's primary key.
    public var version: String
    /// `standard` or `causal`.
    public var kind: String
    /// When the model was registered (UTC).
    public var createdAt: Timestamp
    /// `draft`, `shadow`, `active` or `retired`.
    public var status: String
    /// JSON: feature names, intercept and coefficients in raw units, training window, sample counts.
    public var spec: String
    /// JSON: evaluation metrics.
    public var metrics: String

    /// Creates a registry row.
    public init(version: String, kind: String, createdAt: Timestamp, status: String, spec: String, metrics: String) {
        self.version = version
        self.kind = kind
        self.createdAt = createdAt
        self.status = status
        self.spec = spec
        self.metrics = metrics
    }
}
