import LazarusCore

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
