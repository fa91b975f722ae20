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

    /// HELP text with `\` and line feeds escaped, by Unicode scalar: a Swift `Character` is a grapheme
    /// cluster, so `"\r\n"` or a `\` followed by a combining mark would never equal `"\n"` or `"\\"`.
    static func escapeHelp(_ text: String) -> String { escaped(text, quotes: false) }

    /// A label value with `\`, `"` and line feeds escaped by Unicode scalar (see ``escapeHelp(_:)``), and
    /// at most ``maximumLabelScalars`` scalars: a longer value (free text such as a model version) keeps its
    /// start and ends in `…` and a hash of the whole, so two long values still make two series.
    static func escapeLabel(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard scalars.count > maximumLabelScalars else { return escaped(text, quotes: true) }
        let kept = String(String.UnicodeScalarView(scalars.prefix(maximumLabelScalars - 17)))
        return escaped(kept, quotes: true) + "…" + hexHash(text)
    }

    /// The longest label value written whole.
    static let maximumLabelScalars = 128

    private static func escaped(_ text: String, quotes: Bool) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out.append(contentsOf: "\\\\".unicodeScalars)
            case "\n": out.append(contentsOf: "\\n".unicodeScalars)
            case "\"" where quotes: out.append(contentsOf: "\\\"".unicodeScalars)
            default: out.append(scalar)
            }
        }
        return String(out)
    }

    /// FNV-1a of the UTF-8 bytes, 16 hex digits: stable across runs and machines (Swift's `hashValue` is not).
    private static func hexHash(_ text: String) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
