/// A teacher × student grid: columns that change only the teacher (UniKD Tables 2 and 5), rows
/// that are students distilled against a baseline row. Detected from the table, not listed.
struct TeacherStudentGrid {
    var columns: [TableColumn]
    /// Rows with a baseline (the distilled students), in printed order.
    var rows: [TableRow]

    init?(_ table: TableSpec) {
        columns = table.columns.filter { column in
            guard column.measured, let override = column.settingOverride?.map else { return false }
            return Set(override.keys) == ["teacher"]
        }
        rows = table.rows.filter { $0.baseline != nil && $0.role == nil }
        guard columns.count >= 2, rows.count >= 2 else { return nil }
    }
}

/// Two heatmap panels over the grid: the published gain (value − baseline, as the paper prints
/// it) beside the measured gain (paired mean over seeds). Each panel has its own colour scale,
/// symmetric about 0 so that white means "no gain" in both: small-scale gains are smaller than
/// the paper's, and a shared scale would wash the measured panel out. Labels carry the numbers.
struct HeatmapChart {
    var measured: MeasuredTable
    var grid: TeacherStudentGrid
    var level: Double

    var name: String { "\(measured.table.chartStem)-heatmap-gain" }

    func script() -> ChartScript {
        let table = measured.table
        let dataFile = name + ".dat"
        var data = ["# \(table.id): gain over the row's baseline; one line per cell, a blank line between rows",
                    "# column row published_gain measured_gain (labels in the -labels.dat file)"]
        var publishedMax = 0.0, measuredMax = 0.0
        var cells: [(x: Int, y: Int, published: Double?, measured: Double?, publishedText: String, measuredText: String)] = []
        for (y, row) in grid.rows.enumerated() {
            for (x, column) in grid.columns.enumerated() {
                let publishedText = CellText.publishedDelta(table, row: row, column: column.key)
                let publishedGain = PrintedDelta(publishedText).map { delta in
                    delta.signedAmount(higherIsBetter: column.higherIsBetter).value
                }
                let delta = measured.measuredDelta(row: row, column: column.key, level: level)
                let measuredGain = delta?.summary?.mean
                let decimals = CellText.decimals(for: column.key, in: table)
                let measuredText: String
                if let gain = measuredGain {
                    measuredText = NumberText.signed(gain, decimals: decimals)
                        + (delta?.interval.map { " ±" + NumberText.fixed($0.halfWidth, decimals: decimals) } ?? "")
                } else {
                    measuredText = Self.shortWord(delta?.state)
                }
                publishedMax = max(publishedMax, abs(publishedGain ?? 0))
                measuredMax = max(measuredMax, abs(measuredGain ?? 0))
                data.append([String(x), String(y), GnuplotText.dataNumber(publishedGain), GnuplotText.dataNumber(measuredGain)]
                    .joined(separator: "  "))
                cells.append((x, y, publishedGain, measuredGain, publishedText.isEmpty ? "?" : publishedText, measuredText))
            }
            data.append("")
        }
        // Labels live in their own file: the image plot treats NaN as missing, which would drop
        // the "n/i" label of a cell together with its colour. Dark cells get white text, cells
        // without a number grey text.
        let publishedRange = publishedMax > 0 ? publishedMax : 1, measuredRange = measuredMax > 0 ? measuredMax : 1
        func colour(_ value: Double?, range: Double) -> String {
            // Decimal RGB integers: gnuplot reads data columns as decimal numbers.
            guard let value else { return String(0x777777) }
            return abs(value) > range * 0.6 ? String(0xffffff) : "0"
        }
        let labelFile = name + "-labels.dat"
        var labels = ["# column row published_text measured_text published_colour measured_colour"]
        for cell in cells {
            labels.append([String(cell.x), String(cell.y), GnuplotText.dataString(cell.publishedText), GnuplotText.dataString(cell.measuredText),
                           colour(cell.published, range: publishedRange), colour(cell.measured, range: measuredRange)].joined(separator: "  "))
        }

        let xTics = GnuplotText.tics(grid.columns.enumerated().map { ($0.element.key, Double($0.offset)) })
        let yTics = GnuplotText.tics(grid.rows.enumerated().map { (GnuplotText.ticLabel($0.element.label, width: 30), Double($0.offset)) })
        let file = GnuplotText.quoted(dataFile)
        let seeds = measured.seeds.count
        var body = [
            "set multiplot layout 1,2 title \(GnuplotText.quoted("\(table.chartName) — gain over the student baseline (scale \(measured.scale), \(seeds) seed\(seeds == 1 ? "" : "s"))")) font \",14\"",
            "unset key",
            "set xrange [-0.5:\(Double(grid.columns.count) - 0.5)]",
            "set yrange [\(Double(grid.rows.count) - 0.5):-0.5]",
            "set xtics \(xTics) rotate by 35 right scale 0 nomirror",
            "set ytics \(yTics) scale 0 nomirror",
            "set tics out",
            "set palette defined (-1 \"#b2182b\", -0.5 \"#ef8a62\", 0 \"#f7f7f7\", 0.5 \"#67a9cf\", 1 \"#2166ac\")",
            "set datafile missing \"NaN\"",
            "set object 1 rectangle from graph 0,0 to graph 1,1 behind fc rgb \"#e0e0e0\" fs solid noborder",
        ]
        let labelPath = GnuplotText.quoted(labelFile)
        for panel in [("published gain (as printed)", publishedRange, 3, 3),
                      ("measured gain (paired mean ± \(ConfidenceInterval.levelText(level)) CI)", measuredRange, 4, 4)] {
            body.append("set title \(GnuplotText.quoted(panel.0))")
            body.append("set cbrange [\(GnuplotText.dataNumber(-panel.1)):\(GnuplotText.dataNumber(panel.1))]")
            body.append("plot \(file) using 1:2:\(panel.2) with image, \\")
            body.append("     \(labelPath) using 1:2:(stringcolumn(\(panel.3))):\(panel.3 + 2) with labels tc rgb variable font \",9\"")
        }
        body.append("unset multiplot")
        let width = min(2600, 560 + 2 * (grid.columns.count * 125 + (grid.rows.map(\.label.count).max() ?? 10) * 8))
        let height = min(2000, 260 + grid.rows.count * 42)
        let comment = [
            "\(table.chartName): gain of each distilled student over its baseline, published (left) and measured (right).",
            "Generated from \(table.file) at scale \(measured.scale); data in \(dataFile).",
        ]
        return ChartScript(name: name, kind: .heatmap,
                           script: GnuplotText.script(name: name, comment: comment, width: width, height: height, body: body),
                           dataFiles: [dataFile: data.joined(separator: "\n") + "\n", labelFile: labels.joined(separator: "\n") + "\n"])
    }

    /// The word a cell without a measured gain shows (never a number).
    static func shortWord(_ state: CellMeasurement.State?) -> String {
        switch state {
        case .notImplemented?: return "not implemented"
        case .failed?: return "failed"
        case .reportedOnly?: return "reported only"
        default: return "not run"
        }
    }
}
