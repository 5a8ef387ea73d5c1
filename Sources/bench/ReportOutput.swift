import Foundation
import Harness

/// Hands the measured tables to the analysis layer: each table's report (printed, and as Markdown
/// under `<store directory>/reports/<scale>/`) and its gnuplot charts (PNG and SVG under
/// `<store directory>/charts/<scale>/`).
enum ReportOutput {
    static func write(_ tables: [MeasuredTable], store: RunStore, plan: Plan, current: Provenance,
                      reports: Bool = true, charts: Bool = true) throws {
        if reports {
            let provenance = try store.provenanceSummary(plan, current: current)
            let withSizes = ValidationObjectSizes.attach(to: tables, plan: plan)
            let written = try renderReports(withSizes, outputDirectory: store.directory, provenance: provenance)
            if let first = written.first {
                FileHandle.standardError.write(Data("reports: \(first.deletingLastPathComponent().path)/\n".utf8))
            }
        }
        if charts {
            let drawn = try renderCharts(tables, outputDirectory: store.directory)
            if let first = drawn.first {
                FileHandle.standardError.write(Data("charts: \(first.deletingLastPathComponent().path)/\n".utf8))
            }
        }
    }

    /// The measured tables for `tables` at the options' scale, from the store only (no training).
    static func measuredFromStore(_ tables: [String], options: RunOptions, tablesDirectory: TablesOptions)
        throws -> (tables: [MeasuredTable], store: RunStore, plan: Plan, provenance: Provenance) {
        let catalog = try tablesDirectory.loadCatalog()
        let plan = try reportingRunFailures { try options.request(tables).plan(catalog: catalog, requireData: false) }
        let store = try options.openStore()
        let executor = makeRunExecutor(dataRoot: options.dataRootDirectory)
        let measured = try reportingRunFailures { try store.measuredTables(plan, support: SupportCheck(executor: executor)) }
        return (measured, store, plan, Provenance.current(directory: catalog.directory.deletingLastPathComponent()))
    }
}
