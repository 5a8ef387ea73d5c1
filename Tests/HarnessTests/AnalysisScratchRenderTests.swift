import Foundation
import Testing
@testable import Harness

/// Draws real tables with simulated measurements into `ANALYSIS_SCRATCH_DIR` (reports and charts)
/// so that a person can look at them. Skipped unless the variable is set: the normal suite writes
/// only to temporary directories.
@Suite struct AnalysisScratchRenderTests {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["ANALYSIS_SCRATCH_DIR"] != nil))
    func renderRealTablesForInspection() throws {
        let directory = URL(fileURLWithPath: ProcessInfo.processInfo.environment["ANALYSIS_SCRATCH_DIR"]!)
        let names = ["ld/table1a", "ld/table1c", "ld/table2", "unikd/table2", "unikd/table5", "unikd/table6c",
                     "unikd/table6f", "unikd/table6g", "lgd/table9", "rm/table3"]
        var tables: [MeasuredTable] = []
        for name in names {
            let table = try AnalysisFixtures.table(name)
            tables.append(AnalysisFixtures.simulated(table, notImplemented: { row in
                row.settingChanges["detector"]?.string == "deformable_detr" || row.key == "t15"
            }))
        }
        // Nothing run yet, at smoke scale: words instead of numbers everywhere, no verdicts.
        tables.append(MeasuredTable(table: try AnalysisFixtures.table("unikd/table2"), scale: "smoke", cells: [:]))
        tables.append(AnalysisFixtures.simulated(try AnalysisFixtures.table("ld/table1a"), scale: "smoke", seeds: [0]))
        var terminal = ""
        let reports = try ReportWriter(outputDirectory: directory, provenance: ["code": "scratch", "host": "test"])
            .write(tables) { terminal += $0 }
        try terminal.write(to: directory.appendingPathComponent("terminal.txt"), atomically: true, encoding: .utf8)
        let images = try renderCharts(tables, outputDirectory: directory)
        #expect(!reports.isEmpty)
        #expect(!images.isEmpty)
    }
}
