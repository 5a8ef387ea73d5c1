/// A predicate's verdict: the combination (`all`) of its comparisons' verdicts.
public struct PredicateVerdict: Sendable {
    public var predicate: LocatedPredicate
    public var verdict: Verdict
    public var comparisons: [ComparisonEvidence]
    public var reason: String
}

/// A claim's verdict with everything that led to it.
public struct ClaimVerdict: Sendable {
    public var claim: Claim
    public var verdict: Verdict
    /// One sentence: the decisive rule and the tally of the predicates.
    public var reason: String
    public var predicates: [PredicateVerdict]
    /// Whether the claim holds on the paper's own printed numbers; a claim that does not is
    /// flagged in reports, whatever was measured (the table file or the paper needs a look).
    public var holdsOnPublishedValues: Bool
    /// The confidence level of every interval in the evidence.
    public var level: Double
}

extension MeasuredTable {
    /// Every claim of the table, checked on the measured samples with `level` confidence
    /// intervals. At smoke scale the evidence is still computed (it shows the pipeline works) but
    /// every verdict is "smoke: no verdict".
    public func claimVerdicts(level: Double = 0.95) -> [ClaimVerdict] {
        let failingOnPublished = Set(table.claimsFailingOnPublishedValues().map(\.claim))
        return table.claims.map { claim in
            var predicates = claim.predicates.map { predicateVerdict($0, level: level) }
            var verdict = Verdict.combine(predicates.map(\.verdict), claim.quantifier)
            var reason = Self.reason(for: verdict, claim: claim, predicates: predicates)
            if isSmoke {
                for p in predicates.indices {
                    predicates[p].verdict = .smokeNoVerdict
                    for c in predicates[p].comparisons.indices { predicates[p].comparisons[c].verdict = .smokeNoVerdict }
                }
                verdict = .smokeNoVerdict
                reason = "smoke scale proves the pipeline runs; it never yields a verdict"
            }
            return ClaimVerdict(claim: claim, verdict: verdict, reason: reason, predicates: predicates,
                                holdsOnPublishedValues: !failingOnPublished.contains(claim.key), level: level)
        }
    }

    /// Smoke results never produce verdicts (design: "Scale profiles").
    public var isSmoke: Bool { scale.lowercased() == "smoke" }

    func predicateVerdict(_ located: LocatedPredicate, level: Double) -> PredicateVerdict {
        let evidence = located.predicate.comparisons(in: table).map { self.evidence(for: $0, level: level) }
        let verdict = Verdict.combine(evidence.map(\.verdict), .all)
        let reason: String
        if evidence.isEmpty {
            reason = "nothing to compare (the only cell listed is the predicate's own)"
        } else if evidence.count == 1 {
            reason = evidence[0].reason
        } else if let decisive = evidence.first(where: { $0.verdict == verdict && verdict != .reproduced && verdict != .inconclusive }) {
            reason = "\(decisive.comparison): \(decisive.reason)"
        } else {
            reason = "\(evidence.count) comparisons: \(Verdict.tally(evidence.map(\.verdict)))"
        }
        return PredicateVerdict(predicate: located, verdict: verdict, comparisons: evidence, reason: reason)
    }

    static func reason(for verdict: Verdict, claim: Claim, predicates: [PredicateVerdict]) -> String {
        let tally = "\(predicates.count) predicate\(predicates.count == 1 ? "" : "s"): \(Verdict.tally(predicates.map(\.verdict)))"
        let decisive = predicates.first { $0.verdict == verdict }
        switch verdict {
        case .notImplemented, .failed, .notRun:
            return "\(decisive?.reason ?? verdict.rawValue); \(tally)"
        case .notReproduced where claim.quantifier == .all:
            return "\(decisive.map { "\($0.predicate.predicate.yamlText) is not reproduced" } ?? "not reproduced"); \(tally)"
        case .reproduced where claim.quantifier == .any:
            return "\(decisive.map { "\($0.predicate.predicate.yamlText) is reproduced" } ?? "reproduced"); \(tally)"
        default:
            return tally
        }
    }
}
