import Foundation
// swift-tools-version:6.2
import PackageDescription

// Our own targets treat every warning as an error; dependencies keep their own settings.
let strict: [SwiftSetting] = [.treatAllWarnings(as: .error)]

// `LAZARUS_FUZZ=1` (scripts/fuzz) instruments the parsers' modules and the fuzz target for libFuzzer, and
// only them: the dependencies stay as built, so the fuzz build recompiles a few modules, not the whole graph.
let fuzzing = ProcessInfo.processInfo.environment["LAZARUS_FUZZ"] == "1"
let fuzzed: [SwiftSetting] = strict + (fuzzing ? [.unsafeFlags(["-sanitize=fuzzer"])] : [])
let fuzzTarget: [SwiftSetting] = fuzzed + (fuzzing ? [.define("LAZARUS_FUZZ")] : [])
// libFuzzer without its main: SwiftPM names an executable's entry point itself, so the target's own main calls
// libFuzzer's driver. The runtime sits beside the toolchain's clang.
let fuzzRuntime: String? = {
    guard fuzzing else { return nil }
    let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
    guard let bin = path.split(separator: ":").first(where: { FileManager.default.fileExists(atPath: "\($0)/swiftc") })
    else { return nil }
    var directory = URL(fileURLWithPath: "\(bin)/swiftc").resolvingSymlinksInPath().deletingLastPathComponent()
    while directory.path != "/" {
        let root = directory.appendingPathComponent("lib/clang")
        if let versions = try? FileManager.default.contentsOfDirectory(atPath: root.path) {
            for version in versions.sorted().reversed() {
                let archive = root.appendingPathComponent("\(version)/lib/linux/libclang_rt.fuzzer_no_main-x86_64.a")
                if FileManager.default.fileExists(atPath: archive.path) { return archive.path }
            }
        }
        directory = directory.deletingLastPathComponent()
    }
    return nil
}()
let fuzzLink: [LinkerSetting] = fuzzRuntime.map { [.unsafeFlags(["-Xlinker", $0, "-lstdc++"])] } ?? []

