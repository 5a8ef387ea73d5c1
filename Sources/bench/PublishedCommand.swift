import ArgumentParser
import Harness

/// `bench published [--json] [TABLE]`: the paper's numbers exactly as the table files hold them.
struct Published: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "published",
        abstract: "Print every published value of the selected tables.",
        discussion: """
            Without --json: each table as printed, rows × columns, cells in their printed text \
            ("-" and other text cells included).

            With --json: one JSON array of objects
              {"paper": "ld", "table": "1a", "row": <row label>, "column": <column key>, "value": <number>}
            in table order, then row order, then column order. A numeric value is written as \
            printed ("40.10" stays 40.10); a cell printed as text ("-", "✓", "168.45 GB") has \
            its text as a JSON string.
            """)

    @Flag(help: "Print one JSON array of every published cell (described above).")
    var json = false

    @Argument(help: "Tables to print: table3 (every paper's Table 3; table6 includes 6a–6g), ld/table3, ld (one paper), all. Default: all.")
    var table: String?

    @OptionGroup var tables: TablesOptions

    func run() throws {
        let catalog = try tables.loadCatalog()
        let selected = try reportingFailures { try table.map(catalog.select) ?? catalog.tables }
        if json {
            print(PublishedValuesJSON.render(selected))
            return
        }
        print(selected.map(Self.layout).joined(separator: "\n\n"))
    }

    /// Longer labels are cut so that the numbers stay on one screen line.
    static let labelWidth = 44

    /// The table's own grid: a label column, then one column per table column, right-aligned.
    static func layout(_ table: TableSpec) -> String {
        let header = ["row"] + table.columns.map(\.key)
        let body = table.rows.map { row in
            [truncate(row.label, labelWidth)] + table.columns.map { row.values[$0.key]?.printed ?? "" }
        }
        let grid = [header] + body
        let widths = header.indices.map { index in grid.map { $0[index].count }.max() ?? 0 }
        let lines = grid.map { cells in
            cells.enumerated().map { index, cell in
                index == 0 ? pad(cell, widths[index]) : pad(cell, widths[index], right: true)
            }.joined(separator: "  ").trailingSpacesRemoved
        }
        let title = "\(table.id)  \(table.paper.key.displayName) (arXiv \(table.paper.arxiv)) Table \(table.id.table): "
            + truncate(table.caption, 100)
        return ([title] + lines.map { "  " + $0 }).joined(separator: "\n")
    }
}

extension String {
    var trailingSpacesRemoved: String {
        var text = self
        while text.hasSuffix(" ") { text.removeLast() }
        return text
    }
}
