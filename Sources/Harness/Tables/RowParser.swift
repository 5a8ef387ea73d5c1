import Foundation
import Yams

/// Reads one entry of `rows:`. A row's own fields are the reserved ones (`TableRow.reservedFields`);
/// every other field is a change to the setting, and must name a setting field so that a typo
/// (`distilation:`) is an error rather than a silently ignored parameter. Inside a change anything
/// goes: methods have parameters the harness does not know yet.
struct RowParser {
    let sink: DiagnosticSink
    /// Top-level setting fields a row may change.
    let settingKeys: Set<String>
    /// Keys of the table's columns: `values`, `notes` and `printed_deltas` may name only these.
    let columnKeys: Set<String>

    func parse(_ node: Node) -> TableRow? {
        let context = node["key"]?.scalarText.map { "row '\($0)'" } ?? "a row"
        guard let fields = MappingFields(node, context: context, sink: sink) else { return nil }

        var changes: [String: SettingValue] = [:]
        for entry in fields.entries where !TableRow.reservedFields.contains(entry.name) {
            guard settingKeys.contains(entry.name) else {
                let reserved = TableRow.reservedFields.sorted().joined(separator: ", ")
                let setting = settingKeys.sorted().joined(separator: ", ")
                sink.report("\(context): unknown key '\(entry.name)' (row fields: \(reserved); "
                            + "setting fields a row may change: \(setting))", at: entry.keyNode)
                continue
            }
            if entry.name == "distillation" {
                DistillationTerms.check(entry.value, owner: context, sink: sink)
            }
            changes[entry.name] = SettingValue(entry.value)
        }

        let key = fields.string("key", required: true)
        let label = fields.string("label", required: true)
        let note = fields.string("note")
        let baseline = fields.string("baseline")
        let borrowed = fields.bool("borrowed") ?? false
        let unresolved = fields.string("unresolved")
        if unresolved?.trimmingCharacters(in: .whitespaces).isEmpty == true {
            sink.report("\(context): unresolved needs the reason the row cannot be encoded", at: fields["unresolved"])
        }
        let role = parseRole(fields)
        var valueLines: [String: Int] = [:]
        var values: [String: CellValue] = [:]
        if let valueFields = fields.mapping("values", required: true) {
            for entry in valueFields.entries {
                checkColumn(entry.name, in: "values", at: entry.keyNode, context: context)
                valueLines[entry.name] = entry.value.line
                if let cell = parseCell(entry.value, column: entry.name, context: context) {
                    values[entry.name] = cell
                }
            }
        }
        let notes = parseNotes(fields, context: context)
        var deltaLines: [String: Int] = [:]
        var deltas: [String: PrintedDelta] = [:]
        if let deltaFields = fields.mapping("printed_deltas") {
            for entry in deltaFields.entries {
                checkColumn(entry.name, in: "printed_deltas", at: entry.keyNode, context: context)
                deltaLines[entry.name] = entry.value.line
                guard let text = entry.value.scalarText, !entry.value.isNull, let delta = PrintedDelta(text) else {
                    sink.report("\(context): printed delta for '\(entry.name)' is not a difference like \"+1.7\", "
                                + "\"-0.2\" or \"↑ 1.5\": '\(entry.value.scalarText ?? entry.value.kindName)'", at: entry.value)
                    continue
                }
                deltas[entry.name] = delta
            }
        }

        guard let key, let label else { return nil }
        if let problem = KeySyntax.problem(with: key) {
            sink.report("row key '\(key)' \(problem)", at: node["key"])
        }
        return TableRow(key: key, label: label, settingChanges: .map(changes), values: values, notes: notes,
                        note: note, baseline: baseline, printedDeltas: deltas, borrowed: borrowed, unresolved: unresolved, role: role,
                        line: fields.line,
                        fieldLines: Dictionary(fields.entries.map { ($0.name, $0.value.line) }, uniquingKeysWith: { a, _ in a }),
                        valueLines: valueLines, deltaLines: deltaLines)
    }

    /// A number stays a number with its printed text; text cells ("-", "✓") stay text. A quoted
    /// number is refused: it would silently drop out of every comparison.
    private func parseCell(_ node: Node, column: String, context: String) -> CellValue? {
        guard case let .scalar(scalar) = node else {
            sink.report("\(context): value of '\(column)' must be a number or quoted text, found \(node.kindName)", at: node)
            return nil
        }
        let text = scalar.string
        switch ScalarKind(node) {
        case .null:
            sink.report("\(context): value of '\(column)' is empty; write \"-\" for a printed dash, or leave the column out", at: node)
            return nil
        case .int, .float:
            guard let number = Double(text.replacingOccurrences(of: "_", with: "")), number.isFinite else {
                sink.report("\(context): value of '\(column)' is not a finite decimal number: '\(text)'", at: node)
                return nil
            }
            return .number(number, printed: text)
        case .bool, .string:
            if scalar.style != .plain, Double(text) != nil || PrintedDecimal(text) != nil {
                sink.report("\(context): value of '\(column)' is the quoted number \"\(text)\"; write numbers unquoted "
                            + "(the printed text is kept either way)", at: node)
                return nil
            }
            return .text(text)
        }
    }

    private func parseNotes(_ fields: MappingFields, context: String) -> [String: String] {
        guard let noteFields = fields.mapping("notes") else { return [:] }
        var notes: [String: String] = [:]
        for entry in noteFields.entries {
            checkColumn(entry.name, in: "notes", at: entry.keyNode, context: context)
            guard let text = entry.value.scalarText, !entry.value.isNull else {
                sink.report("\(context): note for '\(entry.name)' must be text, found \(entry.value.kindName)", at: entry.value)
                continue
            }
            notes[entry.name] = text
        }
        return notes
    }

    private func checkColumn(_ name: String, in field: String, at node: Node, context: String) {
        guard !columnKeys.contains(name) else { return }
        let near = ClosestNames.matches(for: name, among: columnKeys.sorted())
        let hint = near.isEmpty ? "" : " (did you mean \(near.map { "'\($0)'" }.joined(separator: ", "))?)"
        sink.report("\(context): \(field) names unknown column '\(name)'\(hint)", at: node)
    }

    private func parseRole(_ fields: MappingFields) -> RowRole? {
        guard let text = fields.string("role") else { return nil }
        guard let role = RowRole(rawValue: text) else {
            let known = RowRole.allCases.map(\.rawValue).joined(separator: ", ")
            sink.report("\(fields.context): role '\(text)' is not one of: \(known)", at: fields["role"])
            return nil
        }
        return role
    }
}
