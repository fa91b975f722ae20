import Foundation
import LazarusCore
import LazarusSimulation
import Testing

@Suite("Logistic regression")
struct LogisticRegressionTests {
    static let fixture = try! Fixture.load("logistic.json", as: Fixture.Logistic.self)

    @Test("coefficients and standard errors agree with statsmodels and scikit-learn", arguments: fixture.cases)
    func agreesWithReference(c: Fixture.Logistic.Case) throws {
        let x = try DesignMatrix(names: c.names, rows: c.x)
        let fit = try LogisticRegression(options: .init(l2: c.l2)).fit(x, c.y, weights: c.w)
        let ours = [fit.model.intercept] + fit.model.coefficients
        for (a, b) in zip(ours, c.coefficients) {
            #expect(close(a, b, relative: 1e-8), "\(c.name): coefficient \(a) vs \(b)")
        }
        for (a, b) in zip(ours, c.sklearnCoefficients) {
            #expect(close(a, b, relative: 1e-6), "\(c.name): scikit-learn \(b)")
        }
        if let naive = c.naiveSe, let robust = c.robustSe {
            for (a, b) in zip(fit.naiveStandardErrors, naive) {
                #expect(close(a, b, relative: 1e-6), "\(c.name) naive SE")
            }
            for (a, b) in zip(fit.robustStandardErrors, robust) {
                #expect(close(a, b, relative: 1e-6), "\(c.name) HC0 SE \(a) vs \(b)")
            }
        }
    }

    @Test("a hand-worked case: one binary feature gives the log odds ratio of a 2×2 table")
    func twoByTwo() throws {
        // x = 0: 3 defaults of 10; x = 1: 6 of 8. Intercept log(3/7); slope log(6/2) − log(3/7).
        let xs = [Double](repeating: 0, count: 10) + [Double](repeating: 1, count: 8)
        let ys = [1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0].map(Double.init)
        let fit = try LogisticRegression().fit(DesignMatrix(names: ["x"], values: xs), ys)
        #expect(close(fit.model.intercept, log(3.0 / 7), relative: 1e-10))
        #expect(close(fit.model.coefficients[0], log(3.0) - log(3.0 / 7), relative: 1e-10))
        // Naive SE of the slope: √(1/3 + 1/7 + 1/6 + 1/2), Woolf's formula.
        #expect(close(fit.naiveStandardErrors[1], (1.0 / 3 + 1.0 / 7 + 1.0 / 6 + 1.0 / 2).squareRoot(), relative: 1e-9))
    }

    static let base = fixture.cases[0]

    @Test("weights of 1 reproduce the unweighted fit")
    func unitWeights() throws {
        let x = try DesignMatrix(names: Self.base.names, rows: Self.base.x)
        let a = try LogisticRegression().fit(x, Self.base.y)
        let b = try LogisticRegression().fit(x, Self.base.y, weights: [Double](repeating: 1, count: Self.base.y.count))
        #expect(a == b)
    }

    @Test("duplicating a row equals giving it weight 2")
    func duplicateIsWeightTwo() throws {
        let rows = Self.base.x
        var weights = [Double](repeating: 1, count: rows.count)
        weights[7] = 2
        let weighted = try LogisticRegression().fit(
            DesignMatrix(names: Self.base.names, rows: rows), Self.base.y, weights: weights)
        let duplicated = try LogisticRegression().fit(
            DesignMatrix(names: Self.base.names, rows: rows + [rows[7]]), Self.base.y + [Self.base.y[7]])
        for (a, b) in zip(
            [weighted.model.intercept] + weighted.model.coefficients,
            [duplicated.model.intercept] + duplicated.model.coefficients)
        {
            #expect(close(a, b, relative: 1e-9))
        }
    }

