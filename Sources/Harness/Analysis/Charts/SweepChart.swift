/// Lines over a swept parameter for one column: the published values and the measured means
/// with confidence whiskers, per series. When the measured values live on another scale than
/// the paper's (small-scale AP is far below full-scale AP), one axis would flatten both curves
/// into lines, so the measured curve moves to the right-hand axis and the title says so.
struct SweepChart {
    var measured: MeasuredTable
    var sweep: Sweep
    var column: TableColumn
    var level: Double

    var name: String {
        let parameter = sweep.displayName.replacingOccurrences(of: " ", with: "-")
        return "\(measured.table.chartStem)-sweep-\(GnuplotText.fileSafe(parameter))-\(GnuplotText.fileSafe(column.key))"
    }

    /// One colour per series when there are several (published dashed, measured solid); with a
    /// single series the bar charts' published-blue / measured-orange pair.
    private static let seriesColours = ["#4C72B0", "#C44E52", "#55A868", "#8172B2"]

    func script() -> ChartScript {
        let table = measured.table
        let dataFile = name + ".dat"
        var data = ["# \(table.id) column \(column.key) over \(sweep.displayName); one block per series (gnuplot index)",
                    "# x published measured_mean ci_lower ci_upper published_text measured_text status"]
        var published: [Double] = [], measuredValues: [Double] = []
        var missing: [(x: Double, word: String)] = []
        for (index, series) in sweep.series.enumerated() {
            if index > 0 { data += ["", ""] }
            data.append("# series \(index): \(series.label)")
            for point in series.points {
                let p = ChartPoint(measured, row: point.row, column: column.key, level: level)
                data.append([GnuplotText.dataNumber(point.x), GnuplotText.dataNumber(p.published), GnuplotText.dataNumber(p.mean),
                             GnuplotText.dataNumber(p.lower), GnuplotText.dataNumber(p.upper),
                             GnuplotText.dataString(p.publishedText.isEmpty ? "-" : p.publishedText),
                             GnuplotText.dataString(p.measuredText.isEmpty ? "-" : p.measuredText),
                             GnuplotText.dataString(p.missingWord ?? "measured")].joined(separator: "  "))
                published += [p.published].compactMap { $0 }
                measuredValues += [p.lower, p.mean, p.upper].compactMap { $0 }
                if let word = p.missingWord { missing.append((point.x, word)) }
            }
        }
        var references: [(label: String, published: Double?, measured: Double?)] = []
        for series in sweep.series {
            guard let row = series.reference, !references.contains(where: { $0.label == "baseline (\(row.label))" }) else { continue }
            let p = ChartPoint(measured, row: row, column: column.key, level: level)
            references.append(("baseline (\(row.label))", p.published, p.mean))
            published += [p.published].compactMap { $0 }
            measuredValues += [p.mean].compactMap { $0 }
        }

        let single = sweep.series.count == 1
        let secondAxis = Self.needsSecondAxis(published: published, measured: measuredValues)
        let measuredAxes = secondAxis ? "axes x1y2" : "axes x1y1"
        let xs = Set(sweep.series.flatMap { $0.points.map(\.x) }).sorted()
        let span = (xs.last ?? 1) - (xs.first ?? 0)
        let pad = span > 0 ? span * 0.09 : 1
        let seeds = measured.seeds.count
        var title = "\(table.chartName) — \(column.key) over \(sweep.displayName) (scale \(measured.scale), \(seeds) seed\(seeds == 1 ? "" : "s"))"
        if secondAxis { title += "\nmeasured on the right-hand axis: its values are on another scale than the paper's" }
        let metric = column.metric + (column.higherIsBetter ? "" : " (lower is better)")
        let publishedColour = single ? GnuplotText.publishedColour : "#333333"
        let measuredColour = single ? GnuplotText.measuredColour : "#333333"
        var body = [
            "set title \(GnuplotText.quoted(title))",
            "set xlabel \(GnuplotText.quoted(sweep.displayName))",
            "set xrange [\(GnuplotText.dataNumber((xs.first ?? 0) - pad)):\(GnuplotText.dataNumber((xs.last ?? 1) + pad))]",
            "set xtics (\(xs.map { GnuplotText.dataNumber($0) }.joined(separator: ", "))) nomirror",
            "set grid xtics ytics lc rgb \"\(GnuplotText.gridColour)\" lw 1 dt 2",
            "set key outside bottom center horizontal reverse Left nobox samplen 3 width 2",
        ]
        // Explicit ranges with headroom: value labels sit above the points and must stay inside.
        if secondAxis {
            body += [
                "set yrange \(Self.range(published))",
                "set y2range \(Self.range(measuredValues))",
                "set ylabel \(GnuplotText.quoted("published " + metric)) tc rgb \"\(publishedColour)\"",
                "set y2label \(GnuplotText.quoted("measured " + metric)) tc rgb \"\(measuredColour)\"",
                "set ytics nomirror tc rgb \"\(publishedColour)\"",
                "set y2tics nomirror tc rgb \"\(measuredColour)\"",
                "set border 11 lc rgb \"#444444\"",
            ]
        } else {
            body += [
                "set yrange \(Self.range(published + measuredValues))",
                "set ylabel \(GnuplotText.quoted(metric))",
                "set ytics nomirror",
                "set border 3 lc rgb \"#444444\"",
            ]
        }
        for (index, item) in missing.enumerated() {
            body.append("set label \(index + 1) \(GnuplotText.quoted(item.word)) at first \(GnuplotText.dataNumber(item.x)), graph 0.04 rotate by 90 left front font \",9\" tc rgb \"#777777\"")
        }
        var plots: [String] = []
        let file = GnuplotText.quoted(dataFile)
        let levelText = ConfidenceInterval.levelText(level)
        let axisNote = secondAxis ? " (right axis)" : ""
        for (index, series) in sweep.series.enumerated() {
            let colour = Self.seriesColours[index % Self.seriesColours.count]
            let prefix = single ? "" : series.label + ": "
            if single {
                plots.append("\(file) index \(index) using 1:2 with linespoints lc rgb \"\(publishedColour)\" lw 2 pt 7 ps 1.2 title \"published\"")
                plots.append("\(file) index \(index) using 1:3 with linespoints \(measuredAxes) lc rgb \"\(measuredColour)\" lw 2 pt 5 ps 1.1 title \(GnuplotText.quoted("measured (mean, \(levelText) CI)\(axisNote)"))")
                plots.append(Self.whiskers(file: file, index: index, x: "1", axes: measuredAxes, colour: measuredColour))
                // Value labels: published above its point, measured to the right of its point
                // (above it the whisker would cover it).
                plots.append("\(file) index \(index) using 1:2:(stringcolumn(6)) with labels offset 0,1 font \",9\" tc rgb \"\(publishedColour)\" notitle")
                plots.append("\(file) index \(index) using 1:3:(stringcolumn(7)) with labels \(measuredAxes) left offset 0.8,0 font \",9\" tc rgb \"\(measuredColour)\" notitle")
            } else {
                // Several series: measured points shift a little sideways per series so that
                // whiskers at the same x do not hide each other.
                let shift = span * 0.012 * (Double(index) - Double(sweep.series.count - 1) / 2)
                let x = shift == 0 ? "1" : "($1\(shift >= 0 ? "+" : "")\(GnuplotText.dataNumber(shift)))"
                // Several series: colour tells the series, the line style tells published (dashed,
                // open circles) from measured (solid, filled squares with whiskers); no value
                // labels, which would pile up.
                plots.append("\(file) index \(index) using 1:2 with linespoints lc rgb \"\(colour)\" dt 2 lw 2 pt 6 ps 1.3 title \(GnuplotText.quoted(prefix + "published"))")
                plots.append("\(file) index \(index) using \(x):3 with linespoints \(measuredAxes) lc rgb \"\(colour)\" lw 2 pt 5 ps 1.1 title \(GnuplotText.quoted(prefix + "measured (mean, \(levelText) CI)\(axisNote)"))")
                plots.append(Self.whiskers(file: file, index: index, x: x, axes: measuredAxes, colour: colour))
            }
        }
        for reference in references {
            if let value = reference.published {
                plots.append("\(GnuplotText.dataNumber(value)) with lines lc rgb \"\(publishedColour)\" dt 3 lw 1.5 title \(GnuplotText.quoted("published " + reference.label))")
            }
            if let value = reference.measured {
                plots.append("\(GnuplotText.dataNumber(value)) \(measuredAxes) with lines lc rgb \"\(measuredColour)\" dt 3 lw 1.5 title \(GnuplotText.quoted("measured " + reference.label + axisNote))")
            }
        }
        body.append("plot " + plots.joined(separator: ", \\\n       "))
        let comment = [
            "\(table.chartName), column \(column.key) over \(sweep.displayName) (\(sweep.path)): published values and measured means with \(levelText) confidence whiskers.",
            "Generated from \(table.file) at scale \(measured.scale); data in \(dataFile).",
        ]
        return ChartScript(name: name, kind: .sweep,
                           script: GnuplotText.script(name: name, comment: comment, width: 1000, height: 660, body: body),
                           dataFiles: [dataFile: data.joined(separator: "\n") + "\n"])
    }

