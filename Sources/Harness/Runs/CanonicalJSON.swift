import Foundation

/// A JSON value with one canonical text: object keys sorted (by UTF-8 bytes), no whitespace,
/// integral numbers without a fraction (`10`, never `10.0`), other numbers in Swift's shortest
/// round-trip form. A run's id is the SHA-256 of this text, so it must not depend on
/// dictionary order, on how a number was written in YAML, or on the Foundation version's
/// JSONEncoder formatting (which is why the text is produced here and not by JSONEncoder).
public enum JSONValue: Hashable, Sendable, Codable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONValue].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case let .bool(value): try container.encode(value)
        case let .number(value): try container.encode(value)
        case let .string(value): try container.encode(value)
        case let .array(value): try container.encode(value)
        case let .object(value): try container.encode(value)
        }
    }

    /// Any `Encodable` as a JSON value (through JSONEncoder, whose formatting is then discarded).
    public init<T: Encodable>(encoding value: T) throws {
        let data = try JSONEncoder().encode(value)
        self = try JSONDecoder().decode(JSONValue.self, from: data)
    }

    /// Decodes a `Decodable` from this value.
    public func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONDecoder().decode(type, from: Data(canonicalText.utf8))
    }

    /// Parses JSON text.
    public static func parse(_ text: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    public var canonicalText: String {
        var output = ""
        write(to: &output)
        return output
    }

    private func write(to output: inout String) {
        switch self {
        case .null: output += "null"
        case let .bool(value): output += value ? "true" : "false"
        case let .number(value): output += JSONValue.canonicalNumber(value)
        case let .string(value): JSONValue.writeString(value, to: &output)
        case let .array(items):
            output += "["
            for (index, item) in items.enumerated() {
                if index > 0 { output += "," }
                item.write(to: &output)
            }
            output += "]"
        case let .object(entries):
            output += "{"
            // Byte order, not String's Unicode-aware order: the same on every platform.
            let keys = entries.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            for (index, key) in keys.enumerated() {
                if index > 0 { output += "," }
                JSONValue.writeString(key, to: &output)
                output += ":"
                entries[key]!.write(to: &output)
            }
            output += "}"
        }
    }

    static func canonicalNumber(_ value: Double) -> String {
        guard value.isFinite else { return "null" }  // never in a spec; JSON has no NaN
        if value == value.rounded(), abs(value) < 9_007_199_254_740_992 { return String(Int64(value)) }
        return String(value)
    }

    private static func writeString(_ text: String, to output: inout String) {
        output += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: output.unicodeScalars.append(scalar)
            }
        }
        output += "\""
    }
}

/// Table settings travel inside run specs (a distillation term's parameters), so they encode as
/// plain JSON: maps as objects, lists as arrays.
extension SettingValue: Codable {
    public init(from decoder: Decoder) throws {
        self.init(json: try JSONValue(from: decoder))
    }

    public func encode(to encoder: Encoder) throws {
        try json.encode(to: encoder)
    }

    init(json: JSONValue) {
        switch json {
        case .null: self = .null
        case let .bool(value): self = .bool(value)
        case let .number(value): self = .number(value)
        case let .string(value): self = .string(value)
        case let .array(items): self = .list(items.map(SettingValue.init(json:)))
        case let .object(entries): self = .map(entries.mapValues(SettingValue.init(json:)))
        }
    }

    var json: JSONValue {
        switch self {
        case .null: return .null
        case let .bool(value): return .bool(value)
        case let .number(value): return .number(value)
        case let .string(value): return .string(value)
        case let .list(items): return .array(items.map(\.json))
        case let .map(entries): return .object(entries.mapValues(\.json))
        }
    }
}
