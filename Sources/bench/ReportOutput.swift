import Foundation
import Harness

/// Hands the measured tables to the analysis layer, which prints each table's report and writes
/// Markdown reports under `<store directory>/reports/<scale>/`.
enum ReportOutput {
    static func write(_ tables: [MeasuredTable], store: RunStore, plan: Plan, current: Provenance) throws {
        let provenance = try store.provenanceSummary(plan, current: current)
        let written = try renderReports(tables, outputDirectory: store.directory, provenance: provenance)
        if let first = written.first {
            FileHandle.standardError.write(Data("reports: \(first.deletingLastPathComponent().path)/\n".utf8))
        }
    }
}
