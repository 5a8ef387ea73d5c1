/// The Markdown report of one table (`reports/<scale>/<paper>-table<id>.md`): the table in its own
/// layout with published and measured values in each cell, why any cell has no number, how many
/// validation objects the size columns average over, then the claims with their verdicts and
/// evidence, then the paper audit.
public struct MarkdownReport {
    public var measured: MeasuredTable
    public var provenance: [String: String]
    public var level: Double

    public init(_ measured: MeasuredTable, provenance: [String: String] = [:], level: Double = 0.95) {
        self.measured = measured
        self.provenance = provenance
        self.level = level
    }

    /// `ld-table1a.md`.
    public static func fileName(for id: TableID) -> String { "\(id.paper.rawValue)-table\(id.table).md" }

    public var text: String {
        let sections = ReportSections(measured, provenance: provenance, level: level)
        let grid = ReportGrid(measured, level: level)
        let table = measured.table
        var out: [String] = []
        out.append("# \(Self.escape(sections.title)) — Table \(table.id.table)")
        out.append("")
        out.append("- **Paper:** \(Self.escape(table.paper.title)) (\(table.paper.key.displayName), arXiv \(table.paper.arxiv))")
        out.append("- **Table:** \(table.id.table), `\(table.file)`")
        out.append("- **Caption:** \(Self.escape(table.caption))")
        let seeds = measured.seeds
        out.append("- **Scale:** \(Self.escape(measured.scale))\(measured.isSmoke ? " (smoke: no verdicts)" : ""); **seeds:** "
            + (seeds.isEmpty ? "none yet" : seeds.map(String.init).joined(separator: ", ") + " (\(seeds.count))")
            + "; \(ConfidenceInterval.levelText(level)) Student-t confidence intervals, paired by seed")
        for item in sections.provenanceItems { out.append("- Provenance — \(Self.escape(item))") }

        out += ["", "## Published vs measured", ""]
        var legend = "Each cell: published → measured mean ± sample std (n seeds)"
        if grid.hasDeltas {
            legend += "; on a second line, for rows with a baseline: Δ published (as printed, or computed from the printed cells) "
                + "→ Δ measured (paired mean over shared seeds ± \(ConfidenceInterval.levelText(level)) CI half-width)"
        }
        legend += ". — = not run yet; · = not printed in the paper"
        if grid.hasPartialCells { legend += "; \(CellText.partialMark) = partial (some seeds still planned or running)" }
        out.append(Self.escape(legend) + ".")
        out.append("")
        out.append("| Row | " + grid.columns.map { Self.escape($0.key) }.joined(separator: " | ") + " |")
        out.append("|---|" + grid.columns.map { _ in "---:|" }.joined())
        for row in grid.rows {
            let cells = row.cells.map { cell -> String in
                var text = "\(Self.escape(cell.published.isEmpty ? "·" : cell.published)) → \(Self.escape(cell.measured))"
                if let published = cell.publishedDelta, let measuredDelta = cell.measuredDelta {
                    text += "<br>Δ \(Self.escape(published.isEmpty ? "·" : published)) → \(Self.escape(measuredDelta))"
                }
                return text
            }
            out.append("| \(Self.escape(row.spec.label)) | " + cells.joined(separator: " | ") + " |")
        }

        let withoutNumbers = sections.cellsWithoutNumbers
        if !withoutNumbers.isEmpty {
            out += ["", "## Cells without a number", ""]
            for (label, reasons) in withoutNumbers {
                out.append("- **\(Self.escape(label))**: " + reasons.map(Self.escape).joined(separator: "; "))
            }
        }

        if !measured.objectSizes.isEmpty {
            out += ["", "## \(ObjectSizeText.heading)", "", Self.escape(ObjectSizeText.intro), ""]
            for line in ObjectSizeText.lines(measured.objectSizes) { out.append("- " + Self.escape(line)) }
        }

        out += ["", "## Claims (\(sections.verdictTally))", ""]
        if sections.verdicts.isEmpty { out.append("The table file encodes no claim.") }
        if !sections.verdicts.isEmpty {
            out.append("| Verdict | Claim | Source |")
            out.append("|---|---|---|")
            for claim in sections.verdicts {
                out.append("| **\(claim.verdict)** | \(Self.escape(claim.claim.key)) | \(Self.escape(claim.claim.source)) |")
            }
        }
        for (claim, items) in sections.evidence {
            out += ["", "### \(Self.escape(claim.claim.key)): \(claim.verdict)", ""]
            out.append("> \(Self.escape(claim.claim.says))")
            out.append("")
            out.append(Self.escape(claim.reason) + ".")
            if !claim.holdsOnPublishedValues {
                out.append("")
                out.append("⚠ The claim does not hold on the paper's own numbers (see the audit).")
            }
            out.append("")
            for item in items { out += Self.render(item, depth: 0) }
        }

        let audit = sections.auditItems
        out += ["", "## Paper audit", ""]
        if audit.isEmpty { out.append("Nothing recorded.") }
        for item in audit { out.append("- " + Self.escape(item)) }
        return out.joined(separator: "\n") + "\n"
    }

    private static func render(_ item: ReportSections.EvidenceItem, depth: Int) -> [String] {
        let indent = String(repeating: "  ", count: depth)
        var lines = ["\(indent)- **\(item.verdict)** `\(item.subject)`: \(escape(item.detail))"]
        for child in item.children { lines += render(child, depth: depth + 1) }
        return lines
    }

    /// Keeps table cells and inline text intact: `|` would end a cell, and `*`, `_`, `<` would
    /// start markup the paper's labels never meant.
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "|": out += "\\|"
            case "*", "_", "`", "<", ">", "[", "]": out += "\\" + String(character)
            case "\n": out += " "
            default: out.append(character)
            }
        }
        return out
    }
}
