import Foundation

/// Every table file under a `tables/` directory, loaded, validated and sorted (papers in the order
/// ld, rm, unikd, lgd; tables in natural order 1a < 1b < 2 < … < 10).
public struct TableCatalog: Sendable {
    public let directory: URL
    public let tables: [TableSpec]

    public init(tables: [TableSpec], directory: URL) {
        self.directory = directory
        self.tables = tables.sorted { $0.id < $1.id }
    }

    /// Loads `<directory>/*/table*.yaml`. Throws one `TableLoadError` with the problems of every
    /// malformed file (not just the first), so one run shows all that needs fixing.
    public static func load(from directory: URL) throws -> TableCatalog {
        let files = try tableFiles(in: directory)
        var tables: [TableSpec] = []
        var diagnostics: [TableDiagnostic] = []
        for file in files {
            do {
                tables.append(try TableLoader.load(contentsOf: file, displayPath: displayPath(of: file, in: directory)))
            } catch let error as TableLoadError {
                diagnostics += error.diagnostics
            }
        }
        var seen: [TableID: String] = [:]
        for table in tables {
            if let other = seen[table.id] {
                diagnostics.append(TableDiagnostic(file: table.file, line: 0, message: "declares \(table.id), as does \(other)"))
            }
            seen[table.id] = table.file
        }
        guard diagnostics.isEmpty else { throw TableLoadError(diagnostics) }
        return TableCatalog(tables: tables, directory: directory)
    }

    /// The table files in deterministic order (paper directory, then natural table order).
    static func tableFiles(in directory: URL) throws -> [URL] {
        let manager = FileManager.default
        let subdirectories = try manager.contentsOfDirectory(at: directory, includingPropertiesForKeys: [.isDirectoryKey])
            .filter { (try? $0.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true }
        var files: [URL] = []
        for subdirectory in subdirectories {
            let names = try manager.contentsOfDirectory(atPath: subdirectory.path)
                .filter { $0.hasPrefix("table") && $0.hasSuffix(".yaml") }
            files += names.map { subdirectory.appendingPathComponent($0) }
        }
        return files.sorted { lhs, rhs in
            let left = sortKey(lhs), right = sortKey(rhs)
            return left == right ? lhs.path < rhs.path : left < right
        }
    }

    private static func sortKey(_ file: URL) -> TableID {
        let paper = PaperKey(rawValue: file.deletingLastPathComponent().lastPathComponent) ?? .lgd
        let table = String(file.lastPathComponent.dropFirst("table".count).dropLast(".yaml".count))
        return TableID(paper: paper, table: table)
    }

    /// `tables/ld/table3.yaml`: relative to the directory holding `tables/`, which is how a user
    /// in the package root refers to it.
    static func displayPath(of file: URL, in directory: URL) -> String {
        let base = directory.standardizedFileURL.pathComponents
        let full = file.standardizedFileURL.pathComponents
        guard full.starts(with: base) else { return file.path }
        return ([directory.lastPathComponent] + full.dropFirst(base.count)).joined(separator: "/")
    }

    public func table(_ id: TableID) -> TableSpec? { tables.first { $0.id == id } }
}
