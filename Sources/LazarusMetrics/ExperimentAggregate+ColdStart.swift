import LazarusCore

extension ExperimentAggregate {
    /// Adds a cold start's snapshot: the plain groups as counts, every other row one by one.
    ///
    /// The database's groups hold only valid exploit and compliance rows (never explore loans, whose
    /// outcomes feed losses and blindness), so adding a group is adding its rows one at a time.
    /// - Parameter totals: what ``ColdStartSnapshot`` the store read.
    public mutating func apply(_ totals: ColdStartSnapshot) {
        if let days = totals.dayRange {
            sample.observe(day: days.lowerBound)
            sample.observe(day: days.upperBound)
        }
        for group in totals.decisionGroups {
            guard let variant = Variant(rawValue: group.variant), variant != .explore else { continue }
            let count = Double(group.count)
            let decision = group.approved ? "approve" : "reject"
            decisionCounts["\(group.variant)|\(decision)|\(group.reason)", default: 0] += count
            lastDecision = max(lastDecision ?? group.last, group.last)
            firstDecision = min(firstDecision ?? group.first, group.first)
            if variant != .compliance { eligible += count }
            if group.approved { approvedCount[variant, default: 0] += count }
        }
        for applicant in totals.sample {
            sample.offer(
                .init(hash: applicant.hash, score: applicant.score, features: applicant.features), day: applicant.day)
        }
        totals.otherDecisions.forEach { ingest($0.row, sequence: $0.sequence) }
        for group in totals.outcomeGroups {
            guard let variant = Variant(rawValue: group.variant), variant != .explore else { continue }
            outcomeCounts["\(group.variant)|\(group.defaulted ? "defaulted" : "repaid")", default: 0] +=
                Double(group.count)
            outcomesMatched[variant, default: 0] += Double(group.count)
            weightSum += group.weightSum
            weightSquares += group.weightSquares
            weightMax = max(weightMax, group.weightMax)
        }
        totals.otherOutcomes.forEach { ingest($0.row, decision: $0.decision) }
    }
}
