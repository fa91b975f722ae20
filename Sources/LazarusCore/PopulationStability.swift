import Foundation

/// The population stability index of a feature: how far its recent distribution has moved.
public enum PopulationStability {
    /// PSI = Σ (aᵢ − eᵢ) ln(aᵢ / eᵢ) over bins cut at the reference sample's quantiles.
    ///
    /// Bin edges are the reference's `bins`-quantiles (linear interpolation, as numpy's default); a value
    /// equal to an edge goes to the bin above it. Empty bins are floored at 0.0001 so the logarithm is
    /// finite. Rules of thumb: < 0.1 stable, 0.1–0.25 shifting, > 0.25 shifted.
    /// - Parameters:
    ///   - reference: the baseline sample (e.g. the first 7 days).
    ///   - current: the sample to compare (e.g. the last 7 days).
    ///   - bins: number of bins (default 10).
    /// - Returns: the index (≥ 0).
    /// - Throws: ``CoreError`` with code `emptyData` for an empty sample, `invalidInput` for a non-finite value.
    public static func index(reference: [Double], current: [Double], bins: Int = 10) throws -> Double {
        guard !reference.isEmpty, !current.isEmpty else {
            throw CoreError(.emptyData, "PSI needs a reference and a current sample")
        }
        guard reference.allSatisfy(\.isFinite), current.allSatisfy(\.isFinite), bins >= 2 else {
            throw CoreError(.invalidInput, "PSI needs finite values and at least two bins")
        }
        let sorted = reference.sorted()
        let edges = (1..<bins).map { quantile(sorted, Double($0) / Double(bins)) }
        func shares(_ values: [Double]) -> [Double] {
            var counts = [Double](repeating: 0, count: bins)
            for value in values {
                // Index of the first edge greater than the value: numpy's searchsorted(side="right").
                var low = 0
                var high = edges.count
                while low < high {
                    let mid = (low + high) / 2
                    if edges[mid] <= value { low = mid + 1 } else { high = mid }
                }
                counts[low] += 1
            }
            return counts.map { max($0 / Double(values.count), 1e-4) }
        }
        let expected = shares(reference)
        let actual = shares(current)
        return zip(actual, expected).reduce(0) { $0 + ($1.0 - $1.1) * log($1.0 / $1.1) }
    }

    /// The q-quantile of sorted values, interpolating linearly between order statistics.
    static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        let position = q * Double(sorted.count - 1)
        let lower = Int(position)
        let upper = min(lower + 1, sorted.count - 1)
        return sorted[lower] + (position - Double(lower)) * (sorted[upper] - sorted[lower])
    }
}
