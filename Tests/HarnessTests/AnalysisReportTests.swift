import Foundation
import Testing
@testable import Harness

/// Report rendering on the constructed mini table: key lines, and that a cell without a
/// measurement never shows a number.
@Suite struct AnalysisReportTests {
    typealias F = AnalysisFixtures

    /// The measured parts of a Markdown cell ("41.2 → not implemented<br>Δ +1.2 → not implemented"):
    /// the text after each arrow.
    func measuredParts(ofMarkdownCell cell: String) -> [String] {
        cell.components(separatedBy: "<br>").compactMap { $0.components(separatedBy: "→").dropFirst().first }
    }

    func markdownRow(_ label: String, in text: String) throws -> [String] {
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("| \(label) |") })
        return line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    @Test func terminalReportShowsTheTableClaimsAndAudit() throws {
        let text = TerminalReport(try F.miniMeasured(), provenance: ["code": "abc123", "host": "ci"]).text
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.allSatisfy { $0.count <= 120 })
        #expect(text.contains("LGD — LGD: Label-guided Self-distillation for Object Detection"))
        #expect(text.contains("arXiv 2109.11496 · Table 99 · tables/lgd/table99.yaml"))
        #expect(text.contains("Caption: A test table."))
        #expect(text.contains("Scale: small · seeds: 0, 1, 2 (3)"))
        #expect(text.contains("Provenance: code: abc123 · host: ci"))
        // The LD row: published, mean ± std (n), printed delta, paired delta ± CI half-width.
        let ld = try #require(lines.first { $0.hasPrefix("LD ") })
        #expect(ld.contains("41.0"))
        #expect(ld.contains("41.20 ± 0.20 (3)"))
        #expect(ld.contains("+1.0"))
        #expect(ld.contains("+1.07 ± 0.14"))
        // Claims with verdicts and evidence, then the audit.
        #expect(text.contains("[reproduced]         ld-better"))
        #expect(text.contains("[not implemented]    fgd-better"))
        #expect(text.contains("d = +1.07, 95% CI [+0.92, +1.21], n = 3"))
        #expect(text.contains("Paper audit"))
        #expect(text.contains("- Test audit line."))
    }

    @Test func notImplementedCellsShowNoNumberInTheTerminal() throws {
        let text = TerminalReport(try F.miniMeasured()).text
        let row = try #require(text.split(separator: "\n").first { $0.hasPrefix("FGD (missing)") })
        #expect(row.contains("not implemented"))
        // Removing the paper's own numbers (41.2, 48.5 and the deltas computed from them) leaves
        // no digit: the measured side is words only.
        var rest = String(row)
        for published in ["41.2", "48.5", "+1.2", "-1.5"] { rest = rest.replacingOccurrences(of: published, with: "") }
        #expect(!rest.contains { $0.isNumber }, "a number in the measured part of: \(row)")
    }

    @Test func markdownKeepsTheTableLayoutAndWordsForMissingCells() throws {
        var measured = try F.miniMeasured()
        measured.cells[F.cell("lgd.mMR")] = MeasuredCell(status: .failed(reason: "diverged"))
        measured.cells[F.cell("lgd.AP")] = nil
        let text = MarkdownReport(measured).text
        #expect(text.contains("# LGD — LGD: Label-guided Self-distillation for Object Detection — Table 99"))
        #expect(text.contains("| Row | AP | mMR |"))
        let fgd = try markdownRow("FGD (missing)", in: text)
        #expect(fgd.count == 3)
        for cell in fgd.dropFirst() {
            let parts = measuredParts(ofMarkdownCell: cell)
            #expect(parts.count == 2)
            #expect(parts.allSatisfy { $0.contains("not implemented") && !$0.contains { $0.isNumber } })
        }
        let lgd = try markdownRow("LGD", in: text)
        #expect(measuredParts(ofMarkdownCell: lgd[1]).allSatisfy { $0.trimmingCharacters(in: .whitespaces) == "—" })
        #expect(measuredParts(ofMarkdownCell: lgd[2]).allSatisfy { $0.trimmingCharacters(in: .whitespaces) == "failed" })
        let ld = try markdownRow("LD", in: text)
        #expect(ld[1] == "41.0 → 41.20 ± 0.20 (3)<br>Δ +1.0 → +1.07 ± 0.14")
        // Claims table and evidence.
        #expect(text.contains("| **reproduced** | ld-better | §1 |"))
        #expect(text.contains("### fgd-better: not implemented"))
        #expect(text.contains("- **reproduced** `ld.AP − base.AP > 0`: d = +1.07, 95% CI \\[+0.92, +1.21\\], n = 3"))
        #expect(text.contains("## Paper audit"))
    }

    @Test func reportsSayWhyCellsHaveNoNumber() throws {
        var measured = try F.miniMeasured()
        measured.cells[F.cell("lgd.mMR")] = MeasuredCell(status: .failed(reason: "run 1a2b diverged at iteration 7"))
        let markdown = MarkdownReport(measured).text
        #expect(markdown.contains("## Cells without a number"))
        // One line per row, each distinct reason once (both FGD cells share theirs).
        #expect(markdown.contains("- **FGD (missing)**: method fgd\n"))
        #expect(markdown.contains("- **LGD**: run 1a2b diverged at iteration 7\n"))
        #expect(!markdown.contains("- **LD**"))
        let terminal = TerminalReport(measured).text
        // In the table's row order: LGD before FGD.
        #expect(terminal.contains("Cells without a number\n  - LGD: run 1a2b diverged at iteration 7\n  - FGD (missing): method fgd\n"))
        // A table whose every cell has a number has no such section.
        var complete = measured
        complete.cells = complete.cells.filter { key, _ in key.row == "ld" || key.row == "base" }
        #expect(!MarkdownReport(complete).text.contains("Cells without a number"))
    }

    /// A claim comparing runs trained for the same epochs but different iterations (a profile's
    /// per-detector multiplier) carries a caveat; equal iterations, or different epochs (a
    /// comparison the paper itself makes across schedules), carry none.
    @Test func comparisonsOfUnequallyTrainedRunsSaySo() throws {
        var measured = try F.miniMeasured()
        func schedule(_ epochs: Int, _ iterations: Int) -> ScheduleSpec { ScheduleSpec(epochs: epochs, iterations: iterations, batchSize: 16) }
        func withSchedules(_ ld: ScheduleSpec, _ base: ScheduleSpec) -> String {
            measured.cells[F.cell("ld.AP")]!.schedule = ld
            measured.cells[F.cell("base.AP")]!.schedule = base
            return MarkdownReport(measured).text
        }
        let caveat = "⚠ unequal training at this scale: ld ran 800 iterations and base 2400 for the same 24 epochs"
        #expect(withSchedules(schedule(24, 800), schedule(24, 2400)).contains("n = 3 " + caveat))
        #expect(!withSchedules(schedule(24, 800), schedule(24, 800)).contains("unequal training"))
        #expect(!withSchedules(schedule(24, 800), schedule(12, 400)).contains("unequal training"))
    }

    @Test func smokeReportsSaySoAndGiveNoVerdict() throws {
        let measured = try F.miniMeasured(scale: "smoke")
        let terminal = TerminalReport(measured).text
        #expect(terminal.contains("smoke: no verdicts"))
        #expect(terminal.contains("[smoke: no verdict]"))
        #expect(!terminal.contains("[reproduced]"))
        #expect(MarkdownReport(measured).text.contains("**smoke: no verdict**"))
    }

    @Test func partialCellsAreMarked() throws {
        var measured = try F.miniMeasured()
        measured.cells[F.cell("ld.AP")] = F.measured([41.0, 41.2], status: .partial)
        let text = TerminalReport(measured).text
        #expect(text.contains("41.10 ± 0.14 (2)†"))
        #expect(text.contains("† partial"))
    }

    @Test func wideTablesWrapIntoColumnGroupsWithin120Characters() throws {
        let measured = F.simulated(try F.table("unikd/table2"))
        let lines = TerminalReport(measured).lines
        #expect(lines.allSatisfy { $0.count <= 120 })
        // Six teacher columns cannot sit side by side: several header blocks, each naming its columns.
        let headers = lines.filter { $0.hasPrefix("Row ") }
        #expect(headers.count > 1)
        for column in ["t_retina", "t_atss", "t_faster", "t_fcos", "t_reppoints", "t_ddetr"] {
            #expect(lines.contains { $0.contains(column) && $0.contains("│") })
        }
    }

    @Test func renderReportsWritesReportsAndAMergedIndex() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("analysis-reports-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        var printed = ""
        let writer = ReportWriter(outputDirectory: directory, provenance: ["code": "abc123"])
        let first = try writer.write([try F.miniMeasured()]) { printed += $0 }
        let report = directory.appendingPathComponent("reports/small/lgd-table99.md")
        let index = directory.appendingPathComponent("reports/small/README.md")
        #expect(first.map(\.standardizedFileURL.path) == [report.standardizedFileURL.path, index.standardizedFileURL.path])
        #expect(printed.contains("Published vs measured"))
        var readme = try String(contentsOf: index, encoding: .utf8)
        #expect(readme.contains("# Reproduction reports — scale small"))
        #expect(readme.contains("[99](lgd-table99.md)"))
        #expect(readme.contains("- code: abc123"))

        // Rendering another table later keeps the first one in the index.
        _ = try writer.write([F.simulated(try F.table("ld/table1a"))]) { _ in }
        readme = try String(contentsOf: index, encoding: .utf8)
        #expect(readme.contains("[99](lgd-table99.md)"))
        #expect(readme.contains("[1a](ld-table1a.md)"))
        let ldLine = try #require(readme.range(of: "[1a]")), lgdLine = try #require(readme.range(of: "[99]"))
        #expect(ldLine.lowerBound < lgdLine.lowerBound, "index in catalog order: ld before lgd")

        // A caller that names the reports directory itself gets no reports/reports/.
        let named = ReportWriter(outputDirectory: directory.appendingPathComponent("reports"))
        #expect(named.directory(scale: "small").standardizedFileURL == report.deletingLastPathComponent().standardizedFileURL)
    }

    @Test func arrowDeltasAreAnsweredWithArrows() throws {
        // LGD Table 9 prints "↑ 1.5" for a lower miss rate; the measured delta is written alike.
        let text = TerminalReport(F.simulated(try F.table("lgd/table9"))).text
        let ours = try #require(text.split(separator: "\n").first { $0.hasPrefix("Ours") })
        #expect(ours.contains("↑ 1.5"))
        #expect(ours.components(separatedBy: "↑").count - 1 == 4)
    }
}
