/// Centring and scaling of each feature, used inside the fit for conditioning.
struct Standardization: Sendable {
    let mean: [Double]
    let scale: [Double]

    /// Weighted means and standard deviations of the columns. A constant column keeps scale 1, and the
    /// Hessian then reports the design as singular (it duplicates the intercept).
    init(_ x: DesignMatrix, weights: [Double]) {
        let p = x.columnCount
        var mean = [Double](repeating: 0, count: p)
        var total = 0.0
        for i in 0..<x.rowCount where weights[i] > 0 {
            total += weights[i]
            for (j, value) in x.row(i).enumerated() { mean[j] += weights[i] * value }
        }
        mean = mean.map { $0 / total }
        var variance = [Double](repeating: 0, count: p)
        for i in 0..<x.rowCount where weights[i] > 0 {
            for (j, value) in x.row(i).enumerated() {
                variance[j] += weights[i] * (value - mean[j]) * (value - mean[j])
            }
        }
        self.mean = mean
        self.scale = variance.map { v in
            let sd = (v / total).squareRoot()
            return sd > 0 ? sd : 1
        }
    }

    /// (1, z₁, …, z_p) for a row, written into `z`.
    @inline(__always) func standardizedRow(_ x: DesignMatrix, row: Int, into z: inout [Double]) {
        let p = x.columnCount
        let base = row * p
        x.values.withUnsafeBufferPointer { values in
            for j in 0..<p { z[j + 1] = (values[base + j] - mean[j]) / scale[j] }
        }
    }

    /// The matrix T with θ_raw = T θ_standardised: βⱼ = bⱼ / sⱼ and β₀ = b₀ − Σ bⱼ mⱼ / sⱼ.
    var toRaw: [Double] {
        let p = mean.count + 1
        var t = [Double](repeating: 0, count: p * p)
        t[0] = 1
        for j in 1..<p {
            t[j] = -mean[j - 1] / scale[j - 1]
            t[j * p + j] = 1 / scale[j - 1]
        }
        return t
    }
}
