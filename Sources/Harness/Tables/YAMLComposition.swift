import Yams

/// Turns the text of a table file into a YAML node tree with line marks. Anchors and aliases are
/// resolved by Yams' composer (an alias becomes the anchored node, marks and all); YAML merge keys
/// (`<<: *defaults`) are expanded here because the composer leaves them as ordinary keys.
enum YAMLComposition {
    static func compose(_ text: String, sink: DiagnosticSink) -> Node? {
        do {
            guard let root = try Yams.compose(yaml: text) else {
                sink.report("the file is empty", line: 0)
                return nil
            }
            return expandingMergeKeys(root)
        } catch let error as YamlError {
            let (line, message) = describe(error)
            sink.report("YAML syntax: \(message)", line: line)
        } catch {
            sink.report("YAML syntax: \(error)", line: 0)
        }
        return nil
    }

    /// Keeps the message's first line (Yams appends a source snippet) and pulls the line number out.
    private static func describe(_ error: YamlError) -> (Int, String) {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            let prefix = context.map { $0.text + " (line \($0.mark.line)), " } ?? ""
            return (mark.line, prefix + problem)
        case let .duplicatedKeysInMapping(duplicates, context):
            return (context.mark.line, "duplicate key \(duplicates.map { "'\($0)'" }.joined(separator: ", ")) in one mapping")
        default:
            let firstLine = String(describing: error).split(separator: "\n").first.map(String.init) ?? ""
            return (0, firstLine)
        }
    }

    /// `<<: *anchor` (or `<<: [*a, *b]`) copies the anchored mapping's keys that the mapping does
    /// not set itself; earlier merge sources win over later ones, as in the YAML 1.1 merge spec.
    static func expandingMergeKeys(_ node: Node) -> Node {
        switch node {
        case let .mapping(mapping):
            var own: [(Node, Node)] = []
            var merged: [(Node, Node)] = []
            for (key, value) in mapping {
                if key.scalar?.style == .plain, key.scalarText == "<<" {
                    let sources: [Node]
                    if case let .sequence(items) = value { sources = Array(items) } else { sources = [value] }
                    for case let .mapping(source) in sources.map(expandingMergeKeys) {
                        merged.append(contentsOf: source.map { ($0.key, $0.value) })
                    }
                } else {
                    own.append((key, expandingMergeKeys(value)))
                }
            }
            var seen = Set(own.compactMap { $0.0.scalarText })
            for (key, value) in merged {
                guard let name = key.scalarText, !seen.contains(name) else { continue }
                seen.insert(name)
                own.append((key, value))
            }
            return .mapping(Node.Mapping(own, mapping.tag, mapping.style, mapping.mark, mapping.anchor))
        case let .sequence(sequence):
            return .sequence(Node.Sequence(sequence.map(expandingMergeKeys), sequence.tag, sequence.style,
                                           sequence.mark, sequence.anchor))
        case .scalar, .alias:
            return node
        }
    }
}

extension SettingValue {
    /// A setting is free-form: any YAML converts. Scalars keep their YAML type (`false` is a bool,
    /// `10` a number, `1x` and `"4e"` strings).
    init(_ node: Node) {
        switch node {
        case .scalar:
            switch ScalarKind(node) {
            case .null: self = .null
            case .bool: self = node.bool.map(SettingValue.bool) ?? .string(node.scalarText ?? "")
            case .int, .float:
                if let number = node.float ?? node.int.map(Double.init), number.isFinite {
                    self = .number(number)
                } else {
                    self = .string(node.scalarText ?? "")
                }
            case .string: self = .string(node.scalarText ?? "")
            }
        case let .mapping(mapping):
            var entries: [String: SettingValue] = [:]
            for (key, value) in mapping {
                entries[key.scalarText ?? String(describing: key)] = SettingValue(value)
            }
            self = .map(entries)
        case let .sequence(items):
            self = .list(items.map(SettingValue.init))
        case .alias:
            // Yams' composer resolves aliases before we see the tree; kept total for safety.
            self = .null
        }
    }
}
