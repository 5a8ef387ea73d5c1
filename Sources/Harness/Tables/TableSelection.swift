/// A table name typed on the command line matched nothing.
public struct TableSelectionError: Error, CustomStringConvertible {
    public var name: String
    public var closeMatches: [String]

    public var description: String {
        var message = "no table matches '\(name)'"
        if !closeMatches.isEmpty { message += "; close matches: " + closeMatches.joined(separator: ", ") }
        return message + " (`bench list` shows every table)"
    }
}

extension TableCatalog {
    /// The tables a name selects, in catalog order:
    /// - `table3` (or `3`): every paper's Table 3; a bare number also takes its lettered parts, so
    ///   `table1` is ld 1a–1c plus rm, unikd and lgd Table 1, and `table6` includes unikd 6a–6g;
    /// - `table6b`: every paper's Table 6b only;
    /// - `ld/table3` (or `ld/3`, `tables/ld/table3.yaml`): one paper's;
    /// - `ld`: all of one paper's tables; `all`: every table.
    public func select(_ name: String) throws -> [TableSpec] {
        var query = name.trimmingCharacters(in: .whitespaces).lowercased()
        if query.hasPrefix("tables/") { query.removeFirst("tables/".count) }
        if query.hasSuffix(".yaml") { query.removeLast(".yaml".count) }
        if query == "all" { return tables }

        var paper: PaperKey?
        var tablePart = query
        if let slash = query.firstIndex(of: "/") {
            paper = PaperKey(rawValue: String(query[..<slash]))
            tablePart = String(query[query.index(after: slash)...])
            if paper == nil { throw selectionError(name) }
        } else if let wholePaper = PaperKey(rawValue: query) {
            return tables.filter { $0.id.paper == wholePaper }
        }
        if paper != nil, tablePart.isEmpty {
            return tables.filter { $0.id.paper == paper }
        }
        if tablePart.hasPrefix("table") { tablePart.removeFirst("table".count) }

        let selected = tables.filter { table in
            (paper == nil || table.id.paper == paper) && Self.id(table.id.table, matches: tablePart)
        }
        guard !selected.isEmpty else { throw selectionError(name) }
        return selected
    }

    /// "6" matches "6" and "6a"…"6g"; "6b" matches only "6b".
    static func id(_ table: String, matches query: String) -> Bool {
        let table = table.lowercased()
        if table == query { return true }
        guard !query.isEmpty, query.allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
        let key = TableID.naturalKey(table)
        return key.number.map(String.init) == query && key.suffix.allSatisfy(\.isLetter)
    }

    private func selectionError(_ name: String) -> TableSelectionError {
        var candidates = tables.map(\.id.description)
        for table in tables where !candidates.contains("table\(table.id.table)") {
            candidates.append("table\(table.id.table)")
        }
        candidates += PaperKey.allCases.map(\.rawValue)
        return TableSelectionError(name: name, closeMatches: ClosestNames.matches(for: name, among: candidates))
    }
}