    @Test("permuting rows changes nothing")
    func permutation() throws {
        var generator = SplitMix64(seed: 3)
        let order = Array(Self.base.x.indices.reversed().shuffled(using: &generator))
        let a = try LogisticRegression().fit(DesignMatrix(names: Self.base.names, rows: Self.base.x), Self.base.y)
        let b = try LogisticRegression().fit(
            DesignMatrix(names: Self.base.names, rows: order.map { Self.base.x[$0] }), order.map { Self.base.y[$0] })
        for (u, v) in zip([a.model.intercept] + a.model.coefficients, [b.model.intercept] + b.model.coefficients) {
            #expect(close(u, v, relative: 1e-9))
        }
        for (u, v) in zip(a.robustStandardErrors, b.robustStandardErrors) { #expect(close(u, v, relative: 1e-9)) }
    }

    @Test("scaling a feature scales its coefficient inversely", arguments: [1000.0, 0.001, -3.0])
    func scaling(factor: Double) throws {
        let a = try LogisticRegression().fit(DesignMatrix(names: Self.base.names, rows: Self.base.x), Self.base.y)
        let scaled = Self.base.x.map { row in [row[0] * factor] + row.dropFirst() }
        let b = try LogisticRegression().fit(DesignMatrix(names: Self.base.names, rows: scaled), Self.base.y)
        #expect(close(b.model.coefficients[0] * factor, a.model.coefficients[0], relative: 1e-9))
        #expect(close(b.model.intercept, a.model.intercept, relative: 1e-9))
        #expect(close(b.robustStandardErrors[1] * abs(factor), a.robustStandardErrors[1], relative: 1e-8))
    }

    @Test(
        "degenerate data is a typed error, never NaN",
        arguments: [
            ([[0.0], [1.0], [2.0], [3.0]], [0.0, 0.0, 1.0, 1.0], CoreErrorCode.perfectSeparation),
            ([[1.0], [2.0], [3.0]], [1.0, 1.0, 1.0], .singleClass),
            ([[1.0, 2.0], [2.0, 4.0], [3.0, 6.0], [4.0, 8.0]], [0.0, 1.0, 0.0, 1.0], .singularDesign),
            ([[5.0], [5.0], [5.0], [5.0]], [0.0, 1.0, 0.0, 1.0], .singularDesign),
            ([[1.0], [2.0]], [0.0, 2.0], .invalidInput),
        ])
    func degenerate(rows: [[Double]], labels: [Double], code: CoreErrorCode) throws {
        let names = (0..<rows[0].count).map { "x\($0)" }
        let error = #expect(throws: CoreError.self) {
            try LogisticRegression().fit(DesignMatrix(names: names, rows: rows), labels)
        }
        #expect(error?.code == code)
    }

    @Test("empty data, NaN features and negative weights are refused")
    func invalid() throws {
        #expect(throws: CoreError.self) { try DesignMatrix(names: ["x"], values: [1, .nan]) }
        let x = try DesignMatrix(names: ["x"], values: [1, 2, 3, 4])
        #expect(throws: CoreError.self) { try LogisticRegression().fit(x, [0, 1, 0, 1], weights: [1, -1, 1, 1]) }
        #expect(throws: CoreError.self) { try LogisticRegression().fit(x, [0, 1, 0], weights: nil) }
        let empty = #expect(throws: CoreError.self) {
            try LogisticRegression().fit(x, [0, 1, 0, 1], weights: [0, 0, 0, 0])
        }
        #expect(empty?.code == .emptyData)
    }
}

@Suite("Logistic regression warm start")
struct WarmStartTests {
    @Test("starting from another model changes the iterations, not the optimum")
    func warmStart() throws {
        let c = LogisticRegressionTests.fixture.cases[1]
        let x = try DesignMatrix(names: c.names, rows: c.x)
        let cold = try LogisticRegression().fit(x, c.y, weights: c.w)
        let nearby = LogisticModel(
            featureNames: c.names, intercept: cold.model.intercept * 1.1,
            coefficients: cold.model.coefficients.map { $0 * 0.9 })
        let warm = try LogisticRegression().fit(x, c.y, weights: c.w, start: nearby)
        for (a, b) in zip(
            [warm.model.intercept] + warm.model.coefficients, [cold.model.intercept] + cold.model.coefficients)
        {
            #expect(close(a, b, relative: 1e-9))
        }
        let exact = try LogisticRegression().fit(x, c.y, weights: c.w, start: cold.model)
        #expect(exact.iterations < cold.iterations)
    }
}
