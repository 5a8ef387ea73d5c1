/// One published cell with everything needed to name it outside its table.
public struct PublishedCell: Sendable {
    public var table: TableID
    public var rowKey: String
    public var rowLabel: String
    public var column: String
    public var value: CellValue
}

extension TableSpec {
    /// Every printed cell, rows in printed order and, within a row, columns in printed order.
    public var publishedCells: [PublishedCell] {
        rows.flatMap { row in
            columns.compactMap { column in
                row.values[column.key].map {
                    PublishedCell(table: id, rowKey: row.key, rowLabel: row.label, column: column.key, value: $0)
                }
            }
        }
    }
}

/// The JSON form of the published values: one array of
/// `{"paper": "ld", "table": "1a", "row": <row label>, "column": <column key>, "value": <number>}`;
/// a cell printed as text ("-", "✓", "168.45 GB") has its text as a JSON string value, so every
/// table, the qualitative UniKD Table 1 included, is covered. One object per line so that the
/// output diffs well, in catalog order. Written by hand to fix the key order and the numbers'
/// spelling: a value is written as printed ("40.10" stays 40.10) whenever that is valid JSON.
public enum PublishedValuesJSON {
    public static func render(_ tables: [TableSpec]) -> String {
        let objects = tables.flatMap(\.publishedCells).map { cell -> String in
            let value = cell.value.number.map { numberLiteral(printed: cell.value.printed, value: $0) }
                ?? string(cell.value.printed)
            let fields = [
                ("paper", string(cell.table.paper.rawValue)),
                ("table", string(cell.table.table)),
                ("row", string(cell.rowLabel)),
                ("column", string(cell.column)),
                ("value", value),
            ]
            return "{" + fields.map { "\(string($0.0)): \($0.1)" }.joined(separator: ", ") + "}"
        }
        guard !objects.isEmpty else { return "[]" }
        return "[\n" + objects.map { "  " + $0 }.joined(separator: ",\n") + "\n]"
    }

    /// The printed text if it is a JSON number literal (no "+", no leading "."); otherwise the
    /// shortest decimal that reads back as the same Double.
    static func numberLiteral(printed: String, value: Double) -> String {
        if isJSONNumber(printed) { return printed }
        return SettingValue.format(value)
    }

    static func isJSONNumber(_ text: String) -> Bool {
        var chars = Substring(text)
        if chars.first == "-" { chars = chars.dropFirst() }
        let whole = chars.prefix { $0.isASCII && $0.isNumber }
        guard !whole.isEmpty, whole == "0" || whole.first != "0" else { return false }
        chars = chars.dropFirst(whole.count)
        if chars.first == "." {
            let fraction = chars.dropFirst().prefix { $0.isASCII && $0.isNumber }
            guard !fraction.isEmpty else { return false }
            chars = chars.dropFirst(1 + fraction.count)
        }
        if let e = chars.first, e == "e" || e == "E" {
            chars = chars.dropFirst()
            if let sign = chars.first, sign == "+" || sign == "-" { chars = chars.dropFirst() }
            let exponent = chars.prefix { $0.isASCII && $0.isNumber }
            guard !exponent.isEmpty else { return false }
            chars = chars.dropFirst(exponent.count)
        }
        return chars.isEmpty
    }

    /// A JSON string literal; non-ASCII text (τ, →, ✓) is kept as UTF-8, as JSON allows.
    static func string(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let c where c.value < 0x20:
                let hex = String(c.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
