// Store benchmark: bulk write and streaming read of N decisions, repeated, on the store a URL names.
// Prints one line per run: `backend operation rows seconds rows_per_second`. See Benchmarks/store-bench.sh.
import Foundation
import LazarusCore
import LazarusStore

struct Options {
    var store = "sqlite:output/bench.sqlite"
    var rows = 1_000_000
    var repeats = 5
    var keep = false

    init(_ arguments: [String]) {
        var iterator = arguments.dropFirst().makeIterator()
        while let flag = iterator.next() {
            switch flag {
            case "--store": store = iterator.next() ?? store
            case "--rows": rows = iterator.next().flatMap { Int($0) } ?? rows
            case "--repeats": repeats = iterator.next().flatMap { Int($0) } ?? repeats
            case "--keep": keep = true
            default:
                FileHandle.standardError.write(
                    Data("usage: lazarus-store-bench --store URL --rows N --repeats R [--keep]\n".utf8))
                exit(2)
            }
        }
    }
}

/// Decisions shaped like the simulator's: every column filled, ids unique, values varied.
func makeDecisions(_ count: Int) -> [DecisionRow] {
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    func next() -> Double {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Double(state >> 11) / Double(1 << 53)
    }
    let start = Timestamp(seconds: 1_795_000_000)
    return (0..<count).map { i in
        let score = next()
        let explore = score <= 0.5 && next() < 0.01
        return DecisionRow(
            applicationID: "app-\(i)", decidedAt: start.adding(microseconds: Int64(i) * 8_640_000),
            variant: explore ? "explore" : "exploit", approved: score > 0.5 || explore,
            reason: explore ? "PROJECT_LAZARUS_EXPLORE" : (score > 0.5 ? "MODEL_QUALIFIED" : "MODEL_HIGH_RISK"),
            propensity: score > 0.5 ? 1 : 0.01, score: score, modelVersion: "prod-2026.11",
            loanAmount: (1000 + next() * 9000).rounded(),
            features: ApplicantFeatures(
                age: 18 + Int(next() * 60), annualIncome: (20_000 + next() * 180_000).rounded(),
                debtToIncome: next() * 0.6, creditScore: 300 + Int(next() * 550),
                creditHistoryMonths: Int(next() * 360), recentBankruptcy: next() < 0.03))
    }
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

let options = Options(CommandLine.arguments)
do {
    let store = try openStore(options.store)
    try store.migrate()
    let backend = options.store.hasPrefix("sqlite:") ? "sqlite" : "postgres"
    let rows = makeDecisions(options.rows)
    func report(_ operation: String, _ elapsed: Double) {
        let rate = Double(options.rows) / elapsed
        FileHandle.standardOutput.write(
            Data("\(backend) \(operation) \(options.rows) \(String(format: "%.3f", elapsed)) \(Int(rate))\n".utf8))
    }
    for run in 1...options.repeats {
        try store.deleteAllRows()
        report("write", try seconds { try store.insertDecisions(rows) })
        var checksum = 0.0
        var count = 0
        report(
            "read",
            try seconds {
                try store.streamDecisions(.all) { row in
                    count += 1
                    checksum += row.score ?? 0
                }
            })
        guard count == options.rows else {
            FileHandle.standardError.write(Data("read back \(count) rows, wrote \(options.rows)\n".utf8))
            exit(1)
        }
        if run == options.repeats && !options.keep { try store.deleteAllRows() }
        _ = checksum
    }
} catch {
    FileHandle.standardError.write(Data("lazarus-store-bench: error: \(error)\n".utf8))
    exit(1)
}
