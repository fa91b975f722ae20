import Foundation

/// A small, fast, seedable random number generator (Steele, Lea & Flood's SplitMix64).
///
/// Each applicant gets a generator of its own, seeded from the run's seed and its index, so the
/// population does not change when a policy setting changes how many draws the policy makes.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// Creates a generator.
    /// - Parameter seed: any 64-bit value.
    public init(seed: UInt64) {
        state = seed
    }

    /// A generator for one item of a stream, independent of its neighbours.
    /// - Parameters:
    ///   - seed: the run's seed.
    ///   - index: the item's index.
    public init(seed: UInt64, index: UInt64) {
        var mixer = SplitMix64(seed: seed ^ 0x6A09_E667_F3BC_C909)
        state = mixer.next() ^ (index &* 0x9E37_79B9_7F4A_7C15)
        _ = next()
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform number in [0, 1) with 53 random bits.
    public mutating func uniform() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// A standard normal number (Box–Muller; the second value is discarded to keep draws per call fixed).
    public mutating func normal() -> Double {
        let u1 = 1 - uniform()  // in (0, 1], so the logarithm is finite
        let u2 = uniform()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
}
