import LazarusCore

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

/// Writes metric families in the Prometheus text exposition format, version 0.0.4.
///
/// A small writer rather than swift-prometheus: every scrape serves a freshly computed snapshot with
/// fixed label sets, which the text format expresses directly, and swift-prometheus's registry would
/// need rebuilding per snapshot (it `fatalError`s on conflicting re-registration).
public enum Exposition {
    /// The content type of the format.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// Renders the families. Non-finite values are never written: a sample whose value is NaN or
    /// infinite is dropped (the family's HELP/TYPE stay), so no NaN reaches a dashboard.
    public static func render(_ families: [MetricFamily]) -> String {
        var out = ""
        for family in families {
            out += "# HELP \(family.name) \(escapeHelp(family.help))\n"
            out += "# TYPE \(family.name) \(family.kind.rawValue)\n"
            for sample in family.samples where sample.value.isFinite {
                out += family.name
                if !sample.labels.isEmpty {
                    out += "{" + sample.labels.map { "\($0.0)=\"\(escapeLabel($0.1))\"" }.joined(separator: ",") + "}"
                }
                out += " " + format(sample.value) + "\n"
            }
        }
        return out
    }

    /// Shortest round-tripping decimal, integers without a fraction.
    static func format(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    static func escapeHelp(_ text: String) -> String {
        text.replacingAll("\\", with: "\\\\").replacingAll("\n", with: "\\n")
    }

    static func escapeLabel(_ text: String) -> String {
        text.replacingAll("\\", with: "\\\\").replacingAll("\"", with: "\\\"").replacingAll("\n", with: "\\n")
    }
}

extension String {
    /// Replaces every occurrence of a single-character string (no Foundation needed).
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for character in self { if character == target { out += replacement } else { out.append(character) } }
        return out
    }
}
