import LazarusCore
import LazarusSimulation
import Testing

@testable import LazarusMetrics

@Suite("Per-day applicant sample")
struct ApplicantSampleTests {
    @Test("the hash is the documented integer arithmetic, in range, with no overflow at large sequences")
    func hash() {
        #expect(ApplicantSampling.hash(0) == 12_345)
        #expect(ApplicantSampling.hash(1) == 1_103_527_590)
        #expect(ApplicantSampling.hash(2) == (2 * 1_103_515_245 + 12_345) % 2_147_483_648)
        #expect((0..<2_147_483_648).contains(ApplicantSampling.hash(Int64.max)))
    }

    @Test("the sample keeps each day's smallest hashes whatever the order, and only the two windows")
    func orderIndependent() {
        var members: [(ApplicantSample.Member, Int64)] = []
        for day in Int64(0)..<20 {
            for i in Int64(0)..<50 {
                let sequence = day * 50 + i
                members.append(
                    (.init(hash: ApplicantSampling.hash(sequence), score: 0.5, features: [Double(i)]), day))
            }
        }
        var generator = SplitMix64(seed: 3)
        var samples: [ApplicantSample] = []
        for _ in 0..<3 {
            var sample = ApplicantSample(perDay: 10)
            for (member, day) in members.shuffled(using: &generator) { sample.offer(member, day: day) }
            samples.append(sample)
        }
        for sample in samples {
            #expect(sample.reference() == samples[0].reference())
            #expect(sample.recent() == samples[0].recent())
        }
        #expect(samples[0].reference().count == 70)
        #expect(samples[0].recent().count == 70)
        let dayZero = members.filter { $0.1 == 0 }.map(\.0.hash).sorted().prefix(10)
        #expect(Set(samples[0].reference().map(\.hash)).isSuperset(of: dayZero))
        #expect(samples.allSatisfy { $0.days.count <= 16 })  // memory: the two windows and a little slack
    }
}
