import Testing

@testable import LazarusCore

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

    @Test("the model-based floor: Σ (π_A − π_B)² σ̂²/p over the supported disagreements, used when larger")
    func modelFloor() throws {
        let units = Self.units.map { unit -> Unit in
            var copy = unit
            copy.rewardVariance = 40_000
            return copy
        }
        let d = try DoublyRobustEstimator.difference(units)
        // Disagreeing and supported: 40,000/1 + 40,000/0.01 + 40,000/0.01 (the unsupported one is left out).
        #expect(abs(d.modelStandardError - 8_040_000.0.squareRoot()) < 1e-9)
        #expect(d.empiricalStandardError == (try DoublyRobustEstimator.difference(Self.units)).standardError)
        #expect(d.standardError == max(d.empiricalStandardError, d.modelStandardError))
        // A cohort where no random approval landed where the policies disagree: the spread of φ is nil, so the
        // empirical error is 0, yet nothing is known about those applicants; the floor keeps the interval open.
        let unexplored = (0..<100).map { _ in
            Unit(
                propensity: 0.01, labelled: false, reward: 0, predictedReward: 400, approvesA: true, approvesB: false,
                rewardVariance: 90_000)
        }
        let floor = try DoublyRobustEstimator.difference(unexplored)
        #expect(floor.empiricalStandardError == 0)
        #expect(abs(floor.standardError - 30_000) < 1e-6)
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
    @Test(
        "AUC with its weighted DeLong interval, O/E with its exact interval, recalibration: as the references",
        arguments: ["equal", "weighted", "ties"])
    func againstReferences(name: String) throws {
        let cases = try Fixture.load("region.json", as: [String: Fixture.Region].self)
        let c = try #require(cases[name])
        let q = try #require(RejectedRegionQuality(risk: c.risk, defaulted: c.defaulted, weights: c.weights))
        #expect(close(q.rejectedAuc.estimate, c.aucSklearn, relative: 1e-12))
        // Student's t at the Welch-Satterthwaite degrees of freedom (here over 50: the expansion is exact to 1e-6).
        let half = c.aucT * c.aucVariance.squareRoot()
        #expect(close(q.rejectedAuc.low, c.auc - half, relative: 1e-6))
        #expect(close(q.rejectedAuc.high, c.auc + half, relative: 1e-6))
        #expect(q.defaults == c.defaults)
        let oe = try #require(q.observedExpected)
        #expect(close(oe.estimate, c.observedExpected, relative: 1e-12))
        #expect(close(oe.low, c.observedExpected * c.poissonLow / Double(c.defaults), relative: 1e-8))
        #expect(close(oe.high, c.observedExpected * c.poissonHigh / Double(c.defaults), relative: 1e-8))
        let a = try #require(q.calibrationIntercept)
        let b = try #require(q.calibrationSlope)
        #expect(close(a.estimate, c.calibration[0], relative: 1e-7))
        #expect(close(b.estimate, c.calibration[1], relative: 1e-7))
        #expect(close(b.high - b.estimate, 1.959963984540054 * c.calibrationSe[1], relative: 1e-5))
    }

    @Test("the paired difference of two models' AUCs on the same loans, as DeLong's paired variance")
    func paired() throws {
        let cases = try Fixture.load("region.json", as: [String: Fixture.Region].self)
        for (name, c) in cases {
            let d = try #require(
                RejectedRegionQuality.pairedDifference(
                    riskA: c.risk, riskB: c.otherRisk, defaulted: c.defaulted, weights: c.weights))
            #expect(close(d.estimate, c.pairedDifference, relative: 1e-10), "\(name)")
            let half = (d.high - d.low) / 2
            let se = c.pairedVariance.squareRoot()
            // Student's t at well over 30 degrees of freedom here: between the normal quantile and 2.05.
            #expect(half >= 1.959963984540054 * se * (1 - 1e-9) && half <= 2.05 * se, "\(name)")
            let same = try #require(
                RejectedRegionQuality.pairedDifference(
                    riskA: c.risk, riskB: c.risk, defaulted: c.defaulted, weights: c.weights))
            #expect(same.estimate == 0 && same.low == 0 && same.high == 0)
        }
    }

    @Test("with equal weights the interval is DeLong's, and weights that are all equal change nothing")
    func equalWeights() throws {
        let cases = try Fixture.load("region.json", as: [String: Fixture.Region].self)
        let c = try #require(cases["equal"])
        let plain = try ModelEvaluation.delongAUC(scores: c.risk, labels: c.defaulted.map { $0 ? 1 : 0 })
        let q = try #require(RejectedRegionQuality(risk: c.risk, defaulted: c.defaulted))
        #expect(close(q.rejectedAuc.estimate, plain.value, relative: 1e-12))
        let t = RejectedRegionQuality.studentQuantile975(
            try #require(RejectedRegionQuality.weightedDeLong(risk: c.risk, defaulted: c.defaulted, weights: c.weights))
                .degreesOfFreedom)
        #expect(close(q.rejectedAuc.high - q.rejectedAuc.estimate, t * plain.standardError, relative: 1e-9))
        let weighted = try #require(RejectedRegionQuality(risk: c.risk, defaulted: c.defaulted, weights: c.weights))
        #expect(close(weighted.rejectedAuc.low, q.rejectedAuc.low, relative: 1e-12))
        #expect(close(weighted.observedExpected!.high, q.observedExpected!.high, relative: 1e-12))
    }

    @Test("Student's t quantile: the normal one at infinity, scipy's within the stated accuracy")
    func student() {
        #expect(RejectedRegionQuality.studentQuantile975(.infinity) == 1.959963984540054)
        #expect(abs(RejectedRegionQuality.studentQuantile975(4) / 2.7764451051977934 - 1) < 0.003)
        #expect(abs(RejectedRegionQuality.studentQuantile975(10) / 2.228138851986274 - 1) < 1e-4)
        #expect(abs(RejectedRegionQuality.studentQuantile975(30) / 2.0422724563012378 - 1) < 1e-5)
        #expect(RejectedRegionQuality.studentQuantile975(1) == RejectedRegionQuality.studentQuantile975(2))
    }

    @Test("the exact Poisson interval, worked by hand: 0 events, 5 and 10")
    func poisson() {
        let (l0, h0) = RejectedRegionQuality.poissonInterval(0)
        #expect(l0 == 0 && abs(h0 - 3.688879454) < 1e-6)
        let (l5, h5) = RejectedRegionQuality.poissonInterval(5)
        #expect(abs(l5 - 1.623486) < 1e-5 && abs(h5 - 11.668332) < 1e-5)
        let (l10, h10) = RejectedRegionQuality.poissonInterval(10)
        #expect(abs(l10 - 4.795389) < 1e-5 && abs(h10 - 18.390356) < 1e-5)
    }

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
