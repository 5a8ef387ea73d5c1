/// How a change is laid over a setting: the one rule used for the column overrides and the row
/// changes alike, so that a table reads the same way everywhere.
///
/// - maps merge key by key, recursively (`student: {backbone: resnet18}` keeps the student's other
///   fields);
/// - lists and scalars replace (a row's `distillation` list is the row's whole scheme, never
///   appended to the table's);
/// - `null` removes the key (`teacher: null` = this row trains without a teacher). Because nulls
///   are consumed by the merge, a resolved setting never contains `null`: absent and null mean
///   the same thing.
extension SettingValue {
    public func applying(_ change: SettingValue) -> SettingValue {
        guard case let .map(changes) = change else {
            return change.removingNulls()
        }
        var merged: [String: SettingValue]
        if case let .map(entries) = self { merged = entries } else { merged = [:] }
        for (key, value) in changes {
            if value == .null {
                merged[key] = nil
            } else if let existing = merged[key] {
                merged[key] = existing.applying(value)
            } else {
                merged[key] = SettingValue.map([:]).applying(value)
            }
        }
        return .map(merged)
    }

    /// A value laid over nothing: nulls inside maps disappear, so `{schedule: null}` written where
    /// the setting has no such map still resolves to `{}`.
    func removingNulls() -> SettingValue {
        switch self {
        case let .map(entries):
            return .map(entries.compactMapValues { $0 == .null ? nil : $0.removingNulls() })
        case let .list(items):
            return .list(items.map { $0.removingNulls() })
        default:
            return self
        }
    }
}

extension TableSpec {
    /// The setting a cell is trained and evaluated under: the table's setting, then the column's
    /// override (ld Table 2's VOC columns), then the row's own changes. The row comes last because
    /// it is the most specific statement: rm Table 3's student row says `teacher: null` and that
    /// must win over a column that names the column's teacher.
    public func effectiveSetting(row: TableRow, column: TableColumn) -> SettingValue {
        SettingValue.map([:])
            .applying(setting)
            .applying(column.settingOverride ?? .map([:]))
            .applying(row.settingChanges)
    }

    /// The setting of a row for columns without an override (most tables have none).
    public func effectiveSetting(row: TableRow) -> SettingValue {
        SettingValue.map([:]).applying(setting).applying(row.settingChanges)
    }
}
