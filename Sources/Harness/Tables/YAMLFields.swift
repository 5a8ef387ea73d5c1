import Foundation
import Yams

/// The kinds of YAML scalar the table reader distinguishes, from Yams' tag resolution.
enum ScalarKind {
    case null, bool, int, float, string

    init(_ node: Node) {
        switch node.tag.rawValue {
        case Tag.Name.null.rawValue: self = .null
        case Tag.Name.bool.rawValue: self = .bool
        case Tag.Name.int.rawValue: self = .int
        case Tag.Name.float.rawValue: self = .float
        default: self = .string
        }
    }
}

extension Node {
    /// True for `null`, `~` and an empty value.
    var isNull: Bool {
        if case .scalar = self { return ScalarKind(self) == .null }
        return false
    }

    /// The scalar's text exactly as written (never a re-rendered number), or nil for a collection.
    var scalarText: String? { scalar?.string }

    var kindName: String {
        switch self {
        case .scalar: return isNull ? "null" : "a scalar"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }
}

/// Reads the fields of one YAML mapping. Every type mismatch and unknown key is reported with
/// its line and parsing carries on, so that one run lists every problem of a file.
struct MappingFields {
    let node: Node
    /// Field name, the key's node (for its line) and the value.
    let entries: [(name: String, keyNode: Node, value: Node)]
    /// How messages name this mapping: "row 'r18'", "column 'AP'", "the table".
    let context: String
    let sink: DiagnosticSink

    /// Nil (after reporting) when `node` is not a mapping.
    init?(_ node: Node, context: String, sink: DiagnosticSink) {
        guard case let .mapping(mapping) = node else {
            sink.report("\(context) must be a mapping, found \(node.kindName)", at: node)
            return nil
        }
        var entries: [(String, Node, Node)] = []
        for (key, value) in mapping {
            guard let name = key.scalarText else {
                sink.report("\(context) has a key that is \(key.kindName), not a name", at: key)
                continue
            }
            entries.append((name, key, value))
        }
        self.node = node
        self.entries = entries
        self.context = context
        self.sink = sink
    }

    var line: Int { node.line }
    var names: [String] { entries.map(\.name) }

    subscript(name: String) -> Node? {
        entries.first { $0.name == name }?.value
    }

    /// Reports each key outside `allowed`, at the key's own line.
    func rejectUnknownKeys(allowed: Set<String>, hint: String = "") {
        for entry in entries where !allowed.contains(entry.name) {
            let known = allowed.sorted().joined(separator: ", ")
            sink.report("\(context): unknown key '\(entry.name)' (known: \(known))\(hint)", at: entry.keyNode)
        }
    }

    /// A text field. Any scalar counts (`table: 3` reads as "3"); `null` counts as absent.
    func string(_ name: String, required: Bool = false) -> String? {
        guard let value = self[name], !value.isNull else {
            if required { sink.report("\(context): missing required '\(name)'", line: line) }
            return nil
        }
        guard let text = value.scalarText else {
            sink.report("\(context): '\(name)' must be text, found \(value.kindName)", at: value)
            return nil
        }
        if required, text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            sink.report("\(context): '\(name)' is empty", at: value)
            return nil
        }
        return text
    }

    func bool(_ name: String) -> Bool? {
        guard let value = self[name], !value.isNull else { return nil }
        guard ScalarKind(value) == .bool, let flag = value.bool else {
            sink.report("\(context): '\(name)' must be true or false, found '\(value.scalarText ?? value.kindName)'", at: value)
            return nil
        }
        return flag
    }

    /// A plain number (int or float). Quoted numbers are text in a table file, so they are refused.
    func number(_ name: String) -> Double? {
        guard let value = self[name], !value.isNull else { return nil }
        let kind = ScalarKind(value)
        guard kind == .int || kind == .float, let number = value.float ?? value.int.map(Double.init),
              number.isFinite
        else {
            sink.report("\(context): '\(name)' must be a number, found '\(value.scalarText ?? value.kindName)'", at: value)
            return nil
        }
        return number
    }

    func mapping(_ name: String, required: Bool = false) -> MappingFields? {
        guard let value = self[name], !value.isNull else {
            if required { sink.report("\(context): missing required '\(name)'", line: line) }
            return nil
        }
        return MappingFields(value, context: "\(context): '\(name)'", sink: sink)
    }

    func sequence(_ name: String, required: Bool = false) -> [Node]? {
        guard let value = self[name], !value.isNull else {
            if required { sink.report("\(context): missing required '\(name)'", line: line) }
            return nil
        }
        guard case let .sequence(items) = value else {
            sink.report("\(context): '\(name)' must be a list, found \(value.kindName)", at: value)
            return nil
        }
        return Array(items)
    }
}
