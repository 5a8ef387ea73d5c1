import Yams

/// Reads a table file into a `TableSpec`, reporting every structural problem with its line.
/// Cross-references (baselines, cell references, value keys) are checked afterwards by
/// `TableValidator`, on the parsed spec.
///
/// Yams' Node API is used instead of `Codable` because only nodes carry line marks, and a message
/// without a line is of little use in a 300-line table.
struct TableParser {
    static let topLevelKeys: Set<String> = [
        "paper", "table", "caption", "source", "note", "setting", "columns", "rows", "claims", "audit",
    ]
    static let paperKeys: Set<String> = ["key", "arxiv", "title"]
    static let columnKeys: Set<String> = ["key", "metric", "measured", "higher_is_better", "setting"]
    /// The setting fields the schema documents. A row may change these even when the table's own
    /// setting omits them (the README allows omitting `teacher`).
    static let documentedSettingKeys: Set<String> = [
        "dataset", "split", "schedule", "multiscale", "detector", "box_head", "student", "teacher", "distillation", "recipe",
    ]

    let sink: DiagnosticSink
    /// False after `parse` when the paper or table id could not be read: the spec returned then
    /// carries a placeholder id that must not be checked against the file name.
    private(set) var identityKnown = true

    /// Nil when the file is too broken to build a spec (the sink says why). A spec may be returned
    /// with diagnostics in the sink: parts that failed are left out so that validation can go on.
    mutating func parse(_ text: String) -> TableSpec? {
        guard let root = YAMLComposition.compose(text, sink: sink),
              let fields = MappingFields(root, context: "the table file", sink: sink)
        else { return nil }
        fields.rejectUnknownKeys(allowed: Self.topLevelKeys)

        let paper = parsePaper(fields)
        let table = fields.string("table", required: true)
        let caption = fields.string("caption", required: true)
        let source = fields.string("source", required: true)
        let note = fields.string("note")
        let setting = parseSetting(fields)
        let columnNodes = fields.sequence("columns", required: true) ?? []
        let columns = columnNodes.compactMap(parseColumn)
        // From the raw nodes, so that a column that failed to parse does not also fail every row.
        let columnKeys = Set(columnNodes.compactMap { $0["key"]?.scalarText })
        let settingKeys = Self.documentedSettingKeys.union(setting.map.map { Array($0.keys) } ?? [])
        let rowParser = RowParser(sink: sink, settingKeys: settingKeys, columnKeys: columnKeys)
        let rows = (fields.sequence("rows", required: true) ?? []).compactMap(rowParser.parse)
        let claimParser = ClaimParser(sink: sink)
        let claims = (fields.sequence("claims") ?? []).compactMap(claimParser.parse)
        let audit = parseAudit(fields)

        for column in columns {
            checkSettingChangeKeys(column.settingOverride, allowed: settingKeys, line: column.line,
                                   owner: "column '\(column.key)'")
        }

        // Whatever is missing is already reported; carry on with placeholders so that the
        // cross-reference checks still run and the author gets every problem in one pass. A
        // placeholder id is never compared with the file name.
        guard let paper, let table else {
            identityKnown = false
            return TableSpec(id: TableID(paper: .ld, table: "?"), paper: Paper(key: .ld, arxiv: "", title: ""),
                             caption: caption ?? "", source: source ?? "", note: note, setting: setting,
                             columns: columns, rows: rows, claims: claims, audit: audit, file: sink.file, idLine: 0)
        }
        return TableSpec(id: TableID(paper: paper.key, table: table), paper: paper, caption: caption ?? "",
                         source: source ?? "", note: note, setting: setting, columns: columns, rows: rows,
                         claims: claims, audit: audit, file: sink.file, idLine: fields["table"]?.line ?? 1)
    }

