/// `rowkey.columnkey`: one cell of a table. Keys never contain a dot, so the split is unambiguous.
public struct CellReference: Hashable, Sendable, CustomStringConvertible {
    public var row: String
    public var column: String

    public init(row: String, column: String) {
        self.row = row
        self.column = column
    }

    /// Parses "r18-ld.AP"; nil unless there is exactly one dot with text on both sides.
    public init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
        self.init(row: String(parts[0]), column: String(parts[1]))
    }

    public var description: String { "\(row).\(column)" }
}

/// A claim of the paper, as a conjunction (`all`) or disjunction (`any`) of predicates over cells.
public struct Claim: Sendable {
    public enum Quantifier: String, Sendable {
        case all, any
    }

    public var key: String
    /// The paper's words.
    public var says: String
    public var source: String
    public var note: String?
    public var quantifier: Quantifier
    public var predicates: [LocatedPredicate]
    public var line: Int
}

/// A predicate and the line it is written on, so that a verdict can point back at it.
public struct LocatedPredicate: Sendable {
    public var predicate: Predicate
    public var line: Int
}

public enum OrderDirection: String, Sendable {
    case increasing, decreasing
}

/// The predicates of the schema. "Better" is in the sense of the columns involved: for a column
/// with `higher_is_better: false` (miss rates, hours) `better: A, than: B` means A is lower.
/// `ordered` and `within` are about raw numbers and ignore the direction.
public enum Predicate: Hashable, Sendable {
    /// A improves on B by more than `margin`.
    case better(CellReference, than: CellReference, margin: Double)
    /// A is no worse than B by more than `margin` ("comparable or better").
    case notWorse(CellReference, than: CellReference, margin: Double)
    /// A is at least as good as every listed cell, up to `margin`.
    case best(CellReference, among: [CellReference], margin: Double)
    /// The cells increase (or decrease) strictly in order, each step by more than `margin`.
    case ordered([CellReference], direction: OrderDirection, margin: Double)
    /// |A − B| ≤ `margin`.
    case within(CellReference, of: CellReference, margin: Double)

    /// Every cell the predicate reads, in the order written.
    public var cells: [CellReference] {
        switch self {
        case let .better(a, b, _), let .notWorse(a, b, _), let .within(a, b, _): return [a, b]
        case let .best(a, others, _): return [a] + others
        case let .ordered(cells, _, _): return cells
        }
    }

    public var margin: Double {
        switch self {
        case let .better(_, _, m), let .notWorse(_, _, m), let .best(_, _, m),
             let .ordered(_, _, m), let .within(_, _, m):
            return m
        }
    }

    /// Whether the predicate compares cells by "goodness" (and so needs every cell it reads to
    /// improve in the same direction).
    var usesColumnDirection: Bool {
        switch self {
        case .better, .notWorse, .best: return true
        case .ordered, .within: return false
        }
    }

    /// Evaluates the predicate on numbers (published or measured). `value` returns nil for a cell
    /// without a number; the predicate is then undecidable (nil). `higherIsBetter` is the
    /// direction of the predicate's columns (validation guarantees they agree).
    public func holds(higherIsBetter: Bool = true, value: (CellReference) -> Double?) -> Bool? {
        var numbers: [Double] = []
        for cell in cells {
            guard let number = value(cell) else { return nil }
            numbers.append(number)
        }
        // Gains in the column's own sense: flip lower-is-better columns once, here.
        let sign = higherIsBetter ? 1.0 : -1.0
        // Printed decimals are not exact in binary: 40.2 - 40.1 is 0.1000000000000014. A tolerance
        // far below any printed precision makes the comparisons mean what they say on decimals.
        let tolerance = 1e-9
        switch self {
        case let .better(_, _, margin):
            return sign * (numbers[0] - numbers[1]) > margin + tolerance
        case let .notWorse(_, _, margin):
            return sign * (numbers[0] - numbers[1]) >= -margin - tolerance
        case let .best(_, _, margin):
            return numbers.dropFirst().allSatisfy { sign * (numbers[0] - $0) >= -margin - tolerance }
        case let .ordered(_, direction, margin):
            let step = direction == .increasing ? 1.0 : -1.0
            return zip(numbers, numbers.dropFirst()).allSatisfy { step * ($1 - $0) > margin + tolerance }
        case let .within(_, _, margin):
            return abs(numbers[0] - numbers[1]) <= margin + tolerance
        }
    }
}
