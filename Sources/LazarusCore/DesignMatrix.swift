/// Rows of numeric features, row-major, with their names: the X of a regression (without intercept).
public struct DesignMatrix: Sendable, Equatable {
    /// Feature names, one per column.
    public let names: [String]
    /// Row-major values.
    public let values: [Double]
    /// Number of rows.
    public var rowCount: Int { names.isEmpty ? 0 : values.count / names.count }
    /// Number of columns.
    public var columnCount: Int { names.count }

    /// Creates a design matrix.
    /// - Parameters:
    ///   - names: the feature names.
    ///   - values: row-major values, `names.count` per row.
    /// - Throws: ``CoreError`` with code `invalidInput` for a ragged matrix or a non-finite value.
    public init(names: [String], values: [Double]) throws {
        guard !names.isEmpty, values.count % names.count == 0 else {
            throw CoreError(
                .invalidInput, "a design matrix needs \(names.count) values per row, got \(values.count) values")
        }
        if let bad = values.firstIndex(where: { !$0.isFinite }) {
            throw CoreError(
                .invalidInput,
                "feature '\(names[bad % names.count])' has a non-finite value in row \(bad / names.count)")
        }
        self.names = names
        self.values = values
    }

    /// Creates a design matrix from rows.
    /// - Throws: as ``init(names:values:)``.
    public init(names: [String], rows: [[Double]]) throws {
        guard rows.allSatisfy({ $0.count == names.count }) else {
            throw CoreError(.invalidInput, "every row needs \(names.count) features")
        }
        try self.init(names: names, values: rows.flatMap { $0 })
    }

    /// One row's features.
    public func row(_ index: Int) -> ArraySlice<Double> {
        values[(index * columnCount)..<((index + 1) * columnCount)]
    }

    /// The rows at the given indexes, in that order.
    public func rows(_ indexes: some Sequence<Int>) -> DesignMatrix {
        var picked: [Double] = []
        for index in indexes { picked.append(contentsOf: row(index)) }
        // Already validated: the same names and finite values.
        return DesignMatrix(unchecked: names, picked)
    }

    init(unchecked names: [String], _ values: [Double]) {
        self.names = names
        self.values = values
    }
}