    /// Confidence whiskers as capped vectors, separate from the line: `yerrorlines` would drop a
    /// point without an interval (one seed) from the line itself.
    static func whiskers(file: String, index: Int, x: String, axes: String, colour: String) -> String {
        "\(file) index \(index) using \(x):4:(0):($5-$4) \(axes) with vectors heads size screen 0.006,90 lc rgb \"\(colour)\" lw 1.5 notitle"
    }

    /// "[low:high]" around `values` with room below and more above (for the labels).
    static func range(_ values: [Double]) -> String {
        guard let low = values.min(), let high = values.max() else { return "[*:*]" }
        let span = high - low > 0 ? high - low : max(abs(high) * 0.05, 0.5)
        return "[\(GnuplotText.dataNumber(low - span * 0.12)):\(GnuplotText.dataNumber(high + span * 0.22))]"
    }

    /// Two axes when the measured range (whiskers included) and the published range are further
    /// apart than the wider of the two is tall: on one axis both curves would look flat.
    static func needsSecondAxis(published: [Double], measured: [Double]) -> Bool {
        guard let pLow = published.min(), let pHigh = published.max(), let mLow = measured.min(), let mHigh = measured.max() else {
            return false
        }
        let gap = max(0, max(pLow, mLow) - min(pHigh, mHigh))
        let spread = max(pHigh - pLow, mHigh - mLow, 1e-9)
        return gap > spread
    }
}
