import Foundation
import LazarusCore
import Testing

@Suite("V0, V1, V2 trained, cross-fitted and compared")
struct ExplorationValueTests {
    static let names = ["x1", "x2"]

    /// A small logged cohort: production approves x1 > 0; explore approves 10 % of the rest; default risk
    /// rises with −x1 and x2.
    static let cohort: [ExplorationValue.Applicant] = {
        var state: UInt64 = 7
        func uniform() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53)
        }
        return (0..<4000).map { i in
            let x1 = uniform() * 4 - 2
            let x2 = uniform() * 4 - 2
            let production = x1 > 0
            let explore = !production && uniform() < 0.1
            let approved = production || explore
            let risk = 1 / (1 + exp(-(-1.5 - 1.0 * x1 + 0.8 * x2)))
            let defaulted = uniform() < risk
            return .init(
                id: "a-\(i)", features: [x1, x2], propensity: production ? 1 : 0.1, approved: approved,
                explore: explore, productionApproves: production, loanAmount: 1000,
                defaulted: approved ? defaulted : nil, loss: approved && defaulted ? 600 : 0)
        }
    }()

    static let evaluation = try! ExplorationValue.evaluate(cohort, featureNames: names, lifetimeValue: 100)

    @Test("V0 leaves out the random approvals of rejected applicants; V1 and V2 use every labelled loan")
    func trainingSets() {
        let labelled = Self.cohort.filter(\.labelled).count
        let incremental = Self.cohort.filter { $0.labelled && $0.incrementalExplore }.count
        #expect(incremental > 100)
        #expect(Self.evaluation.trainingLoans == [labelled - incremental, labelled, labelled])
        // V2 weighs each explore loan 1/0.1 = 10.
        #expect(abs(Self.evaluation.full[2].fit.weightSum - Double(labelled - incremental + 10 * incremental)) < 1e-9)
    }

    @Test("every fold's policy approves production's share of that fold (volume parity)")
    func volumeParity() {
        let e = Self.evaluation
        for k in 0..<ExplorationValue.folds {
            let members = Self.cohort.indices.filter { e.foldOf[$0] == k }
            let target = Int((e.approvalShare * Double(members.count)).rounded())
            for m in 0..<3 { #expect(members.filter { e.approves[m][$0] }.count == target) }
        }
    }

    @Test("an applicant is judged by the models of the other folds, trained without it")
    func crossFitted() throws {
        let e = Self.evaluation
        let i = try #require(Self.cohort.indices.first { Self.cohort[$0].labelled && Self.cohort[$0].explore })
        let k = e.foldOf[i]
        let train = Self.cohort.indices.filter { Self.cohort[$0].labelled && e.foldOf[$0] != k }
        let x = try DesignMatrix(names: Self.names, rows: train.map { Self.cohort[$0].features })
        let y = train.map { Self.cohort[$0].defaulted == true ? 1.0 : 0 }
        let v2 = try LogisticRegression().fit(x, y, weights: train.map { 1 / Self.cohort[$0].propensity })
        #expect(abs(e.predictedDefault[2][i] - v2.model.probability(Self.cohort[i].features)) < 1e-9)
        #expect(e.predictedDefault[2][i] != e.full[2].fit.model.probability(Self.cohort[i].features))
        #expect(e.approves[2][i] == (e.predictedDefault[2][i] <= e.folds[k].policies[2].cutoff))
    }

    @Test("rejecting everyone approves no one, and a policy equals itself")
    func candidates() throws {
        let e = Self.evaluation
        #expect(!e.decisions(.rejectAll).contains(true))
        #expect(e.decisions(.production) == Self.cohort.map(\.productionApproves))
        let same = try e.difference(.model(.v2), .model(.v2), cohort: Self.cohort, lifetimeValue: 100)
        #expect(same.total == 0 && same.standardError == 0)
    }

    @Test("V0's fold fits leave out the incremental explore loans; m̂'s loss rate comes from the other folds")
    func foldTraining() throws {
        let e = Self.evaluation
        for k in 0..<ExplorationValue.folds {
            let others = Self.cohort.indices.filter { Self.cohort[$0].labelled && e.foldOf[$0] != k }
            #expect(e.folds[k].policies[0].fit.rows == others.filter { !Self.cohort[$0].incrementalExplore }.count)
            #expect(e.folds[k].policies[1].fit.rows == others.count)
            let defaulted = others.filter { Self.cohort[$0].defaulted == true }
            let rate =
                defaulted.reduce(0) { $0 + Self.cohort[$1].loss }
                / defaulted.reduce(0) { $0 + Self.cohort[$1].loanAmount }
            #expect(abs(e.folds[k].lossRate - rate) < 1e-12)
        }
    }

    @Test("a matured loan with no outcome is left out of the value and counted where the policies disagree")
    func missingOutcomes() throws {
        var cohort = Self.cohort
        let e = Self.evaluation
        let disagreeing = try #require(
            cohort.indices.first { cohort[$0].labelled && e.approves[2][$0] != e.approves[0][$0] })
        cohort[disagreeing].defaulted = nil
        let d = try e.difference(.model(.v2), .model(.v0), cohort: cohort, lifetimeValue: 100)
        let all = try e.difference(.model(.v2), .model(.v0), cohort: Self.cohort, lifetimeValue: 100)
        #expect(d.missingWhereDisagree == 1 && all.missingWhereDisagree == 0)
        #expect(d.applicants == all.applicants - 1)
    }

    @Test("with nothing labelled there is nothing to train: a typed error")
    func nothingLabelled() {
        let unlabelled = Self.cohort.map { applicant -> ExplorationValue.Applicant in
            var copy = applicant
            copy.defaulted = nil
            return copy
        }
        #expect(throws: CoreError.self) {
            try ExplorationValue.evaluate(unlabelled, featureNames: Self.names, lifetimeValue: 100)
        }
    }
}
