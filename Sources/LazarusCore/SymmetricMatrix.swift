/// A small dense symmetric matrix (the normal equations of a regression), with Cholesky solves.
///
/// Sizes here are the number of coefficients (tens at most), so plain loops are the right tool.
public struct SymmetricMatrix: Sendable, Equatable {
    /// Rows (and columns).
    public let size: Int
    /// Row-major values; both triangles are kept.
    public private(set) var values: [Double]

    /// A zero matrix.
    /// - Parameter size: rows and columns.
    public init(size: Int) {
        self.size = size
        self.values = [Double](repeating: 0, count: size * size)
    }

    /// A matrix from row-major values, which must describe a symmetric matrix.
    public init(size: Int, values: [Double]) {
        precondition(values.count == size * size, "a \(size)×\(size) matrix needs \(size * size) values")
        self.size = size
        self.values = values
    }

    public subscript(row: Int, column: Int) -> Double {
        get { values[row * size + column] }
        set { values[row * size + column] = newValue }
    }

    /// Mirrors the upper triangle into the lower one (accumulators fill the upper triangle only).
    public mutating func symmetrizeFromUpper() {
        for i in 0..<size {
            for j in 0..<i { values[i * size + j] = values[j * size + i] }
        }
    }

    /// The lower-triangular Cholesky factor L with L Lᵀ = self.
    /// - Returns: L, row-major.
    /// - Throws: ``CoreError`` with code `singularDesign` when the matrix is not numerically positive definite.
    public func cholesky() throws -> [Double] {
        var lower = [Double](repeating: 0, count: size * size)
        let scale = (0..<size).map { abs(self[$0, $0]) }.max() ?? 0
        for j in 0..<size {
            var diagonal = self[j, j]
            for k in 0..<j { diagonal -= lower[j * size + k] * lower[j * size + k] }
            // Relative tolerance: a pivot this small means the columns are (numerically) dependent.
            guard diagonal > 1e-13 * max(scale, 1e-300), diagonal.isFinite else {
                throw CoreError(
                    .singularDesign, "the features are collinear or constant; the coefficients are not identified")
            }
            let root = diagonal.squareRoot()
            lower[j * size + j] = root
            for i in (j + 1)..<size {
                var sum = self[i, j]
                for k in 0..<j { sum -= lower[i * size + k] * lower[j * size + k] }
                lower[i * size + j] = sum / root
            }
        }
        return lower
    }

    /// Solves self · x = b.
    /// - Throws: ``CoreError`` with code `singularDesign`.
    public func solve(_ b: [Double]) throws -> [Double] {
        let lower = try cholesky()
        return Self.solve(lower: lower, size: size, b)
    }

    /// The inverse.
    /// - Throws: ``CoreError`` with code `singularDesign`.
    public func inverse() throws -> SymmetricMatrix {
        let lower = try cholesky()
        var result = SymmetricMatrix(size: size)
        for column in 0..<size {
            var unit = [Double](repeating: 0, count: size)
            unit[column] = 1
            let x = Self.solve(lower: lower, size: size, unit)
            for row in 0..<size { result[row, column] = x[row] }
        }
        // Average the two triangles: the solves leave them equal only up to rounding.
        for i in 0..<size {
            for j in 0..<i {
                let mean = (result[i, j] + result[j, i]) / 2
                result[i, j] = mean
                result[j, i] = mean
            }
        }
        return result
    }

    /// A · self · Aᵀ for a square `a` of the same size (a change of coordinates of a covariance).
    public func transformed(by a: [Double]) -> SymmetricMatrix {
        var temp = [Double](repeating: 0, count: size * size)
        for i in 0..<size {
            for j in 0..<size {
                var sum = 0.0
                for k in 0..<size { sum += a[i * size + k] * self[k, j] }
                temp[i * size + j] = sum
            }
        }
        var result = SymmetricMatrix(size: size)
        for i in 0..<size {
            for j in i..<size {
                var sum = 0.0
                for k in 0..<size { sum += temp[i * size + k] * a[j * size + k] }
                result[i, j] = sum
                result[j, i] = sum
            }
        }
        return result
    }

    private static func solve(lower: [Double], size: Int, _ b: [Double]) -> [Double] {
        var y = b
        for i in 0..<size {
            var sum = y[i]
            for k in 0..<i { sum -= lower[i * size + k] * y[k] }
            y[i] = sum / lower[i * size + i]
        }
        var x = y
        for i in stride(from: size - 1, through: 0, by: -1) {
            var sum = x[i]
            for k in (i + 1)..<size { sum -= lower[k * size + i] * x[k] }
            x[i] = sum / lower[i * size + i]
        }
        return x
    }
}
