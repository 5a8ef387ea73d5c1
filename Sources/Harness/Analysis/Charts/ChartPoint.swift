/// One cell as a chart needs it: the published number, the measured mean with its confidence
/// interval, or the word that stands in for a missing measurement.
struct ChartPoint {
    var published: Double?
    /// As printed ("40.10"), for the label on the bar.
    var publishedText: String
    var measurement: CellMeasurement
    /// Decimals for measured labels (one more than the paper printed).
    var decimals: Int

    init(_ measured: MeasuredTable, row: TableRow, column: String, level: Double) {
        let value = row.values[column]
        published = value?.number
        publishedText = value?.number != nil ? value!.printed : ""
        measurement = measured.measurement(CellReference(row: row.key, column: column), level: level)
        decimals = CellText.decimals(for: column, in: measured.table)
    }

    var mean: Double? { measurement.summary?.mean }
    var lower: Double? { measurement.interval?.lower }
    var upper: Double? { measurement.interval?.upper }
    var measuredText: String { mean.map { NumberText.fixed($0, decimals: decimals) } ?? "" }

    /// "not implemented", "not run", "failed", "reported only" when there is no measured number.
    var missingWord: String? {
        guard mean == nil else { return nil }
        switch measurement.state {
        case .notImplemented: return "not implemented"
        case .failed: return "failed"
        case .reportedOnly: return "reported only"
        case .notRun, .measured: return "not run"
        }
    }

    /// The highest point drawn, the bars' zero baseline included (for the headroom of the y range).
    var top: Double { max(0, published ?? 0, upper ?? mean ?? 0) }
    /// The lowest point drawn, the zero baseline included: below 0 for a negative value or
    /// whisker (a Pearson r can be negative).
    var bottom: Double { min(0, published ?? 0, lower ?? mean ?? 0) }
    /// Where the measured value's label sits: above the whisker, or above the bar when one seed
    /// gives no interval, and never below the zero line (a bar that goes down is labelled just
    /// above the axis, not inside itself).
    var measuredLabelY: Double? { (upper ?? mean).map { max(0, $0) } }
}

extension TableSpec {
    /// The columns charts are drawn for: the measured columns the paper's claims are about (the
    /// table's point), in printed order; else the first measured column that prints a number.
    var mainChartColumns: [TableColumn] {
        let claimed = Set(claims.flatMap { $0.predicates.flatMap { $0.predicate.cells.map(\.column) } })
        let main = columns.filter { $0.measured && claimed.contains($0.key) }
        if !main.isEmpty { return main }
        return columns.first { column in column.measured && rows.contains { $0.values[column.key]?.number != nil } }.map { [$0] } ?? []
    }

    /// "LD Table 1a": how chart titles name a table.
    var chartName: String { "\(paper.key.displayName) Table \(id.table)" }

    /// `ld-table1a`: the stem of the table's chart files.
    var chartStem: String { "\(id.paper.rawValue)-table\(GnuplotText.fileSafe(id.table))" }
}
