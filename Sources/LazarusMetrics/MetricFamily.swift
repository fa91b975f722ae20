/// One metric family of the Prometheus text format 0.0.4: name, HELP, TYPE and samples.
public struct MetricFamily: Sendable, Equatable {
    /// `counter` or `gauge`.
    public enum Kind: String, Sendable {
        case counter, gauge
    }

    /// A sample: its labels (in a fixed order) and its value.
    public struct Sample: Sendable, Equatable {
        public var labels: [(String, String)]
        public var value: Double

        public init(_ labels: [(String, String)], _ value: Double) {
            self.labels = labels
            self.value = value
        }

        /// A sample without labels.
        public init(_ value: Double) {
            self.init([], value)
        }

        public static func == (a: Sample, b: Sample) -> Bool {
            a.value == b.value && a.labels.map(\.0) == b.labels.map(\.0) && a.labels.map(\.1) == b.labels.map(\.1)
        }
    }

    public var name: String
    public var help: String
    public var kind: Kind
    public var samples: [Sample]

    public init(_ name: String, _ kind: Kind, _ help: String, _ samples: [Sample]) {
        self.name = name
        self.kind = kind
        self.help = help
        self.samples = samples
    }
}
