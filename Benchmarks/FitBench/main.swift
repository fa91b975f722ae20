// Causal-engine benchmark: V1 + V2 logistic fits on N labelled rows with 8 features.
// Prints one line per run: `fit rows seconds max_rss_kib`. With --write PATH it also writes the data
// (float64, little-endian: x row-major, then y, then w) for Benchmarks/fit_peer.py. See Benchmarks/fit-bench.sh.
import Foundation
import LazarusCore

var rows = 1_000_000
var repeats = 3
var writePath: String?
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let flag = arguments.next() {
    switch flag {
    case "--rows": rows = arguments.next().flatMap { Int($0) } ?? rows
    case "--repeats": repeats = arguments.next().flatMap { Int($0) } ?? repeats
    case "--write": writePath = arguments.next()
    default:
        FileHandle.standardError.write(Data("usage: lazarus-fit-bench [--rows N] [--repeats R] [--write PATH]\n".utf8))
        exit(2)
    }
}

/// Features in raw credit units, a logistic truth, and propensities 1 (90 %) or 0.01 (10 %).
func makeData(_ n: Int) -> (x: [Double], y: [Double], w: [Double]) {
    var state: UInt64 = 2026
    func uniform() -> Double {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Double(state >> 11) * 0x1p-53
    }
    func normal() -> Double { (-2 * log(1 - uniform())).squareRoot() * cos(2 * Double.pi * uniform()) }
    var x = [Double]()
    x.reserveCapacity(n * 8)
    var y = [Double]()
    var w = [Double]()
    for _ in 0..<n {
        let income = (exp(log(48_000) + 0.45 * normal())).rounded()
        let history = (max(0, 80 + 50 * normal())).rounded()
        let dti = min(max(0.3 + 0.1 * normal(), 0.02), 0.9)
        let score = (min(max(650 + 50 * normal(), 300), 850)).rounded()
        let age = (min(max(40 + 12 * normal(), 18), 80)).rounded()
        let loan = (exp(log(450) + 0.4 * normal())).rounded()
        let bankrupt = uniform() < 0.03 ? 1.0 : 0.0
        let utilisation = uniform()
        x += [income, history, dti, score, age, loan, bankrupt, utilisation]
        let eta =
            -2.2 + 3 * (dti - 0.3) - 0.008 * (score - 650) - 0.5 * log(income / 48_000) - 0.004 * (history - 80)
            + 1.5 * bankrupt + 0.8 * (utilisation - 0.5)
        y.append(uniform() < 1 / (1 + exp(-eta)) ? 1 : 0)
        w.append(uniform() < 0.1 ? 100 : 1)
    }
    return (x, y, w)
}

func maxResidentKiB() -> Int {
    let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
    return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
}

let data = makeData(rows)
if let writePath {
    var bytes = Data()
    for array in [data.x, data.y, data.w] { array.withUnsafeBytes { bytes.append(contentsOf: $0) } }
    guard FileManager.default.createFile(atPath: writePath, contents: bytes) else {
        FileHandle.standardError.write(Data("lazarus-fit-bench: error: cannot write \(writePath)\n".utf8))
        exit(1)
    }
}
let names = [
    "annual_income", "credit_history_months", "debt_to_income", "credit_score", "age", "loan_amount",
    "recent_bankruptcy", "utilisation",
]
do {
    let x = try DesignMatrix(names: names, values: data.x)
    let propensities = data.w.map { 1 / $0 }
    for _ in 0..<repeats {
        let clock = ContinuousClock()
        let start = clock.now
        let pair = try CausalTraining.train(x, defaulted: data.y, propensities: propensities)
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("fit \(rows) \(String(format: "%.3f", seconds)) \(maxResidentKiB())")
        FileHandle.standardError.write(
            Data(
                "V1 \(pair.standard.model.coefficients.prefix(3)) V2 \(pair.causal.model.coefficients.prefix(3))\n".utf8
            ))
    }
} catch {
    FileHandle.standardError.write(Data("lazarus-fit-bench: error: \(error)\n".utf8))
    exit(1)
}