    private func parsePaper(_ fields: MappingFields) -> Paper? {
        guard let paper = fields.mapping("paper", required: true) else { return nil }
        paper.rejectUnknownKeys(allowed: Self.paperKeys)
        let keyText = paper.string("key", required: true)
        let arxiv = paper.string("arxiv", required: true)
        let title = paper.string("title", required: true)
        guard let keyText else { return nil }
        guard let key = PaperKey(rawValue: keyText) else {
            let known = PaperKey.allCases.map(\.rawValue).joined(separator: ", ")
            sink.report("paper key '\(keyText)' is not one of \(known)", at: paper["key"])
            return nil
        }
        guard let arxiv, let title else { return nil }
        return Paper(key: key, arxiv: arxiv, title: title)
    }

    private func parseSetting(_ fields: MappingFields) -> SettingValue {
        guard let node = fields["setting"], !node.isNull else {
            sink.report("the table: missing required 'setting'", line: fields.line)
            return .map([:])
        }
        guard case .mapping = node else {
            sink.report("the table: 'setting' must be a mapping, found \(node.kindName)", at: node)
            return .map([:])
        }
        DistillationTerms.check(node["distillation"], owner: "setting", sink: sink)
        return SettingValue(node)
    }

    private func parseColumn(_ node: Node) -> TableColumn? {
        let provisional = node["key"]?.scalarText.map { "column '\($0)'" } ?? "a column"
        guard let fields = MappingFields(node, context: provisional, sink: sink) else { return nil }
        fields.rejectUnknownKeys(allowed: Self.columnKeys)
        let key = fields.string("key", required: true)
        let metric = fields.string("metric", required: true)
        let measured = fields.bool("measured") ?? true
        let higherIsBetter = fields.bool("higher_is_better") ?? true
        var override: SettingValue?
        if let setting = fields["setting"], !setting.isNull {
            if case .mapping = setting {
                DistillationTerms.check(setting["distillation"], owner: provisional, sink: sink)
                override = SettingValue(setting)
            } else {
                sink.report("\(provisional): 'setting' must be a mapping, found \(setting.kindName)", at: setting)
            }
        }
        guard let key, let metric else { return nil }
        if let problem = KeySyntax.problem(with: key) {
            sink.report("column key '\(key)' \(problem)", at: node["key"])
        }
        return TableColumn(key: key, metric: metric, measured: measured, higherIsBetter: higherIsBetter,
                           settingOverride: override, line: fields.line)
    }

    private func checkSettingChangeKeys(_ change: SettingValue?, allowed: Set<String>, line: Int, owner: String) {
        for key in change?.map?.keys.sorted() ?? [] where !allowed.contains(key) {
            sink.report("\(owner): setting override changes '\(key)', which the table's setting does not have", line: line)
        }
    }

    private func parseAudit(_ fields: MappingFields) -> [String] {
        guard let items = fields.sequence("audit") else { return [] }
        return items.compactMap { item in
            guard let text = item.scalarText, !item.isNull else {
                sink.report("audit entries must be text, found \(item.kindName)", at: item)
                return nil
            }
            return text
        }
    }
}

/// Keys are used in messages and on command lines; row and column keys also in `row.column`
/// references, so only they must be free of dots (claim keys such as 'gain-at-eps-0.1' are fine).
enum KeySyntax {
    static func problem(with key: String, inCellReferences: Bool = true) -> String? {
        if key.isEmpty { return "is empty" }
        if inCellReferences, key.contains(".") {
            return "contains '.', which cell references (row.column) use as separator"
        }
        if key.contains(where: \.isWhitespace) { return "contains whitespace" }
        return nil
    }
}

/// `distillation` is a list of terms `{method: name, …parameters}`. Parameters are free-form (each
/// method has its own), but every term must name its method.
enum DistillationTerms {
    static func check(_ node: Node?, owner: String, sink: DiagnosticSink) {
        guard let node, !node.isNull else { return }
        guard case let .sequence(terms) = node else {
            sink.report("\(owner): 'distillation' must be a list of terms, found \(node.kindName)", at: node)
            return
        }
        for term in terms {
            guard case .mapping = term else {
                sink.report("\(owner): a distillation term must be a mapping {method: …}, found \(term.kindName)", at: term)
                continue
            }
            guard let method = term["method"], let name = method.scalarText, !method.isNull, !name.isEmpty else {
                sink.report("\(owner): a distillation term has no 'method'", at: term)
                continue
            }
        }
    }
}
