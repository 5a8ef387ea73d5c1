/// A comparison's verdict together with the numbers that led to it.
public struct ComparisonEvidence: Sendable {
    public var comparison: CellComparison
    public var verdict: Verdict
    /// The paired differences, their mean and CI; nil when a cell had no samples to pair.
    public var difference: PairedDifference?
    /// Why: the CI against the margin ("95% CI [+0.60, +1.30] lies above the margin 0"), or what
    /// is missing or too few.
    public var reason: String

    /// Whether the verdict was decided by a confidence interval (rather than by a missing cell
    /// or too few seeds): then `numbers` already says everything `reason` says.
    public var decidedByInterval: Bool { verdict.isStatistical && difference?.interval != nil }

    /// "d = +0.95, 95% CI [+0.60, +1.30], n = 3": the numbers alone, for reports.
    public var numbers: String? {
        guard let difference, let mean = difference.mean else { return nil }
        var text = "d = \(CellComparison.signed(mean))"
        if let ci = difference.interval {
            text += ", \(ci.levelText) CI [\(CellComparison.signed(ci.lower)), \(CellComparison.signed(ci.upper))]"
        }
        return text + ", n = \(difference.count)"
    }
}

extension MeasuredTable {
    /// Runs one comparison on the measured samples at confidence `level`.
    public func evidence(for comparison: CellComparison, level: Double = 0.95) -> ComparisonEvidence {
        if let blocker = blocker(among: [comparison.first, comparison.second]) {
            return ComparisonEvidence(comparison: comparison, verdict: blocker.verdict, difference: nil, reason: blocker.reason)
        }
        guard case let .success(a) = usableSamples(comparison.first),
              case let .success(b) = usableSamples(comparison.second)
        else { preconditionFailure("blocker(among:) found no blocker, so both cells have samples") }
        let difference = PairedDifference(a, minus: b, sign: comparison.sign, level: level)
        func inconclusive(_ reason: String) -> ComparisonEvidence {
            ComparisonEvidence(comparison: comparison, verdict: .inconclusive, difference: difference, reason: reason)
        }
        switch difference.count {
        case 0:
            return inconclusive("no seed was measured in both cells (\(comparison.first): seeds \(a.keys.sorted()), "
                + "\(comparison.second): seeds \(b.keys.sorted()))")
        case 1:
            return inconclusive("only 1 paired seed (seed \(difference.seeds[0])): a confidence interval needs at least 2")
        default:
            let ci = difference.interval!
            let decision = comparison.decide(ci)
            let interval = "\(ci.levelText) CI [\(CellComparison.signed(ci.lower)), \(CellComparison.signed(ci.upper))]"
            return ComparisonEvidence(comparison: comparison, verdict: decision.verdict, difference: difference,
                                      reason: "\(interval) \(decision.phrase)")
        }
    }
}
