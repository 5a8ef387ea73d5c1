import Foundation
import Testing
@testable import Harness

/// Chart scripts (always) and their rendering (when gnuplot is installed).
@Suite struct AnalysisChartTests {
    typealias F = AnalysisFixtures

    static let hasGnuplot = (try? Gnuplot.locate()) != nil

    @Test func barScriptDrawsPublishedBesideMeasuredFromZero() throws {
        let measured = try F.miniMeasured()
        let chart = BarChart(measured: measured, column: try #require(measured.table.column("AP")), level: 0.95).script()
        #expect(chart.name == "lgd-table99-bars-AP")
        #expect(chart.script.contains("set terminal pngcairo"))
        #expect(chart.script.contains("set terminal svg"))
        #expect(chart.script.contains("noenhanced font \"DejaVu Sans,12\""))
        #expect(chart.script.contains("set yrange [0:"))
        #expect(chart.script.contains("with vectors heads"))
        #expect(chart.script.contains("\"FGD (missing)\" 3"))
        // The FGD slot is labelled, and its data line has no measured number.
        #expect(chart.script.contains("set label 4 \"not implemented\" at 3.190000"))
        let data = try #require(chart.dataFiles["lgd-table99-bars-AP.dat"])
        let fgd = try #require(data.split(separator: "\n").first { $0.hasPrefix("3 ") })
        #expect(fgd.contains("41.200000  NaN  NaN  NaN"))
        #expect(fgd.hasSuffix("\"not implemented\"  NaN"))
        let ld = try #require(data.split(separator: "\n").first { $0.hasPrefix("1 ") })
        #expect(ld.contains("\"LD\"  41.000000  41.200000"))

        // One seed: no whisker, and the label's height is the mean itself, precomputed (a gnuplot
        // expression reading the NaN interval column would drop the label; it did).
        var single = measured
        single.cells[F.cell("ld.AP")] = F.measured([41.5])
        let apColumn = try #require(single.table.column("AP"))
        let singleData = try #require(BarChart(measured: single, column: apColumn, level: 0.95).script().dataFiles["lgd-table99-bars-AP.dat"])
        let one = try #require(singleData.split(separator: "\n").first { $0.hasPrefix("1 ") })
        #expect(one.contains("41.500000  NaN  NaN"))
        #expect(one.hasSuffix("\"measured\"  41.500000"))
    }

    /// LD Table 7's features column: published −0.0042 and −0.0031, measured means and whiskers
    /// below 0. The y range reaches below the lowest of them, a zero line is drawn, and labels
    /// of downward bars sit at 0, not inside the bars.
    static func negativeTable7() throws -> MeasuredTable {
        let table = try F.table("ld/table7")
        let cells: [String: MeasuredCell] = [
            "none.features": F.measured([-0.05, -0.03, -0.04]), "gi.features": F.measured([0.80, 0.82, 0.81]),
            "ours.features": F.measured([-0.003, 0.01, -0.02]),
        ]
        return MeasuredTable(table: table, scale: "small", cells: Dictionary(uniqueKeysWithValues: cells.map { (F.cell($0.key), $0.value) }))
    }

    @Test func barScriptReachesBelowZeroForNegativeValues() throws {
        let measured = try Self.negativeTable7()
        let column = try #require(measured.table.column("features"))
        let chart = BarChart(measured: measured, column: column, level: 0.95).script()
        let rangeLine = try #require(chart.script.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .first { $0.hasPrefix("set yrange [") })
        let bounds = rangeLine.dropFirst("set yrange [".count).dropLast().split(separator: ":").compactMap { Double($0) }
        #expect(bounds.count == 2, "\(rangeLine)")
        let none = measured.measurement(F.cell("none.features"))
        let lowest = try #require(none.interval?.lower)
        #expect(lowest < -0.05)  // three seeds' 95% whisker below the lowest seed
        #expect(bounds[0] < lowest && bounds[0] < -0.0042, "\(rangeLine)")
        let highest = try #require(measured.measurement(F.cell("gi.features")).interval?.upper)
        #expect(bounds[1] > highest)
        #expect(chart.script.contains("set xzeroaxis"))
        let data = try #require(chart.dataFiles[chart.name + ".dat"])
        let row = try #require(data.split(separator: "\n").first { $0.hasPrefix("0 ") })
        #expect(row.contains("-0.004200  -0.040000"), "\(row)")
        #expect(row.hasSuffix("\"measured\"  0.000000"), "\(row)")  // its whisker is below 0: the label sits at 0
        // Non-negative values keep the range from 0 and draw no extra line.
        let plain = try F.miniMeasured()
        let apChart = BarChart(measured: plain, column: try #require(plain.table.column("AP")), level: 0.95).script()
        #expect(apChart.script.contains("set yrange [0:") && !apChart.script.contains("xzeroaxis"))
    }

    @Test(.enabled(if: AnalysisChartTests.hasGnuplot))
    func negativeBarChartRenders() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("analysis-charts-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let images = try renderCharts([try Self.negativeTable7()], outputDirectory: directory)
        #expect(images.contains { $0.lastPathComponent == "ld-table7-bars-features.png" })
    }

    @Test func mainChartColumnsAreTheClaimedOnes() throws {
        #expect(try F.table("ld/table1a").mainChartColumns.map(\.key) == ["AP"])
        #expect(try F.mini().mainChartColumns.map(\.key) == ["AP", "mMR"])
        #expect(try F.table("unikd/table6f").mainChartColumns.map(\.key) == ["time_pct", "mAP_teacher", "mAP_student"])
    }

    @Test func sweepsAreFoundFromTheSettings() throws {
        let temperature = try #require(Sweep.detect(in: try F.table("ld/table1a")).first)
        #expect(temperature.path == "distillation[0].temperature")
        #expect(temperature.displayName == "ld temperature")
        #expect(temperature.series.count == 1)
        #expect(temperature.series[0].points.map(\.x) == [1, 5, 10, 15, 20])
        #expect(temperature.series[0].reference?.key == "none")

        let gamma = Sweep.detect(in: try F.table("ld/table1c"))
        #expect(gamma.map(\.path) == ["distillation[1].gamma"])
        #expect(gamma.first?.series.first?.points.map(\.x) == [0, 0.25, 0.5, 0.75, 1])

        #expect(Sweep.detect(in: try F.table("unikd/table6c")).map(\.displayName) == ["unikd num_queries"])
        #expect(Sweep.detect(in: try F.table("unikd/table6f")).map(\.displayName) == ["unikd pretrain_epochs"])
        let layers = try #require(Sweep.detect(in: try F.table("unikd/table6g")).first)
        #expect(layers.displayName == "adapter_self_attn_layers")
        #expect(layers.series.map(\.label) == ["fitnet_modified", "unikd"])
        #expect(layers.series.allSatisfy { $0.points.count == 5 && $0.reference == nil })

        // λ1 × λ2 pairs are a grid with at most two values per line, and UniKD Table 2 sweeps nothing.
        #expect(Sweep.detect(in: try F.table("unikd/table6e")).isEmpty)
        #expect(Sweep.detect(in: try F.table("unikd/table2")).isEmpty)
    }

    @Test func teacherStudentGridsAreFoundFromTheColumns() throws {
        let grid = try #require(TeacherStudentGrid(try F.table("unikd/table2")))
        #expect(grid.columns.count == 6)
        #expect(grid.rows.count == 12)
        #expect(TeacherStudentGrid(try F.table("unikd/table5")) != nil)
        // rm Table 3's columns change the student too: teacher-student pairs, not a grid.
        #expect(TeacherStudentGrid(try F.table("rm/table3")) == nil)
        #expect(TeacherStudentGrid(try F.table("ld/table1a")) == nil)
    }

    @Test func heatmapShowsPublishedAndMeasuredGainsAndWordsForMissingCells() throws {
        let measured = F.simulated(try F.table("unikd/table2"), notImplemented: { $0.key.hasPrefix("ddetr") })
        let charts = chartScripts(for: measured)
        #expect(charts.filter { $0.kind == .heatmap }.count == 1)
        #expect(charts.filter { $0.kind == .bars }.count == 6)
        let heatmap = try #require(charts.first { $0.kind == .heatmap })
        #expect(heatmap.script.contains("set multiplot layout 1,2"))
        #expect(heatmap.script.contains("published gain (as printed)"))
        let labels = try #require(heatmap.dataFiles["unikd-table2-heatmap-gain-labels.dat"])
        // Row 10 is "Deformable DETR + FitNet": printed gain +0.8 at the RetinaNet teacher, no measurement.
        #expect(labels.contains("0  10  \"+0.8\"  \"not implemented\""))
        #expect(labels.contains("0  0  \"+2.9\"  \"+"))
    }

    @Test func sweepScriptsUseASecondAxisOnlyWhenScalesDiffer() throws {
        #expect(SweepChart.needsSecondAxis(published: [40.1, 41.1], measured: [23.5, 24.9]))
        #expect(!SweepChart.needsSecondAxis(published: [40.1, 41.1], measured: [39.5, 41.5]))
        #expect(!SweepChart.needsSecondAxis(published: [7, 28], measured: [4, 17]))
        let measured = F.simulated(try F.table("ld/table1a"))
        let sweep = try #require(chartScripts(for: measured).first { $0.kind == .sweep })
        #expect(sweep.name == "ld-table1a-sweep-ld-temperature-AP")
        #expect(sweep.script.contains("axes x1y2"))
        #expect(sweep.script.contains("with vectors heads"))
        #expect(sweep.script.contains("published baseline (-)"))
    }

    @Test func missingGnuplotIsAClearError() {
        #expect {
            _ = try Gnuplot.locate(environment: ["PATH": "/nonexistent-\(UUID().uuidString)"])
        } throws: { error in
            String(describing: error).contains("apt-get install") && String(describing: error).contains("gnuplot-nox")
        }
    }

    @Test(.enabled(if: AnalysisChartTests.hasGnuplot))
    func chartsRenderToPNGAndSVG() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("analysis-charts-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        // Nothing run yet (smoke scale, empty cells) must draw too: every measured series is NaN.
        let tables = [try F.miniMeasured(), F.simulated(try F.table("ld/table1a")),
                      F.simulated(try F.table("unikd/table5"), notImplemented: { $0.key.hasSuffix("unikd") }),
                      MeasuredTable(table: try F.table("unikd/table2"), scale: "smoke", cells: [:]),
                      MeasuredTable(table: try F.table("ld/table1c"), scale: "smoke", cells: [:])]
        let images = try renderCharts(tables, outputDirectory: directory)
        #expect(images.count == 2 * tables.map { chartScripts(for: $0).count }.reduce(0, +))
        for image in images {
            let data = try Data(contentsOf: image)
            if image.pathExtension == "png" {
                #expect(Array(data.prefix(4)) == [0x89, 0x50, 0x4E, 0x47], "\(image.lastPathComponent) is not a PNG")
                #expect(data.count > 5_000)
            } else {
                #expect(String(decoding: data, as: UTF8.self).contains("<svg"))
            }
        }
        let script = directory.appendingPathComponent("charts/small/lgd-table99-bars-AP.gp")
        #expect(FileManager.default.fileExists(atPath: script.path))
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("charts/small/lgd-table99-bars-AP.dat").path))
    }
}
