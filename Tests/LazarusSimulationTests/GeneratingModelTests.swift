import Foundation
import LazarusCore
import Testing

@testable import LazarusSimulation

@Suite("Generating model")
struct GeneratingModelTests {
    static let population = (0..<20_000).map { GeneratingModel.applicant(seed: 1, index: UInt64($0)) }

    @Test("SplitMix64 matches the reference output for seed 0")
    func splitMixReference() {
        var rng = SplitMix64(seed: 0)
        // Reference values of Vigna's splitmix64.c for seed 0.
        #expect(rng.next() == 0xE220_A839_7B1D_CDAF)
        #expect(rng.next() == 0x6E78_9E6A_A1B9_65F4)
    }

    @Test("normal draws have mean 0 and variance 1")
    func normalMoments() {
        var rng = SplitMix64(seed: 3)
        let draws = (0..<200_000).map { _ in rng.normal() }
        let mean = draws.reduce(0, +) / Double(draws.count)
        let variance = draws.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(draws.count - 1)
        #expect(abs(mean) < 0.01)
        #expect(abs(variance - 1) < 0.01)
    }

    @Test("features are plausible and correlated as documented")
    func features() {
        let people = Self.population
        #expect(people.allSatisfy { (300...850).contains($0.features.creditScore ?? 0) })
        #expect(people.allSatisfy { (16...80).contains($0.features.age ?? 0) })
        #expect(
            people.allSatisfy { ($0.features.creditHistoryMonths ?? 0) <= max(0, (($0.features.age ?? 0) - 18) * 12) })
        #expect(people.allSatisfy { (100...3000).contains($0.loanAmount) })
        let long = people.filter { ($0.features.creditHistoryMonths ?? 0) >= 120 }
        let short = people.filter { ($0.features.creditHistoryMonths ?? 0) < 24 }
        #expect(
            mean(long.map { Double($0.features.creditScore!) }) > mean(short.map { Double($0.features.creditScore!) })
                + 50)
        let minors = Double(people.filter { ($0.features.age ?? 0) < 18 }.count) / Double(people.count)
        #expect((0.01...0.06).contains(minors))
    }

    @Test("the production model rejects the thin-file, high-income segment, which is mostly safe")
    func blindSpot() {
        let segment = Self.population.filter(\.isThinFileHighEarner)
        let others = Self.population.filter { !$0.isThinFileHighEarner }
        let rejected = Double(segment.filter { $0.score <= 0.5 }.count) / Double(segment.count)
        #expect(rejected > 0.8)
        // The model thinks they repay less than half the time; in truth about nine in ten do.
        #expect(mean(segment.map(\.defaultProbability)) < 0.15)
        #expect(mean(segment.map(\.score)) < 0.5)
        #expect(mean(others.filter { $0.score > 0.5 }.map(\.defaultProbability)) < 0.12)
    }

    @Test("the hidden habit raises risk the production model cannot see")
    func hiddenRisk() {
        let gamblers = Self.population.filter(\.gambles)
        let others = Self.population.filter { !$0.gambles }
        #expect(mean(gamblers.map(\.defaultProbability)) > 3 * mean(others.map(\.defaultProbability)))
        #expect(abs(mean(gamblers.map(\.score)) - mean(others.map(\.score))) < 0.05)
    }

    @Test("the heap pops in order")
    func heap() {
        var heap = MinHeap<Int>()
        var rng = SplitMix64(seed: 9)
        let values = (0..<1000).map { _ in Int(rng.next() % 500) }
        values.forEach { heap.push($0) }
        var popped: [Int] = []
        while let value = heap.popMin() { popped.append(value) }
        #expect(popped == values.sorted())
    }

    private func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(max(values.count, 1)) }
}
