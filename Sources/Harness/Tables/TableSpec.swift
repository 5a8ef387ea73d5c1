/// One published table, as declared in `tables/<paper>/table<id>.yaml`: the paper's numbers, the
/// setting each row runs under and the paper's claims. Measured numbers never live here.
public struct TableSpec: Sendable {
    public var id: TableID
    public var paper: Paper
    public var caption: String
    /// Where the prose discussing the table is ("ld.md §4.2 …").
    public var source: String
    public var note: String?
    /// Shared by every row; always a `.map`.
    public var setting: SettingValue
    /// In printed order.
    public var columns: [TableColumn]
    /// In printed order.
    public var rows: [TableRow]
    public var claims: [Claim]
    /// Inconsistencies (or confirmed consistencies) found in the paper by the file's author.
    public var audit: [String]
    /// The file as shown in messages (`tables/ld/table3.yaml`).
    public var file: String
    /// Line of the `table:` field, where a disagreement with the file name is reported.
    public var idLine: Int

    public func row(_ key: String) -> TableRow? { rows.first { $0.key == key } }
    public func column(_ key: String) -> TableColumn? { columns.first { $0.key == key } }

    /// The published value of a cell, if the table prints one.
    public func value(_ cell: CellReference) -> CellValue? { row(cell.row)?.values[cell.column] }
}

/// A column: what is measured, in which direction it improves, and optionally a change of the
/// setting for this column's cells only (ld Table 2's VOC columns, rm Table 3's teacher pairs).
public struct TableColumn: Sendable {
    public var key: String
    /// The quantity the harness measures ("AP", "AP50", "mMR", "params"…).
    public var metric: String
    /// `false` for columns that are reported only (parameter counts, check marks): never compared.
    public var measured: Bool
    /// `false` for error rates, miss rates and costs.
    public var higherIsBetter: Bool
    /// Merged into the setting for this column's cells (a `.map`), if any.
    public var settingOverride: SettingValue?
    public var line: Int
}

/// What a row is, when it is not simply "a student trained under the row's setting".
public enum RowRole: String, CaseIterable, Sendable {
    /// Each cell is the column's teacher model itself, trained without distillation (the teacher
    /// APs printed in a header, rm Table 3 and UniKD Tables 2 and 5).
    case teacher
}

/// A row: its label as printed, the change it makes to the setting, and its published cells.
public struct TableRow: Sendable {
    public var key: String
    public var label: String
    /// Every field of the row that is not one of `TableRow.reservedFields`, as a `.map`.
    public var settingChanges: SettingValue
    /// Column key → published value. Not every row prints every column.
    public var values: [String: CellValue]
    /// Column key → why the reading of that cell needed judgement.
    public var notes: [String: String]
    public var note: String?
    /// The row this row's gains are measured against.
    public var baseline: String?
    /// Column key → the difference printed in the table or the prose ("+1.7").
    public var printedDeltas: [String: PrintedDelta]
    /// The paper copied the row from another paper (rm's "*" and "†" rows).
    public var borrowed: Bool
    /// Why the row cannot be encoded (a label whose meaning the extraction lost): its cells run
    /// nothing and say so, instead of measuring a guess.
    public var unresolved: String?
    public var role: RowRole?
    public var line: Int
    /// Line of each of the row's own fields (`baseline`, `values`…), for messages about them.
    public var fieldLines: [String: Int]
    /// Line of each published value and printed delta, for the audit's messages.
    public var valueLines: [String: Int]
    public var deltaLines: [String: Int]

    /// The row fields that describe the row itself; every other field changes the setting.
    public static let reservedFields: Set<String> = [
        "key", "label", "values", "notes", "note", "baseline", "printed_deltas", "borrowed", "role",
        "unresolved",
    ]
}
