import LazarusCore
import Testing

@Suite("Doubly robust value of one policy over another")
struct DoublyRobustEstimatorTests {
    typealias Unit = DoublyRobustEstimator.Unit

    /// Six applicants worked by hand: φ = (π_A − π_B)(m̂ + a(r − m̂)/p).
    static let units = [
        // Approved for sure, repaid: φ = 300 + (500 − 300)/1 = 500.
        Unit(propensity: 1, labelled: true, reward: 500, predictedReward: 300, approvesA: true, approvesB: false),
        // An explore loan that defaulted: φ = 100 + (−200 − 100)/0.01 = −29,900.
        Unit(propensity: 0.01, labelled: true, reward: -200, predictedReward: 100, approvesA: true, approvesB: false),
        // Rejected, B approves: φ = −100.
        Unit(propensity: 0.01, labelled: false, reward: 0, predictedReward: 100, approvesA: false, approvesB: true),
        // Never approvable and the policies disagree: unsupported, left out.
        Unit(propensity: 0, labelled: false, reward: 0, predictedReward: 250, approvesA: true, approvesB: false),
        // Never approvable but the policies agree: supported, φ = 0.
        Unit(propensity: 0, labelled: false, reward: 0, predictedReward: 250, approvesA: true, approvesB: true),
        // Agreeing: φ = 0 whatever the reward.
        Unit(propensity: 0.5, labelled: true, reward: 500, predictedReward: 400, approvesA: false, approvesB: false),
    ]

    @Test("a hand-worked cohort: total, standard error, support")
    func handWorked() throws {
        let d = try DoublyRobustEstimator.difference(Self.units)
        #expect(d.total == -29_500)
        #expect(d.applicants == 5)
        #expect(d.unsupported == 1)
        #expect(d.disagreements == 4)
        // n/(n−1)·(Σφ² − (Σφ)²/n) = 5/4 · (894,270,000 − 870,250,000/5) = 900,275,000.
        #expect(abs(d.standardError - 900_275_000.0.squareRoot()) < 1e-6)
        #expect(abs(d.interval.lowerBound - (-29_500 - 1.959963984540054 * 900_275_000.0.squareRoot())) < 1e-6)
        let perApplicant = d.perApplicant
        #expect(abs(perApplicant.value - (-5_900)) < 1e-9)
    }

    @Test("with m̂ = 0 it is inverse-propensity weighting")
    func ipwSpecialCase() throws {
        let units = Self.units.map { unit -> Unit in
            var copy = unit
            copy.predictedReward = 0
            return copy
        }
        let d = try DoublyRobustEstimator.difference(units)
        // 500/1 − 200/0.01 + 0 (rejected, unlabelled) = −19,500.
        #expect(d.total == -19_500)
    }

    @Test("a policy against itself is worth exactly nothing")
    func identical() throws {
        let units = Self.units.map { unit -> Unit in
            var copy = unit
            copy.approvesB = copy.approvesA
            return copy
        }
        let d = try DoublyRobustEstimator.difference(units)
        #expect(d.total == 0 && d.standardError == 0 && d.unsupported == 0 && d.applicants == units.count)
    }

    @Test("swapping the policies flips the sign and keeps the error")
    func antisymmetric() throws {
        let swapped = Self.units.map { unit -> Unit in
            var copy = unit
            (copy.approvesA, copy.approvesB) = (unit.approvesB, unit.approvesA)
            return copy
        }
        let ab = try DoublyRobustEstimator.difference(Self.units)
        let ba = try DoublyRobustEstimator.difference(swapped)
        #expect(ab.total == -ba.total && ab.standardError == ba.standardError)
    }

    @Test(
        "malformed units are refused, never NaN",
        arguments: [
            Unit(propensity: 1.5, labelled: false, reward: 0, predictedReward: 0, approvesA: true, approvesB: false),
            Unit(propensity: .nan, labelled: false, reward: 0, predictedReward: 0, approvesA: true, approvesB: false),
            Unit(propensity: 0, labelled: true, reward: 500, predictedReward: 0, approvesA: true, approvesB: false),
            Unit(
                propensity: 1, labelled: true, reward: .infinity, predictedReward: 0, approvesA: true, approvesB: false),
            Unit(propensity: 1, labelled: false, reward: 0, predictedReward: .nan, approvesA: true, approvesB: false),
        ])
    func refused(unit: Unit) {
        #expect(throws: CoreError.self) { try DoublyRobustEstimator.difference([unit]) }
    }

    @Test("an empty cohort is zero with no applicants")
    func empty() throws {
        let d = try DoublyRobustEstimator.difference([])
        #expect(d.total == 0 && d.standardError == 0 && d.applicants == 0)
    }
}

@Suite("Within-region AUC and blindness")
struct RejectedRegionQualityTests {
    @Test("blindness is 1 − Gini, its interval the AUC's mapped; small samples publish nothing")
    func mapping() throws {
        #expect(RejectedRegionQuality.blindness(0.5) == 1)
        #expect(RejectedRegionQuality.blindness(0.3) == 1)
        #expect(abs(RejectedRegionQuality.blindness(0.8) - 0.4) < 1e-12)
        #expect(RejectedRegionQuality.blindness(1) == 0)
        // 40 loans, 8 defaults, ranked perfectly except one pair.
        var risk = (0..<40).map { Double($0) / 40 }
        let defaulted = (0..<40).map { $0 >= 32 }
        risk.swapAt(31, 32)
        let q = try #require(RejectedRegionQuality(risk: risk, defaulted: defaulted))
        // One of 8 × 32 pairs misordered: AUC = 1 − 1/256.
        #expect(abs(q.rejectedAuc.estimate - (1 - 1.0 / 256)) < 1e-12)
        #expect(abs(q.blindness.estimate - 1.0 / 128) < 1e-12)
        #expect(q.blindness.low == RejectedRegionQuality.blindness(q.rejectedAuc.high))
        #expect(q.blindness.high == RejectedRegionQuality.blindness(q.rejectedAuc.low))
        #expect(q.samples == 40 && q.defaults == 8)
        #expect(RejectedRegionQuality(risk: Array(risk.prefix(29)), defaulted: Array(defaulted.prefix(29))) == nil)
        #expect(RejectedRegionQuality(risk: risk, defaulted: (0..<40).map { $0 >= 36 }) == nil)
    }
}
