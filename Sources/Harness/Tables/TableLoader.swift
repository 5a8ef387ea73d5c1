import Foundation

/// Parses and validates one table file: the entry point for a single file (the catalog uses it for
/// every file under `tables/`).
public enum TableLoader {
    /// Parses `text` as the table file `file` (the name used in messages). Throws a
    /// `TableLoadError` listing every problem; returns the spec only when there are none.
    public static func parse(_ text: String, file: String, expected: TableID? = nil) throws -> TableSpec {
        let sink = DiagnosticSink(file: file)
        var parser = TableParser(sink: sink)
        let spec = parser.parse(text)
        if let spec {
            TableValidator(sink: sink).validate(spec, expected: parser.identityKnown ? expected : nil)
        }
        guard let spec, sink.isEmpty else {
            throw TableLoadError(sink.diagnostics.isEmpty
                ? [TableDiagnostic(file: file, line: 0, message: "could not be read as a table")]
                : sink.diagnostics)
        }
        return spec
    }

    /// Reads and parses the file at `url`; the expected id comes from its path
    /// (`…/ld/table6b.yaml` → ld, "6b").
    public static func load(contentsOf url: URL, displayPath: String) throws -> TableSpec {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw TableLoadError([TableDiagnostic(file: displayPath, line: 0, message: "cannot be read: \(error.localizedDescription)")])
        }
        switch expectedID(for: url) {
        case let .success(expected):
            return try parse(text, file: displayPath, expected: expected)
        case let .failure(problem):
            // Still parse, so that the file's own problems are listed alongside its misplacement.
            var diagnostics = [TableDiagnostic(file: displayPath, line: 0, message: problem.message)]
            do { _ = try parse(text, file: displayPath) } catch let error as TableLoadError {
                diagnostics += error.diagnostics
            }
            throw TableLoadError(diagnostics)
        }
    }

    struct PathProblem: Error { var message: String }

    /// The id a file's location promises: directory = paper key, name = `table<id>.yaml`.
    static func expectedID(for url: URL) -> Result<TableID, PathProblem> {
        let name = url.lastPathComponent
        let directory = url.deletingLastPathComponent().lastPathComponent
        guard name.hasPrefix("table"), name.hasSuffix(".yaml"), name.count > "table.yaml".count else {
            return .failure(PathProblem(message: "file name '\(name)' is not of the form table<id>.yaml"))
        }
        guard let paper = PaperKey(rawValue: directory) else {
            let known = PaperKey.allCases.map(\.rawValue).joined(separator: ", ")
            return .failure(PathProblem(message: "directory '\(directory)' is not a paper key (\(known))"))
        }
        let table = String(name.dropFirst("table".count).dropLast(".yaml".count))
        return .success(TableID(paper: paper, table: table))
    }
}
