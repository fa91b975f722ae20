import Foundation
import LazarusCore
import Testing

@testable import LazarusCommandLine

@Suite("Flags and environment")
struct OptionsTests {
    @Test("defaults apply when neither flag nor variable is set")
    func defaults() throws {
        let resolved = try PolicyOptions.parse([]).resolve(Environment([:]))
        #expect(resolved.policy == (try PolicySettings(epsilon: 0.01, riskThreshold: 0.5)))
        #expect(resolved.initialLossBudget == 1000)
        #expect(resolved.defaultLTV == 500)
    }

    @Test("variables apply, and flags win over them")
    func precedence() throws {
        let environment = Environment([
            "LAZARUS_EPSILON": "0.05", "LAZARUS_RISK_THRESHOLD": "0.6", "LAZARUS_INITIAL_LOSS_BUDGET": "250",
            "LAZARUS_DEFAULT_LTV": "750",
        ])
        var options = try PolicyOptions.parse([])
        #expect(try options.resolve(environment).policy.epsilon == 0.05)
        #expect(try options.resolve(environment).initialLossBudget == 250)
        options = try PolicyOptions.parse(["--epsilon", "0.2", "--default-ltv", "100"])
        let resolved = try options.resolve(environment)
        #expect(resolved.policy.epsilon == 0.2)
        #expect(resolved.policy.riskThreshold == 0.6)
        #expect(resolved.defaultLTV == 100)
    }

    @Test(
        "bad values give one clear error",
        arguments: [
            ("LAZARUS_EPSILON", "abc", "LAZARUS_EPSILON='abc' is not a number"),
            ("LAZARUS_EPSILON", "1.5", "epsilon must be between 0 and 1, got 1.5"),
            (
                "LAZARUS_INITIAL_LOSS_BUDGET", "-10",
                "the initial loss budget must be a finite number of dollars, 0 or more, got -10.0"
            ),
            ("LAZARUS_DEFAULT_LTV", "nan", "LAZARUS_DEFAULT_LTV='nan' is not a number"),
        ])
    func badValues(name: String, value: String, message: String) throws {
        let options = try PolicyOptions.parse([])
        let error = #expect(throws: (any Error).self) { try options.resolve(Environment([name: value])) }
        #expect(error.map { "\($0)" } == message)
    }

    @Test("readers offer only the settings they use: the exporter's valuation flags take no --epsilon")
    func readersOfferWhatTheyUse() throws {
        #expect(throws: (any Error).self) { try ValuationOptions.parse(["--epsilon", "0.1"]) }
        #expect(throws: (any Error).self) { try ValuationOptions.parse(["--initial-loss-budget", "10"]) }
        let valued = try ValuationOptions.parse(["--risk-threshold", "0.4"]).resolve(Environment([:]))
        #expect(valued.riskThreshold == 0.4 && valued.defaultLTV == 500)
        #expect(throws: (any Error).self) { try EpsilonOption.parse(["--initial-loss-budget", "10"]) }
    }

    @Test("the home is the nearest directory above the executable with the template; none: the working directory")
    func home() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("home-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let install = root.appendingPathComponent("opt/lazarus")
        try FileManager.default.createDirectory(
            at: install.appendingPathComponent("share/lazarus/templates"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(
            at: install.appendingPathComponent("bin"), withIntermediateDirectories: true)
        let executable = install.appendingPathComponent("bin/lazarus-exporter")
        #expect(LazarusHome.directory(Environment([:]), executable: executable) == nil)
        #expect(LazarusHome.path("output", Environment([:])) != "output")
        _ = FileManager.default.createFile(
            atPath: install.appendingPathComponent("share/lazarus/" + LazarusHome.marker).path, contents: Data())
        #expect(
            LazarusHome.directory(Environment([:]), executable: executable)
                == install.appendingPathComponent("share/lazarus").path)
        // A template beside bin/ is nearer than share/lazarus/: the prefix itself is the home.
        try FileManager.default.createDirectory(
            at: install.appendingPathComponent("templates"), withIntermediateDirectories: true)
        _ = FileManager.default.createFile(
            atPath: install.appendingPathComponent(LazarusHome.marker).path, contents: Data())
        #expect(LazarusHome.directory(Environment([:]), executable: executable) == install.path)
        #expect(LazarusHome.directory(Environment(["LAZARUS_HOME": "/x"]), executable: executable) == "/x")
    }

    @Test("the store URL comes from the flag, else LAZARUS_STORE, else the embedded default")
    func storeURL() throws {
        // The default is in the Lazarus home: here the repository, found above the test bundle's directory.
        let home = try #require(LazarusHome.directory(Environment([:])))
        #expect(FileManager.default.fileExists(atPath: home + "/" + LazarusHome.marker))
        #expect(
            try StoreOptions.parse([]).url(Environment([:])).description == "sqlite:\(home)/output/lazarus.sqlite")
        #expect(
            try StoreOptions.parse([]).url(Environment(["LAZARUS_HOME": "/srv/lz"])).description
                == "sqlite:/srv/lz/output/lazarus.sqlite")
        #expect(
            try StoreOptions.parse([]).url(Environment(["LAZARUS_STORE": "sqlite:/tmp/a"])).description
                == "sqlite:/tmp/a")
        let flagged = try StoreOptions.parse(["--store", "sqlite:/tmp/b"])
        #expect(try flagged.url(Environment(["LAZARUS_STORE": "sqlite:/tmp/a"])).description == "sqlite:/tmp/b")
    }

    @Test(
        "numbers print grouped, dollars to the cent",
        arguments: [
            (0.0, "$0.00"), (1234.5, "$1,234.50"), (-1234.567, "-$1,234.57"), (999_999.999, "$1,000,000.00"),
            (0.004, "$0.00"), (-0.004, "$0.00"), (.nan, "n/a"),
        ])
    func dollars(value: Double, text: String) {
        #expect(Format.dollars(value) == text)
    }

    @Test("counts print grouped", arguments: [(0, "0"), (999, "999"), (1000, "1,000"), (-1_234_567, "-1,234,567")])
    func counts(value: Int, text: String) {
        #expect(Format.count(value) == text)
    }
}
