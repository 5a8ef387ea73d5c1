/// Rows that differ in exactly one numeric distillation parameter (LD's temperature τ and VLR
/// γ, UniKD's query count, AKE epochs, adapter layers…): a sweep, drawn as lines over that
/// parameter. Found from the table's own settings, so a new sweep table needs no registration.
struct Sweep {
    struct Point {
        var x: Double
        var row: TableRow
    }

    struct Series {
        /// What tells series apart when a table holds several (UniKD 6g: FitNet and UniKD).
        var label: String
        var points: [Point]
        /// The baseline row all points share, when it lies outside the sweep (LD 1a's "-"): drawn
        /// as a horizontal reference.
        var reference: TableRow?
    }

    /// Path of the parameter in the resolved setting: `distillation[0].temperature`.
    var path: String
    /// `ld temperature`: the method and the parameter, for axis labels.
    var displayName: String
    var series: [Series]

    /// Rows of a series need at least this many distinct values to be a sweep (two points are a
    /// comparison, which the bars already show).
    static let minimumPoints = 3

    func covers(column: String, in table: TableSpec) -> Bool {
        series.contains { $0.points.contains { $0.row.values[column]?.number != nil } }
    }

    /// Every sweep in the table, one per parameter path, in order of the path's first appearance.
    static func detect(in table: TableSpec) -> [Sweep] {
        let rows = table.rows.filter { $0.role == nil }
        let leaves = rows.map { SettingLeaves.flatten(table.effectiveSetting(row: $0)) }
        var paths: [String] = []
        for row in leaves {
            for path in row.keys.sorted() where path.hasPrefix("distillation[") && row[path]?.number != nil && !paths.contains(path) {
                paths.append(path)
            }
        }
        return paths.compactMap { path in sweep(along: path, rows: rows, leaves: leaves, table: table) }
    }

    private static func sweep(along path: String, rows: [TableRow], leaves: [[String: SettingValue]], table: TableSpec) -> Sweep? {
        // Group the rows that have the parameter by everything else in their setting.
        var groups: [String: [Int]] = [:]
        var order: [String] = []
        for (index, row) in leaves.enumerated() where row[path]?.number != nil {
            var rest = row
            rest[path] = nil
            let key = rest.keys.sorted().map { "\($0)=\(rest[$0]!)" }.joined(separator: "\u{1F}")
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(index)
        }
        let series = order.compactMap { key -> Series? in
            let members = groups[key]!
            let xs = members.map { leaves[$0][path]!.number! }
            // Duplicate values would make a line double back on itself: not a sweep.
            guard Set(xs).count == members.count, members.count >= minimumPoints else { return nil }
            let points = zip(xs, members).map { Point(x: $0, row: rows[$1]) }.sorted { $0.x < $1.x }
            let baselines = Set(points.compactMap(\.row.baseline))
            let inside = Set(points.map(\.row.key))
            let reference = baselines.count == 1 && points.allSatisfy({ $0.row.baseline != nil }) && !inside.contains(baselines.first!)
                ? table.row(baselines.first!) : nil
            return Series(label: seriesLabel(leaves[members[0]], path: path), points: points, reference: reference)
        }
        guard !series.isEmpty else { return nil }
        var named = series
        if Set(named.map(\.label)).count != named.count {
            for index in named.indices { named[index].label = "series \(index + 1)" }
        }
        return Sweep(path: path, displayName: displayName(path, leaves: leaves), series: named)
    }

    /// The methods of the row's distillation terms ("fitnet_modified", "unikd"), which is what
    /// tells the series of UniKD 6g apart.
    private static func seriesLabel(_ leaves: [String: SettingValue], path: String) -> String {
        let methods = leaves.keys.filter { $0.hasPrefix("distillation[") && $0.hasSuffix("].method") }.sorted()
        return methods.compactMap { leaves[$0]?.string }.joined(separator: " + ")
    }

    /// "ld temperature" for `distillation[0].temperature`; just the parameter when the swept
    /// term's method differs between series (UniKD 6g sweeps FitNet's and UniKD's adapters).
    private static func displayName(_ path: String, leaves: [[String: SettingValue]]) -> String {
        let term = String(path.prefix { $0 != "]" }) + "]"
        let key = String(path.drop { $0 != "]" }.dropFirst(2))
        let methods = Set(leaves.filter { $0[path] != nil }.compactMap { $0[term + ".method"]?.string })
        return methods.count == 1 ? "\(methods.first!) \(key)" : key
    }
}

/// A setting flattened to its leaves: `student.backbone`, `distillation[1].gamma`.
enum SettingLeaves {
    static func flatten(_ value: SettingValue, prefix: String = "") -> [String: SettingValue] {
        switch value {
        case let .map(entries):
            var out: [String: SettingValue] = [:]
            for (key, child) in entries {
                out.merge(flatten(child, prefix: prefix.isEmpty ? key : prefix + "." + key)) { first, _ in first }
            }
            return out
        case let .list(items) where items.contains(where: { $0.map != nil }):
            var out: [String: SettingValue] = [:]
            for (index, item) in items.enumerated() {
                out.merge(flatten(item, prefix: "\(prefix)[\(index)]")) { first, _ in first }
            }
            return out
        default:
            // Scalars, and lists of scalars (`queries: [content, positional]`) as one value.
            return [prefix: value]
        }
    }
}
