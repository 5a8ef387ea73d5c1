/// A value of a table's `setting` (or of a row's or column's change to it): the generic nested
/// shape of YAML. The harness reads the fields it knows (`dataset`, `student.backbone`, the
/// `distillation` terms…) and leaves the rest alone, so a table may carry parameters that no code
/// understands yet without failing to load.
public enum SettingValue: Hashable, Sendable {
    case null
    case bool(Bool)
    /// Integers and reals alike: `temperature: 10` and `temperature: 10.0` are the same setting,
    /// which matters once run specs are hashed.
    case number(Double)
    case string(String)
    case list([SettingValue])
    /// Key order carries no meaning in a setting, so a dictionary (canonical forms sort keys).
    case map([String: SettingValue])

    public subscript(key: String) -> SettingValue? {
        guard case let .map(entries) = self else { return nil }
        return entries[key]
    }

    /// Follows a dotted path: `setting["student.backbone"]` style lookups for the planner.
    public func value(at path: String) -> SettingValue? {
        var current: SettingValue? = self
        for component in path.split(separator: ".") {
            current = current?[String(component)]
        }
        return current
    }

    public var string: String? {
        if case let .string(text) = self { return text }
        return nil
    }

    public var number: Double? {
        if case let .number(value) = self { return value }
        return nil
    }

    public var bool: Bool? {
        if case let .bool(value) = self { return value }
        return nil
    }

    public var list: [SettingValue]? {
        if case let .list(items) = self { return items }
        return nil
    }

    public var map: [String: SettingValue]? {
        if case let .map(entries) = self { return entries }
        return nil
    }
}

extension SettingValue: CustomStringConvertible {
    /// A compact, deterministic flow-YAML rendering (keys sorted), for messages and listings.
    public var description: String {
        switch self {
        case .null: return "null"
        case let .bool(value): return value ? "true" : "false"
        case let .number(value): return SettingValue.format(value)
        case let .string(text): return text
        case let .list(items): return "[" + items.map(\.description).joined(separator: ", ") + "]"
        case let .map(entries):
            let body = entries.keys.sorted().map { "\($0): \(entries[$0]!.description)" }
            return "{" + body.joined(separator: ", ") + "}"
        }
    }

    /// Integers print without a trailing `.0` (`10`, not `10.0`).
    static func format(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}
