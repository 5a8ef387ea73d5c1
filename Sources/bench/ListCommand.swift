import ArgumentParser
import Harness

/// `bench list`: one line per table file, to see what the suite covers and how to name a table.
struct ListTables: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List every table: id, caption, rows × columns, number of claims.")

    @OptionGroup var tables: TablesOptions

    /// Captions run to several sentences; one line per table keeps the listing scannable.
    static let captionWidth = 64

    func run() throws {
        let catalog = try tables.loadCatalog()
        let idWidth = max(5, catalog.tables.map(\.id.description.count).max() ?? 0)
        print([pad("table", idWidth), pad("caption", Self.captionWidth), "rows × cols", "claims"].joined(separator: "  "))
        for table in catalog.tables {
            let size = "\(table.rows.count) × \(table.columns.count)"
            let claims = "\(table.claims.count)"
            print([pad(table.id.description, idWidth), pad(truncate(table.caption, Self.captionWidth), Self.captionWidth),
                   pad(size, 11, right: true), claims].joined(separator: "  "))
        }
        print("\(catalog.tables.count) tables in \(catalog.directory.path)")
    }
}

/// Cuts `text` to `width` characters (one line), marking the cut with "…".
func truncate(_ text: String, _ width: Int) -> String {
    let line = text.split(whereSeparator: \.isNewline).joined(separator: " ")
    return line.count <= width ? line : String(line.prefix(width - 1)) + "…"
}

func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
    let fill = String(repeating: " ", count: max(0, width - text.count))
    return right ? fill + text : text + fill
}
