import Foundation
import LazarusTestSupport
import Testing

/// The fuzz targets' checks over the committed inputs (seeds, and each crash once found), without libFuzzer:
/// a fixed bug stays fixed on every test run. `scripts/fuzz` runs the targets themselves.
@Suite("Fuzz corpus replay")
struct FuzzCorpusTests {
    @Test("every committed input keeps every property", arguments: ["store-url", "web-config"])
    func replay(target: String) throws {
        let corpus = Repository.path("Fuzz/corpus/\(target)").path
        let result = try Tool(name: "lazarus-fuzz").run([target, corpus])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("every property held"))
    }

    @Test("a missing input fails the replay: a mistyped corpus path must not pass as checked")
    func missingInput() throws {
        let directory = try TemporaryDirectory()
        let missing = directory.url.appendingPathComponent("missing").path
        let result = try Tool(name: "lazarus-fuzz").run(["web-config", missing])
        #expect(result.status != 0)
        #expect(result.stderr.contains("no such file or directory"))
    }
}
