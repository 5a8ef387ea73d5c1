import Foundation

/// Every chart of one measured table: bars for each main column; a published-beside-measured
/// gain heatmap for a teacher × student grid; a line chart for each detected sweep and main column.
public func chartScripts(for measured: MeasuredTable, level: Double = 0.95) -> [ChartScript] {
    let table = measured.table
    var charts = table.mainChartColumns.map { BarChart(measured: measured, column: $0, level: level).script() }
    if let grid = TeacherStudentGrid(table) {
        charts.append(HeatmapChart(measured: measured, grid: grid, level: level).script())
    }
    for sweep in Sweep.detect(in: table) {
        for column in table.mainChartColumns where sweep.covers(column: column.key, in: table) {
            charts.append(SweepChart(measured: measured, sweep: sweep, column: column, level: level).script())
        }
    }
    return charts
}

/// Writes every table's chart scripts and data to `<outputDirectory>/charts/<scale>/` (or
/// `<outputDirectory>/<scale>/` when `outputDirectory` already ends in `charts`) and draws
/// them with gnuplot (PNG and SVG beside each script). Returns the images drawn. Without gnuplot
/// the scripts are still written, then `GnuplotNotFound` says how to install it.
public func renderCharts(_ tables: [MeasuredTable], outputDirectory: URL, level: Double = 0.95) throws -> [URL] {
    var scripts: [URL] = []
    var images: [URL] = []
    var lastDirectory: URL?
    for measured in tables.sorted(by: { $0.table.id < $1.table.id }) {
        let directory = OutputLayout.directory(outputDirectory, kind: "charts").appendingPathComponent(measured.scale)
        lastDirectory = directory
        for chart in chartScripts(for: measured, level: level) {
            try chart.write(to: directory)
            scripts.append(directory.appendingPathComponent(chart.scriptFile))
            images += chart.imageFiles.map { directory.appendingPathComponent($0) }
        }
    }
    let gnuplot: Gnuplot
    do {
        gnuplot = try Gnuplot.locate()
    } catch var missing as GnuplotNotFound {
        missing.scriptsDirectory = lastDirectory
        throw missing
    }
    for script in scripts { try gnuplot.run(script: script) }
    return images
}
