/// One printed difference that does not agree with the table's own cells: an audit of the paper,
/// not of our code. Located at the delta's line in the table file.
public struct PrintedDeltaFinding: Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// value − baseline, rounded to the delta's printed precision, differs from the delta.
        /// `withinRounding` is true when the disagreement could come from the cells themselves
        /// being rounded (the paper computed the gain from unrounded numbers); false means the
        /// printed delta is impossible for any unrounded values behind the printed cells.
        case mismatch(computed: String, withinRounding: Bool)
        /// The delta cannot be checked: a cell is missing, printed as text, or not a plain decimal.
        case uncheckable(reason: String)
    }

    public var table: TableID
    public var file: String
    public var line: Int
    public var row: String
    public var baseline: String
    public var column: String
    public var printed: String
    public var kind: Kind

    public var description: String {
        let location = "\(file):\(line): \(table) row '\(row)' column '\(column)'"
        switch kind {
        case let .mismatch(computed, withinRounding):
            let verdict = withinRounding ? "explainable by rounding of the printed cells" : "not explainable by rounding"
            return "\(location): printed \(printed) but \(row) − \(baseline) = \(computed) (\(verdict))"
        case let .uncheckable(reason):
            return "\(location): printed \(printed) cannot be checked: \(reason)"
        }
    }
}

extension TableSpec {
    /// Compares every `printed_deltas` entry with value − baseline value, exactly in decimal and
    /// rounded (half away from zero) to the delta's printed precision. Returns the disagreements.
    public func printedDeltaAudit() -> [PrintedDeltaFinding] {
        var findings: [PrintedDeltaFinding] = []
        for row in rows {
            guard let baselineKey = row.baseline, let baseline = self.row(baselineKey) else { continue }
            for column in columns {
                guard let delta = row.printedDeltas[column.key] else { continue }
                func finding(_ kind: PrintedDeltaFinding.Kind) -> PrintedDeltaFinding {
                    PrintedDeltaFinding(table: id, file: file, line: row.deltaLines[column.key] ?? row.line, row: row.key,
                                        baseline: baselineKey, column: column.key, printed: delta.printed, kind: kind)
                }
                guard let value = row.values[column.key], let reference = baseline.values[column.key] else {
                    findings.append(finding(.uncheckable(reason: "the row or its baseline '\(baselineKey)' prints no value")))
                    continue
                }
                guard case .number = value, case .number = reference,
                      let a = PrintedDecimal(value.printed), let b = PrintedDecimal(reference.printed)
                else {
                    findings.append(finding(.uncheckable(reason: "'\(value.printed)' − '\(reference.printed)' is not a difference of plain decimals")))
                    continue
                }
                let expected = delta.signedAmount(higherIsBetter: column.higherIsBetter)
                let exact = a - b
                let rounded = exact.rescaled(to: expected.scale)
                guard rounded.digits != expected.digits else { continue }
                findings.append(finding(.mismatch(computed: exact.signedText,
                                                  withinRounding: Self.roundingExplains(expected, a, b))))
            }
        }
        return findings
    }

    /// Whether unrounded cells behind the printed `a` and `b` (each within half a unit of its last
    /// digit) could give a difference that rounds to `expected`. Interval arithmetic in units of
    /// the finest scale involved, doubled so that every half unit is an integer.
    static func roundingExplains(_ expected: PrintedDecimal, _ a: PrintedDecimal, _ b: PrintedDecimal) -> Bool {
        let scale = max(expected.scale, a.scale, b.scale)
        func doubled(_ x: PrintedDecimal) -> Int { 2 * x.rescaled(to: scale).digits }
        func halfUnit(_ x: PrintedDecimal) -> Int { (0..<(scale - x.scale)).reduce(1) { result, _ in result * 10 } }
        let difference = doubled(a) - doubled(b)
        let slack = halfUnit(a) + halfUnit(b)
        let target = doubled(expected)
        // The true difference lies in [difference − slack, difference + slack]; the printed delta
        // stands for [target − half, target + half]. Consistent if the intervals meet.
        return abs(difference - target) <= slack + halfUnit(expected)
    }
}
