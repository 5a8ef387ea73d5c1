/// The plain-text report of one table for the terminal: aligned columns, at most `width`
/// characters a line, wide tables split into column groups.
public struct TerminalReport {
    public var measured: MeasuredTable
    public var provenance: [String: String]
    public var level: Double
    public var width: Int

    public init(_ measured: MeasuredTable, provenance: [String: String] = [:], level: Double = 0.95, width: Int = 120) {
        self.measured = measured
        self.provenance = provenance
        self.level = level
        self.width = width
    }

    public var text: String { lines.joined(separator: "\n") + "\n" }

    public var lines: [String] {
        let sections = ReportSections(measured, provenance: provenance, level: level)
        let grid = ReportGrid(measured, level: level)
        var lines = [String(repeating: "═", count: width)]
        lines += TextWrapping.wrap(sections.title, width: width)
        lines.append(sections.identity)
        lines += TextWrapping.hanging(measured.table.caption, first: "Caption: ", rest: "         ", width: width)
        lines += TextWrapping.hanging(sections.scaleLine, first: "", rest: "  ", width: width)
        if !sections.provenanceItems.isEmpty {
            lines += TextWrapping.hanging(sections.provenanceItems.joined(separator: " · "), first: "Provenance: ", rest: "            ", width: width)
        }

        lines += ["", "Published vs measured", ""]
        lines += TerminalTableLayout(grid: grid, width: width).render()
        lines.append("")
        for legend in grid.legend(level: level) {
            lines += TextWrapping.hanging(legend, first: "  ", rest: "    ", width: width)
        }

        let withoutNumbers = sections.cellsWithoutNumbers
        if !withoutNumbers.isEmpty {
            lines += ["", "Cells without a number"]
            for (label, reasons) in withoutNumbers {
                lines += TextWrapping.hanging("\(label): " + reasons.joined(separator: "; "), first: "  - ", rest: "    ", width: width)
            }
        }

        if !measured.objectSizes.isEmpty {
            lines += ["", ObjectSizeText.heading]
            lines += TextWrapping.hanging(ObjectSizeText.intro, first: "  ", rest: "  ", width: width)
            for line in ObjectSizeText.lines(measured.objectSizes) {
                lines += TextWrapping.hanging(line, first: "  - ", rest: "    ", width: width)
            }
        }

        lines += ["", "Claims (\(sections.verdictTally))"]
        if sections.verdicts.isEmpty { lines.append("  The table file encodes no claim.") }
        for (claim, items) in sections.evidence {
            lines.append("")
            let indent = String(repeating: " ", count: 23)
            lines += TextWrapping.hanging("\(claim.claim.key)  (\(claim.claim.source))",
                                          first: "  " + TextWrapping.pad("[\(claim.verdict)]", to: 21), rest: indent + " ", width: width)
            lines += TextWrapping.hanging("“\(claim.claim.says)”", first: indent, rest: indent + " ", width: width)
            lines += TextWrapping.hanging(claim.reason, first: indent, rest: indent + "  ", width: width)
            if !claim.holdsOnPublishedValues {
                lines.append(indent + "⚠ the claim does not hold on the paper's own numbers (see the audit)")
            }
            // Subjects padded to a common width, so that the numbers of a claim line up.
            let subjects = items.flatMap { [$0.subject] + $0.children.map(\.subject) }
            let subjectWidth = min(44, subjects.map(\.count).max() ?? 0)
            for item in items { lines += render(item, depth: 0, subjectWidth: subjectWidth) }
        }

        let audit = sections.auditItems
        lines += ["", "Paper audit"]
        if audit.isEmpty { lines.append("  Nothing recorded.") }
        for item in audit { lines += TextWrapping.hanging(item, first: "  - ", rest: "    ", width: width) }
        return lines
    }

    private func render(_ item: ReportSections.EvidenceItem, depth: Int, subjectWidth: Int) -> [String] {
        let indent = String(repeating: "  ", count: 2 + depth)
        // The longest verdict, "smoke: no verdict", plus two spaces.
        let prefix = indent + TextWrapping.pad(item.verdict.rawValue, to: 19)
        let head = prefix + TextWrapping.pad(item.subject, to: subjectWidth - 2 * depth)
        let detailIndent = indent + String(repeating: " ", count: 23)
        var lines: [String]
        if head.count + 2 + min(item.detail.count, 30) <= width {
            // Continuation lines start under the detail's first word when that leaves room.
            let under = String(repeating: " ", count: head.count + 2)
            lines = TextWrapping.hanging(item.detail, first: head + "  ", rest: width - under.count >= 40 ? under : detailIndent, width: width)
        } else {
            // A long subject leaves no room: the subject wraps on its own, the detail goes below.
            lines = TextWrapping.hanging(item.subject, first: prefix, rest: String(repeating: " ", count: prefix.count + 2), width: width)
            lines += TextWrapping.hanging(item.detail, first: detailIndent, rest: detailIndent + "  ", width: width)
        }
        for child in item.children { lines += render(child, depth: depth + 1, subjectWidth: subjectWidth) }
        return lines
    }
}
