/// k-fold cross-fitting: every row's prediction comes from a model that did not see that row.
///
/// V2 gives each explore loan a weight of about 1/epsilon, so a score of V2 measured on the loans it
/// was trained on flatters it; every evaluation on explore loans uses these out-of-fold predictions.
public enum CrossFitting {
    /// A stable fold for a key (FNV-1a of its UTF-8 bytes), so a row keeps its fold across runs.
    /// - Parameters:
    ///   - key: e.g. the application id.
    ///   - folds: the number of folds, ≥ 2.
    /// - Returns: a fold in 0..<folds.
    public static func fold(of key: String, folds: Int) -> Int {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in key.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return Int(hash % UInt64(max(folds, 1)))
    }

    /// Out-of-fold predicted probabilities.
    /// - Parameters:
    ///   - x: the features.
    ///   - y: the labels (0/1).
    ///   - weights: the training weights (e.g. 1/propensity for V2).
    ///   - folds: each row's fold, in 0..<k.
    ///   - regression: the estimator to fit on each fold's complement.
    ///   - start: the full-data fit, if already known; each fold starts its Newton iterations there.
    /// - Returns: one probability per row, each from the model trained without its fold.
    /// - Throws: ``CoreError`` from any fold's fit (e.g. a fold's complement with a single class),
    ///   or `invalidInput` when there are fewer than two folds.
    public static func outOfFoldProbabilities(
        _ x: DesignMatrix, _ y: [Double], weights: [Double], folds: [Int], regression: LogisticRegression,
        start: LogisticModel? = nil
    ) throws -> [Double] {
        guard folds.count == x.rowCount, Set(folds).count >= 2 else {
            throw CoreError(.invalidInput, "cross-fitting needs one fold per row and at least two folds")
        }
        var predictions = [Double](repeating: 0, count: x.rowCount)
        // Each fold's complement is most of the data: its optimum is close to the full fit's, so
        // starting there saves most of the Newton iterations (the optimum itself does not move).
        let full = start ?? (try? regression.fit(x, y, weights: weights).model)
        for fold in Set(folds).sorted() {
            let train = folds.indices.filter { folds[$0] != fold }
            let test = folds.indices.filter { folds[$0] == fold }
            let fit = try regression.fit(
                x.rows(train), train.map { y[$0] }, weights: train.map { weights[$0] }, start: full)
            for i in test { predictions[i] = fit.model.probability(x.row(i)) }
        }
        return predictions
    }
}
