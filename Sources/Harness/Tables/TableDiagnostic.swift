import Yams

/// One problem found in a table file, located to the line so that its author can jump to it:
/// `tables/ld/table3.yaml:42: claim 'x' refers to unknown row 'r19'`.
public struct TableDiagnostic: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file as shown to the user (`tables/ld/table3.yaml`), not necessarily an absolute path.
    public var file: String
    /// 1-based line; 0 when the problem concerns the file as a whole.
    public var line: Int
    public var message: String

    public init(file: String, line: Int, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        line > 0 ? "\(file):\(line): \(message)" : "\(file): \(message)"
    }
}

/// Every problem found while loading one or more table files. Loading never stops at the first
/// problem: an author fixing a file wants the whole list in one go.
public struct TableLoadError: Error, CustomStringConvertible {
    public var diagnostics: [TableDiagnostic]

    public init(_ diagnostics: [TableDiagnostic]) {
        self.diagnostics = diagnostics
    }

    public var description: String {
        let files = Set(diagnostics.map(\.file)).count
        let header = "\(diagnostics.count) problem\(diagnostics.count == 1 ? "" : "s") in \(files) table file\(files == 1 ? "" : "s"):"
        return ([header] + diagnostics.map { "  " + $0.description }).joined(separator: "\n")
    }
}

/// Collects the diagnostics of one file while it is parsed and validated. A class so that the
/// many small parsing helpers can share it without threading `inout` through every call.
final class DiagnosticSink {
    let file: String
    private(set) var diagnostics: [TableDiagnostic] = []

    init(file: String) {
        self.file = file
    }

    func report(_ message: String, line: Int) {
        diagnostics.append(TableDiagnostic(file: file, line: line, message: message))
    }

    func report(_ message: String, at node: Node?) {
        report(message, line: node?.line ?? 0)
    }

    var isEmpty: Bool { diagnostics.isEmpty }
}

extension Node {
    /// The node's 1-based line. An alias resolves to the anchored node, so a problem inside an
    /// aliased value is reported at the anchor's line: that is where it has to be fixed.
    var line: Int { mark?.line ?? 0 }
}
