import ArgumentParser
import Foundation
import Harness

/// `bench report ld/table3 --scale small`: the reports of tables from what the store holds,
/// without training anything.
struct ReportTables: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Print and write the reports of tables from the run store (trains nothing).")

    @Argument(help: "Tables: table3 (every paper's Table 3), ld/table3, ld (one paper), all.")
    var tables: [String] = []

    @OptionGroup var options: RunOptions
    @OptionGroup var tablesDirectory: TablesOptions

    func run() throws {
        let m = try ReportOutput.measuredFromStore(tables, options: options, tablesDirectory: tablesDirectory)
        try reportingRunFailures { try ReportOutput.write(m.tables, store: m.store, plan: m.plan, current: m.provenance, charts: false) }
    }
}

/// `bench plot ld/table1a --scale small`: the gnuplot charts of tables from the run store.
struct PlotTables: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Draw the charts (PNG and SVG, with gnuplot) of tables from the run store (trains nothing).")

    @Argument(help: "Tables: table3 (every paper's Table 3), ld/table3, ld (one paper), all.")
    var tables: [String] = []

    @OptionGroup var options: RunOptions
    @OptionGroup var tablesDirectory: TablesOptions

    func run() throws {
        let m = try ReportOutput.measuredFromStore(tables, options: options, tablesDirectory: tablesDirectory)
        try reportingRunFailures { try ReportOutput.write(m.tables, store: m.store, plan: m.plan, current: m.provenance, reports: false) }
    }
}
