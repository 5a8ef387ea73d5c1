/// Grouped bars, one group per row: the published value beside the measured mean with its
/// confidence whiskers, for one column. The y axis starts at 0 (an axis that does not exaggerates
/// differences), or below it when a value or a whisker is negative (Pearson's r in LD Table 7),
/// with a line at 0 then; every bar carries its value. A row without a measured number keeps its slot
/// and says why ("not implemented", "not run", "failed") where the measured bar would be.
struct BarChart {
    var measured: MeasuredTable
    var column: TableColumn
    var level: Double

    var name: String { "\(measured.table.chartStem)-bars-\(GnuplotText.fileSafe(column.key))" }

    func script() -> ChartScript {
        let table = measured.table
        let rows = table.rows.filter { row in
            row.values[column.key]?.number != nil || measured.cells[CellReference(row: row.key, column: column.key)] != nil
        }
        let points = rows.map { ChartPoint(measured, row: $0, column: column.key, level: level) }
        let dataFile = name + ".dat"
        var data = ["# \(table.id) column \(column.key) (\(column.metric)), scale \(measured.scale)",
                    "# index label published measured_mean ci_lower ci_upper published_text measured_text status measured_label_y"]
        for (index, (row, point)) in zip(rows, points).enumerated() {
            data.append([String(index), GnuplotText.dataString(row.label), GnuplotText.dataNumber(point.published),
                         GnuplotText.dataNumber(point.mean), GnuplotText.dataNumber(point.lower), GnuplotText.dataNumber(point.upper),
                         GnuplotText.dataString(point.publishedText.isEmpty ? "-" : point.publishedText),
                         GnuplotText.dataString(point.measuredText.isEmpty ? "-" : point.measuredText),
                         GnuplotText.dataString(point.missingWord ?? "measured"),
                         // Where the measured label sits (`ChartPoint.measuredLabelY`). Computed
                         // here because a gnuplot expression that merely reads a NaN column drops
                         // the whole point.
                         GnuplotText.dataNumber(point.measuredLabelY)].joined(separator: "  "))
        }

        let count = max(1, rows.count)
        let top = max(points.map(\.top).max() ?? 1, 1e-9)
        let bottom = points.map(\.bottom).min() ?? 0
        let span = top - bottom
        // Headroom for the value labels above the bars and the key above them; below a negative
        // bar or whisker, a margin so that its end is not drawn on the border.
        let yMax = top + span * (count > 8 ? 0.3 : 0.22)
        let yMin = bottom < 0 ? bottom - span * 0.06 : 0
        let yRangeLow = yMin < 0 ? GnuplotText.dataNumber(yMin) : "0"
        let labels = rows.map { GnuplotText.ticLabel($0.label) }
        let longestLabel = labels.flatMap { $0.split(separator: "\n") }.map(\.count).max() ?? 0
        let crowded = count > 8
        let rotated = longestLabel > 12 || crowded
        let width = max(900, min(2400, 160 + count * (crowded ? 62 : 110)))
        let height = 600 + (rotated ? min(160, longestLabel * 6) : 0)
        let offset = 0.19
        let seeds = measured.seeds.count
        // A label rotated to the right of its tic reaches left of it: the first one needs a left
        // margin as long as its horizontal extent, or it is cut at the image edge.
        let firstLabel = labels.first?.split(separator: "\n").map(\.count).max() ?? 0
        let leftMargin = rotated ? max(10, Int(Double(firstLabel) * 0.9)) : 10
        var body = [
            "set title \(GnuplotText.quoted("\(table.chartName) — \(column.key): published vs measured (scale \(measured.scale), \(seeds) seed\(seeds == 1 ? "" : "s"))"))",
            "set style fill solid 0.9 noborder",
            "set boxwidth \(offset * 2 * 0.95) absolute",
            "set xrange [-0.6:\(Double(count) - 0.4)]",
            "set yrange [\(yRangeLow):\(GnuplotText.dataNumber(yMax))]",
            "set ylabel \(GnuplotText.quoted(column.metric + (column.higherIsBetter ? "" : " (lower is better)")))",
            "set grid ytics lc rgb \"\(GnuplotText.gridColour)\" lw 1 dt 2",
            "set border 3 lc rgb \"#444444\"",
            "set xtics nomirror scale 0 \(rotated ? "rotate by 35 right" : "") \(GnuplotText.tics(labels.enumerated().map { ($0.element, Double($0.offset)) }))",
            "set ytics nomirror",
            "set key top left horizontal reverse Left samplen 1.5 width 2 nobox",
            // Fixed side margins: gnuplot's automatic right margin reserves room for rotated tic
            // labels that in fact extend to the left.
            "set lmargin \(leftMargin)",
            "set rmargin 3",
        ]
        // Bars grow from 0: with negative values the axis border is not at 0, so draw the line.
        if yMin < 0 { body.append("set xzeroaxis lt 1 lc rgb \"#444444\" lw 1") }
        // A missing measurement keeps its slot and names itself, never a bar or a number.
        for (index, point) in points.enumerated() {
            guard let word = point.missingWord else { continue }
            body.append("set label \(index + 1) \(GnuplotText.quoted(word)) at \(GnuplotText.dataNumber(Double(index) + offset)),\(GnuplotText.dataNumber(yMax * 0.02)) rotate by 90 left font \",9\" tc rgb \"#777777\"")
        }
        let labelStyle = crowded ? "rotate by 90 left offset 0,0.4 font \",8\"" : "center offset 0,0.8 font \",9\""
        let file = GnuplotText.quoted(dataFile)
        body.append("plot \(file) using ($1-\(offset)):3 with boxes lc rgb \"\(GnuplotText.publishedColour)\" title \"published\", \\")
        body.append("     \"\" using ($1+\(offset)):4 with boxes lc rgb \"\(GnuplotText.measuredColour)\" title \"measured (mean, \(ConfidenceInterval.levelText(level)) CI)\", \\")
        // Whiskers as capped vectors: gnuplot 5.4's yerrorbars leave a gap around the (invisible)
        // point, which showed as a white blob on every bar.
        body.append("     \"\" using ($1+\(offset)):5:(0):($6-$5) with vectors heads size screen 0.006,90 lc rgb \"#222222\" lw 1.3 notitle, \\")
        // A published label never sits below the zero line either (a NaN value drops it, as before).
        body.append("     \"\" using ($1-\(offset)):($3 < 0 ? 0 : $3):(stringcolumn(7)) with labels \(labelStyle) notitle, \\")
        body.append("     \"\" using ($1+\(offset)):10:(stringcolumn(8)) with labels \(labelStyle) notitle")
        let comment = [
            "\(table.chartName), column \(column.key): published value vs measured mean with \(ConfidenceInterval.levelText(level)) confidence whiskers.",
            "Generated from \(table.file) at scale \(measured.scale); data in \(dataFile).",
        ]
        return ChartScript(name: name, kind: .bars,
                           script: GnuplotText.script(name: name, comment: comment, width: width, height: height, body: body),
                           dataFiles: [dataFile: data.joined(separator: "\n") + "\n"])
    }
}
