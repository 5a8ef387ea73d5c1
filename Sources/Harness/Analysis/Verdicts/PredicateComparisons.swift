extension Predicate {
    /// The comparisons the predicate decomposes into on measured data:
    /// - `better A than B, m`: one test, d = A − B > m;
    /// - `not_worse A than B, m`: one test, d = A − B ≥ −m;
    /// - `best A among [B, C…], m`: A not worse than each other cell (d ≥ −m); a cell equal to A is skipped;
    /// - `ordered [A, B, C]`: each consecutive step as `better` (B − A > m, C − B > m when
    ///   increasing; A − B > m, B − C > m when decreasing), on raw values as in the schema;
    /// - `within A of B, m`: one test, |A − B| ≤ m, on raw values.
    /// `better`, `not_worse` and `best` take their direction from the first cell's column (the
    /// validator guarantees all their columns agree), so d is a gain on lower-is-better columns too.
    public func comparisons(in table: TableSpec) -> [CellComparison] {
        let goodness = (cells.first.flatMap { table.column($0.column)?.higherIsBetter } ?? true) ? 1.0 : -1.0
        switch self {
        case let .better(a, b, margin):
            return [CellComparison(first: a, second: b, sign: goodness, test: .exceeds(margin: margin))]
        case let .notWorse(a, b, margin):
            return [CellComparison(first: a, second: b, sign: goodness, test: .notBelow(margin: margin))]
        case let .best(a, others, margin):
            return others.filter { $0 != a }.map {
                CellComparison(first: a, second: $0, sign: goodness, test: .notBelow(margin: margin))
            }
        case let .ordered(cells, direction, margin):
            return zip(cells, cells.dropFirst()).map { previous, next in
                direction == .increasing
                    ? CellComparison(first: next, second: previous, test: .exceeds(margin: margin))
                    : CellComparison(first: previous, second: next, test: .exceeds(margin: margin))
            }
        case let .within(a, b, margin):
            return [CellComparison(first: a, second: b, test: .within(margin: margin))]
        }
    }

    /// The predicate as written in a table file: `{better: r18-ld.AP, than: r18.AP, margin: 0.3}`.
    public var yamlText: String {
        func margin(_ m: Double) -> String { m == 0 ? "" : ", margin: \(SettingValue.format(m))" }
        func list(_ cells: [CellReference]) -> String { "[" + cells.map(\.description).joined(separator: ", ") + "]" }
        switch self {
        case let .better(a, b, m): return "{better: \(a), than: \(b)\(margin(m))}"
        case let .notWorse(a, b, m): return "{not_worse: \(a), than: \(b)\(margin(m))}"
        case let .best(a, others, m): return "{best: \(a), among: \(list(others))\(margin(m))}"
        case let .ordered(cells, direction, m): return "{ordered: \(list(cells)), direction: \(direction.rawValue)\(margin(m))}"
        case let .within(a, b, m): return "{within: \(a), of: \(b)\(margin(m))}"
        }
    }
}
