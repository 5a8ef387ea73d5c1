/// One statistical test between two cells, the unit every predicate decomposes into: the paired
/// difference d = sign · (first − second) over seeds, tested against a margin.
public struct CellComparison: Hashable, Sendable, CustomStringConvertible {
    public enum Test: Hashable, Sendable {
        /// d > margin: `better`, and each step of `ordered`.
        case exceeds(margin: Double)
        /// d ≥ −margin: `not_worse`, and each comparison of `best`.
        case notBelow(margin: Double)
        /// |d| ≤ margin: `within`.
        case within(margin: Double)
    }

    public var first: CellReference
    public var second: CellReference
    /// −1 when the column improves downwards (miss rates, hours), so that d is always a gain.
    public var sign: Double
    public var test: Test

    public init(first: CellReference, second: CellReference, sign: Double = 1, test: Test) {
        self.first = first
        self.second = second
        self.sign = sign
        self.test = test
    }

    /// "r18-ld.AP − r18.AP > 0.3"; a lower-is-better comparison is written with the cells swapped
    /// ("r18.mMR − r18-ld.mMR > 0"), which is the same gain without a minus sign in front.
    public var description: String {
        let d = sign < 0 ? "\(second) − \(first)" : "\(first) − \(second)"
        switch test {
        case let .exceeds(margin): return "\(d) > \(Self.number(margin))"
        case let .notBelow(margin): return "\(d) ≥ \(Self.number(-margin))"
        case let .within(margin): return "|\(d)| ≤ \(Self.number(margin))"
        }
    }

    /// Classifies a confidence interval of d; `phrase` says where the interval lies relative to
    /// the decision ("above the margin 0"). Boundaries follow the published-value semantics
    /// (`better` is strict, `not_worse` inclusive) so that a CI of zero width at the margin gives
    /// the same answer as the paper's own numbers would.
    public func decide(_ ci: ConfidenceInterval) -> (verdict: Verdict, phrase: String) {
        switch test {
        case let .exceeds(m):
            if ci.lower > m { return (.reproduced, "lies above the margin \(Self.number(m))") }
            if ci.upper <= m { return (.notReproduced, "lies at or below the margin \(Self.number(m))") }
            return (.inconclusive, "straddles the margin \(Self.number(m))")
        case let .notBelow(m):
            if ci.lower >= -m { return (.reproduced, "lies at or above \(Self.number(-m))") }
            if ci.upper < -m { return (.notReproduced, "lies below \(Self.number(-m))") }
            return (.inconclusive, "straddles \(Self.number(-m))")
        case let .within(m):
            let band = "[\(Self.number(-m)), \(Self.number(m))]"
            if ci.lower >= -m, ci.upper <= m { return (.reproduced, "lies inside \(band)") }
            if ci.lower > m || ci.upper < -m { return (.notReproduced, "lies entirely outside \(band)") }
            return (.inconclusive, "crosses the edge of \(band)")
        }
    }

    /// Margins as written in the table file: `0`, `0.1`, `-0.3`.
    static func number(_ value: Double) -> String {
        value == 0 ? "0" : SettingValue.format(value)
    }

    /// Differences with their sign and two decimals: "+0.60", "-0.12".
    static func signed(_ value: Double) -> String { NumberText.signed(value, decimals: 2) }
}
