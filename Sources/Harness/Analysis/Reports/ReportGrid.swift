/// The table in its own layout (rows and columns in printed order, rows under their printed
/// labels) with the texts of every cell: the model both the terminal and the Markdown report draw.
struct ReportGrid {
    struct Cell {
        var published: String
        var measured: String
        /// nil when the row has no baseline.
        var publishedDelta: String?
        var measuredDelta: String?
    }

    struct Row {
        var spec: TableRow
        var cells: [Cell]
    }

    var columns: [TableColumn]
    var rows: [Row]
    /// Whether any row has a baseline (and so the Δ sub-columns exist).
    var hasDeltas: Bool
    /// Whether some cell printed the partial mark.
    var hasPartialCells: Bool

    init(_ measured: MeasuredTable, level: Double) {
        let table = measured.table
        columns = table.columns
        hasDeltas = table.rows.contains { $0.baseline != nil }
        var partial = false
        rows = table.rows.map { row in
            Row(spec: row, cells: table.columns.map { column in
                let decimals = CellText.decimals(for: column.key, in: table)
                let cell = CellReference(row: row.key, column: column.key)
                let measurement = measured.measurement(cell, level: level)
                let delta = measured.measuredDelta(row: row, column: column.key, level: level)
                partial = partial || measurement.state == .measured(partial: true) || delta?.state == .measured(partial: true)
                return Cell(
                    published: CellText.published(table, row: row, column: column.key),
                    measured: CellText.measured(measurement, decimals: decimals),
                    publishedDelta: row.baseline == nil ? nil : CellText.publishedDelta(table, row: row, column: column.key),
                    measuredDelta: delta.map {
                        let arrows = row.printedDeltas[column.key].map { $0.direction != .signed } ?? false
                        return CellText.measuredDelta($0, decimals: decimals, arrows: arrows ? column.higherIsBetter : nil)
                    })
            })
        }
        hasPartialCells = partial
    }

    /// The legend under the table: what each number is.
    func legend(level: Double) -> [String] {
        var lines = ["paper = the published value; measured = mean ± sample std (n seeds); — = not run yet"]
        if hasDeltas {
            lines.append("Δ = difference to the row's baseline: Δ paper as printed (or computed from the printed cells); "
                + "Δ measured = paired mean over shared seeds ± \(ConfidenceInterval.levelText(level)) CI half-width")
        }
        if hasPartialCells { lines.append("\(CellText.partialMark) partial: some seeds are still planned or running") }
        return lines
    }
}
