/// The words and numbers a report prints for a cell. Shared by the terminal and Markdown reports
/// (and the charts' labels) so that a cell reads the same everywhere. A cell without numbers
/// prints a word, never a number: "not implemented", "failed", "—" (not run), "reported only".
enum CellText {
    static let notRun = "—"
    static let partialMark = "†"

    /// The printed text of the published value ("40.10" stays "40.10"), or "" when not printed.
    static func published(_ table: TableSpec, row: TableRow, column: String) -> String {
        row.values[column]?.printed ?? ""
    }

    /// Decimals for measured means of a column: one more than the paper printed (measurements
    /// over seeds carry a bit more resolution than a rounded cell), between 1 and 3.
    static func decimals(for column: String, in table: TableSpec) -> Int {
        let printed = table.rows.compactMap { row -> Int? in
            guard let value = row.values[column], value.number != nil else { return nil }
            return value.printed.split(separator: ".").dropFirst().first?.count ?? 0
        }
        guard let most = printed.max() else { return 2 }
        return min(3, max(1, most + 1))
    }

    /// "41.23 ± 0.15 (3)": mean ± sample std (n seeds); "41.23 (1)" with one seed; a trailing
    /// "†" when seeds are still running.
    static func measured(_ m: CellMeasurement, decimals: Int) -> String {
        if let word = word(for: m.state) { return word }
        guard let summary = m.summary else { return notRun }
        var text = NumberText.fixed(summary.mean, decimals: decimals)
        if let sd = summary.standardDeviation { text += " ± " + NumberText.fixed(sd, decimals: decimals) }
        text += " (\(summary.count))"
        return text + partialSuffix(m)
    }

    /// "+0.95 ± 0.30": paired mean difference ± CI half-width; "+0.95 (n=1)" when no CI exists.
    /// `arrows` (given the column's direction) writes it the way a paper that prints "↑ 1.5"
    /// does: "↑ 0.81 ± 0.13" for an improvement, so both deltas of a cell read alike.
    static func measuredDelta(_ m: CellMeasurement, decimals: Int, arrows higherIsBetter: Bool? = nil) -> String {
        if let word = word(for: m.state) { return word }
        guard let summary = m.summary else { return "no paired seed" }
        var text = NumberText.signed(summary.mean, decimals: decimals)
        if let higherIsBetter {
            let improvement = higherIsBetter ? summary.mean : -summary.mean
            text = (improvement >= 0 ? "↑ " : "↓ ") + NumberText.fixed(abs(improvement), decimals: decimals)
        }
        if let ci = m.interval {
            text += " ± " + NumberText.fixed(ci.halfWidth, decimals: decimals)
        } else {
            text += " (n=\(summary.count))"
        }
        return text + partialSuffix(m)
    }

    /// The paper's delta: as printed when the table prints one ("+1.7", "↑ 1.5"), otherwise
    /// value − baseline computed exactly in decimal from the printed cells; "" when not computable.
    static func publishedDelta(_ table: TableSpec, row: TableRow, column: String) -> String {
        if let printed = row.printedDeltas[column] { return printed.printed }
        guard let baselineKey = row.baseline, let baseline = table.row(baselineKey),
              let value = row.values[column], value.number != nil,
              let reference = baseline.values[column], reference.number != nil,
              let a = PrintedDecimal(value.printed), let b = PrintedDecimal(reference.printed)
        else { return "" }
        return (a - b).signedText
    }

    private static func word(for state: CellMeasurement.State) -> String? {
        switch state {
        case .measured: return nil
        case .notImplemented: return "not implemented"
        case .failed: return "failed"
        case .notRun: return notRun
        case .reportedOnly: return "reported only"
        }
    }

    private static func partialSuffix(_ m: CellMeasurement) -> String {
        m.state == .measured(partial: true) ? partialMark : ""
    }
}
