import Foundation

/// Reference values made by `Fixtures/make_fixtures.py` with statsmodels, scikit-learn and numpy.
enum Fixture {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "Fixtures")

    static func load<T: Decodable>(_ name: String, as type: T.Type) throws -> T {
        let data = try Data(contentsOf: directory.appendingPathComponent(name))
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(T.self, from: data)
    }

    struct Logistic: Decodable {
        let cases: [Case]

        struct Case: Decodable {
            let name: String
            let l2: Double
            let names: [String]
            let x: [[Double]]
            let y: [Double]
            let w: [Double]
            let coefficients: [Double]
            let naiveSe: [Double]?
            let robustSe: [Double]?
            let sklearnCoefficients: [Double]
        }
    }

    struct Evaluation: Decodable {
        let y: [Double]
        let p: [Double]
        let v: [Double]
        let auc: Double
        let aucVar: Double
        let aucWeighted: Double
        let blindness: Blindness
        let ece: Double
        let oe: Double
        let psiExpected: [Double]
        let psiActual: [Double]
        let psi: Double
        let offPolicy: OffPolicy

        struct Blindness: Decodable {
            let a: Double
            let ybar: Double
            let score: Double
            let rawRatio: Double
            let se: Double
        }

        struct OffPolicy: Decodable {
            let propensity: [Double]
            let approved: [Bool]
            let candidate: [Bool]
            let defaulted: [Bool]
            let loss: [Double]
            let ltv: Double
            let profitIps: Double
            let profitIpsSe: Double
            let profitSnips: Double
            let profitSnipsSe: Double
            let defaultRate: Double
            let defaultRateSe: Double
            let approvalRate: Double
            let ess: Double
            let maxWeight: Double
        }
    }
}

/// |a − b| ≤ tolerance × max(|b|, floor): relative agreement, with an absolute floor near zero.
func close(_ a: Double, _ b: Double, relative tolerance: Double, floor: Double = 1e-12) -> Bool {
    abs(a - b) <= tolerance * max(abs(b), floor)
}

extension Fixture {
    /// Made by `Fixtures/make_region_fixture.py` (scikit-learn, scipy, statsmodels).
    struct Region: Decodable {
        let risk: [Double]
        let defaulted: [Bool]
        let weights: [Double]
        let auc: Double
        let aucSklearn: Double
        let aucVariance: Double
        let aucDf: Double
        let otherRisk: [Double]
        let pairedDifference: Double
        let pairedVariance: Double
        let aucT: Double
        let defaults: Int
        let observedExpected: Double
        let poissonLow: Double
        let poissonHigh: Double
        let calibration: [Double]
        let calibrationSe: [Double]
    }
}