let package = Package(
    name: "Lazarus",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "LazarusCore", targets: ["LazarusCore"]),
        .library(name: "LazarusStore", targets: ["LazarusStore"]),
        .library(name: "LazarusRender", targets: ["LazarusRender"]),
        .library(name: "LazarusSimulation", targets: ["LazarusSimulation"]),
        .executable(name: "lazarus-store", targets: ["lazarus-store"]),
        .executable(name: "lazarus-sim", targets: ["lazarus-sim"]),
        .executable(name: "lazarus-report", targets: ["lazarus-report"]),
        .executable(name: "lazarus-exporter", targets: ["lazarus-exporter"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/adam-fowler/compress-nio", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        // `swift package generate-documentation`: the DocC catalogues of the modules.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        // The version, and the git revision baked in at build time by the plugin beside it.
        .target(name: "LazarusBuildInfo", swiftSettings: strict, plugins: ["BuildInfoPlugin"]),
        .plugin(name: "BuildInfoPlugin", capability: .buildTool(), path: "Plugins/BuildInfoPlugin"),
        // libFuzzer's driver, declared for the fuzz target (linked only under LAZARUS_FUZZ=1).
        .target(name: "CLibFuzzer"),
        // C libraries, each behind a system-library target.
        .systemLibrary(
            name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(
            name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(
            name: "CCairo", pkgConfig: "cairo", providers: [.apt(["libcairo2-dev"])]),

        // The domain core: pure Swift, no I/O, no C.
        .target(name: "LazarusCore", swiftSettings: strict),
        .target(
            name: "LazarusStore", dependencies: ["LazarusCore", "CSQLite", "CLibPQ"], swiftSettings: fuzzed),
        .target(name: "LazarusRender", dependencies: ["CCairo", "LazarusCore"], swiftSettings: strict),
        // The simulated lender: applicants, hidden risk, production model, outcomes. Pure, deterministic.
        .target(name: "LazarusSimulation", dependencies: ["LazarusCore"], swiftSettings: strict),
        // The cost-of-knowledge metrics: aggregates and the Prometheus text format. Pure.
        .target(name: "LazarusMetrics", dependencies: ["LazarusCore"], swiftSettings: strict),
        // The exporter's HTTP side: refresh coordination and the routes, on Hummingbird 2; optional TLS and
        // basic auth from a web config file in the Prometheus exporter-toolkit format.
        .target(
            name: "LazarusExporter",
            dependencies: [
                "LazarusCore", "LazarusStore", "LazarusMetrics", "LazarusBuildInfo",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "CompressNIO", package: "compress-nio"),
            ],
            swiftSettings: fuzzed),
        // The weekly shadow-mode report: numbers from the causal engine, pages drawn with Cairo.
        .target(
            name: "LazarusReport",
            dependencies: [
                "LazarusCore", "LazarusStore", "LazarusRender", .product(name: "Mustache", package: "swift-mustache"),
            ],
            swiftSettings: strict),
        // Flags, LAZARUS_* variables and one-line errors shared by the executables.
        .target(
            name: "LazarusCommandLine",
            dependencies: [
                "LazarusCore", "LazarusStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),

        .executableTarget(
            name: "lazarus-store",
            dependencies: [
                "LazarusBuildInfo",
                "LazarusCore", "LazarusStore", "LazarusCommandLine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict),
        .executableTarget(
            name: "lazarus-sim",
            dependencies: [
                "LazarusBuildInfo",
                "LazarusCore", "LazarusStore", "LazarusSimulation", "LazarusCommandLine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict),
        .executableTarget(
            name: "lazarus-report",
            dependencies: [
                "LazarusBuildInfo",
                "LazarusCore", "LazarusStore", "LazarusReport", "LazarusCommandLine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict),
        .executableTarget(
            name: "lazarus-exporter",
            dependencies: [
                "LazarusBuildInfo",
                "LazarusCore", "LazarusStore", "LazarusMetrics", "LazarusExporter", "LazarusCommandLine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        // The parsers of outside text under libFuzzer (Fuzz/README.md); a replay of saved inputs otherwise.
        .executableTarget(
            name: "lazarus-fuzz",
            dependencies: [
                "CLibFuzzer",
                "LazarusBuildInfo",
                "LazarusStore", "LazarusExporter", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: fuzzTarget, linkerSettings: fuzzLink),
        .executableTarget(
            name: "lazarus-store-bench",
            dependencies: ["LazarusCore", "LazarusStore"],
            path: "Benchmarks/StoreBench",
            swiftSettings: strict),

        .executableTarget(
            name: "lazarus-fit-bench", dependencies: ["LazarusCore"], path: "Benchmarks/FitBench",
            swiftSettings: strict),

        // What the test targets share: scratch stores, the PostgreSQL helpers, tool and server launchers.
        .target(
            name: "LazarusTestSupport", dependencies: ["LazarusCore", "LazarusStore"], path: "Tests/LazarusTestSupport",
            swiftSettings: strict),

        // The fixtures are read from the source tree by path (`Fixture.directory`), not bundled.
        .testTarget(
            name: "LazarusCoreTests", dependencies: ["LazarusCore", "LazarusSimulation"], exclude: ["Fixtures"],
            swiftSettings: strict),
        .testTarget(
            name: "LazarusStoreTests",
            dependencies: ["LazarusCore", "LazarusStore", "LazarusSimulation", "LazarusTestSupport"],
            swiftSettings: strict),
        .testTarget(name: "LazarusRenderTests", dependencies: ["LazarusRender"], swiftSettings: strict),
        .testTarget(
            name: "LazarusSimulationTests", dependencies: ["LazarusCore", "LazarusSimulation"], swiftSettings: strict),
        .testTarget(
            name: "LazarusReportTests",
            dependencies: ["LazarusCore", "LazarusStore", "LazarusReport", "LazarusSimulation"],
            swiftSettings: strict),
        .testTarget(
            name: "LazarusMetricsTests", dependencies: ["LazarusCore", "LazarusMetrics", "LazarusSimulation"],
            swiftSettings: strict),
        .testTarget(
            name: "LazarusExporterTests",
            dependencies: [
                "LazarusCore", "LazarusStore", "LazarusMetrics", "LazarusExporter", "LazarusSimulation",
                "LazarusTestSupport",
            ],
            swiftSettings: strict),
        .testTarget(
            name: "LazarusCommandLineTests", dependencies: ["LazarusCore", "LazarusCommandLine"],
            swiftSettings: strict),
        // The executables, run as a user would: flags, exit status, stderr, and the store they fill.
        .testTarget(
            name: "LazarusToolTests",
            dependencies: [
                "LazarusCore", "LazarusStore", "LazarusMetrics", "LazarusExporter", "LazarusSimulation",
                "LazarusTestSupport",
                "lazarus-sim",
                "lazarus-store", "lazarus-report", "lazarus-exporter", "lazarus-fuzz",
            ],
            exclude: ["Golden"],
            swiftSettings: strict),
    ]
)
