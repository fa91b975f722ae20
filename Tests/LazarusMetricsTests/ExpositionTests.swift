import Testing

@testable import LazarusMetrics

@Suite("Exposition format")
struct ExpositionTests {
    @Test("HELP, TYPE, labels and values in the 0.0.4 text format")
    func format() {
        let text = Exposition.render([
            MetricFamily(
                "lazarus_x_total", .counter, "Line one\nback\\slash", [.init([("a", "q\"uote"), ("b", "n\nl")], 3)]),
            MetricFamily("lazarus_y", .gauge, "Y.", [.init(0.25), .init([("k", "v")], -1.5e-7)]),
        ])
        #expect(
            text == """
                # HELP lazarus_x_total Line one\\nback\\\\slash
                # TYPE lazarus_x_total counter
                lazarus_x_total{a="q\\"uote",b="n\\nl"} 3
                # HELP lazarus_y Y.
                # TYPE lazarus_y gauge
                lazarus_y 0.25
                lazarus_y{k="v"} -1.5e-07

                """)
    }

    @Test("NaN and infinities never reach the output")
    func nonFinite() {
        let text = Exposition.render([
            MetricFamily("lazarus_z", .gauge, "Z.", [.init(.nan), .init([("a", "b")], .infinity)])
        ])
        #expect(text == "# HELP lazarus_z Z.\n# TYPE lazarus_z gauge\n")
    }

    @Test(
        "label values and HELP are escaped by Unicode scalar, whatever the grapheme clusters",
        arguments: [
            ("a\r\nb", "a\r\\nb"), ("q\"\u{301}", "q\\\"\u{301}"), ("b\\\u{301}", "b\\\\\u{301}"),
            ("\n\u{308}", "\\n\u{308}"), ("plain é✓", "plain é✓"),
        ])
    func scalarEscaping(raw: String, escaped: String) {
        let text = Exposition.render([MetricFamily("lazarus_e", .gauge, "H \(raw)", [.init([("v", raw)], 1)])])
        #expect(text.contains("lazarus_e{v=\"\(escaped)\"} 1\n"), "\(text.debugDescription)")
        // No raw line feed inside a sample or a HELP line: each line is one record.
        #expect(text.split(separator: "\n", omittingEmptySubsequences: false).count == 4, "\(text.debugDescription)")
    }

    @Test("a long free-text label keeps its start and a hash of the whole: two long values stay two series")
    func longLabels() {
        let base = String(repeating: "v", count: 300)
        let a = Exposition.escapeLabel(base + "a")
        let b = Exposition.escapeLabel(base + "b")
        #expect(a != b)
        #expect(a.unicodeScalars.count == Exposition.maximumLabelScalars)
        #expect(a.hasPrefix(String(repeating: "v", count: 100)))
        #expect(Exposition.escapeLabel(String(repeating: "w", count: 128)) == String(repeating: "w", count: 128))
    }
}
