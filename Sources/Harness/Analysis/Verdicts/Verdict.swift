/// The outcome of checking one claim (or one predicate, or one comparison) on measured numbers.
/// The raw values are the words every report prints, and what the store may persist.
public enum Verdict: String, CaseIterable, Sendable, CustomStringConvertible {
    /// The confidence interval lies on the claim's side of the decision.
    case reproduced = "reproduced"
    /// The confidence interval lies on the other side: the measurement contradicts the claim.
    case notReproduced = "not reproduced"
    /// The interval straddles the decision, or fewer than two seeds make it undefined.
    case inconclusive = "inconclusive"
    /// A cell involved needs a method, detector or metric the suite does not have.
    case notImplemented = "not implemented"
    /// A run behind a cell failed or diverged. Kept apart from `notRun` because the remedy differs
    /// (fix the run, not start it).
    case failed = "failed"
    /// A cell involved has no measurement yet.
    case notRun = "not run"
    /// Smoke scale proves the pipeline only and never yields a verdict.
    case smokeNoVerdict = "smoke: no verdict"

    public var description: String { rawValue }

    /// Whether the verdict came from statistics (rather than from missing or unusable cells).
    public var isStatistical: Bool {
        self == .reproduced || self == .notReproduced || self == .inconclusive
    }

    /// Combines the verdicts of parts (comparisons of a predicate, predicates of a claim).
    ///
    /// A part that could not be decided for lack of a cell decides the whole, in the order
    /// smoke, not implemented, failed, not run: a claim over a cell that cannot exist is "not
    /// implemented" even if its other parts were measured. Otherwise, for `all`: any part not
    /// reproduced → not reproduced; every part reproduced → reproduced; else inconclusive. For
    /// `any`, the dual: any part reproduced → reproduced; every part not reproduced → not
    /// reproduced; else inconclusive. No parts at all is inconclusive (nothing was tested).
    public static func combine(_ parts: [Verdict], _ quantifier: Claim.Quantifier) -> Verdict {
        guard !parts.isEmpty else { return .inconclusive }
        for blocking in [Verdict.smokeNoVerdict, .notImplemented, .failed, .notRun] where parts.contains(blocking) {
            return blocking
        }
        switch quantifier {
        case .all:
            if parts.contains(.notReproduced) { return .notReproduced }
            return parts.allSatisfy { $0 == .reproduced } ? .reproduced : .inconclusive
        case .any:
            if parts.contains(.reproduced) { return .reproduced }
            return parts.allSatisfy { $0 == .notReproduced } ? .notReproduced : .inconclusive
        }
    }

    /// "3 reproduced, 1 inconclusive": counts in the order of `allCases`, for reasons and indexes.
    public static func tally(_ verdicts: [Verdict]) -> String {
        allCases.compactMap { verdict -> String? in
            let count = verdicts.filter { $0 == verdict }.count
            return count == 0 ? nil : "\(count) \(verdict.rawValue)"
        }.joined(separator: ", ")
    }
}
