import LazarusMetrics
import Testing

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
}
