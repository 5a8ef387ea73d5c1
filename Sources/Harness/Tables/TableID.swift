/// The four papers, in the order the suite presents them.
public enum PaperKey: String, CaseIterable, Comparable, Sendable, CustomStringConvertible {
    case ld, rm, unikd, lgd

    public static func < (lhs: PaperKey, rhs: PaperKey) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    public var description: String { rawValue }

    /// How the papers name themselves.
    public var displayName: String {
        switch self {
        case .ld: return "LD"
        case .rm: return "RM/PFI"
        case .unikd: return "UniKD"
        case .lgd: return "LGD"
        }
    }
}

/// The paper a table comes from: the acronym alone is ambiguous, so the arXiv id and title travel
/// with it into every report.
public struct Paper: Hashable, Sendable {
    public var key: PaperKey
    public var arxiv: String
    public var title: String
}

/// `ld/table1a`: a paper and a table number as printed ("1a", "6b", "12").
public struct TableID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var paper: PaperKey
    /// As printed, without the word "table": "3", "1a", "6b", "12".
    public var table: String

    public init(paper: PaperKey, table: String) {
        self.paper = paper
        self.table = table
    }

    /// `ld/table1a`, the name a user types.
    public var description: String { "\(paper.rawValue)/table\(table)" }

    /// The printed number without its letter: "6b" → 6. Tables of one number ("Table 6 (a)…(g)")
    /// are selected together by `table6`.
    public var number: Int? { TableID.naturalKey(table).number }

    /// Paper order first, then natural order of the number: 1a < 1b < 2 < 6a < 10.
    public static func < (lhs: TableID, rhs: TableID) -> Bool {
        if lhs.paper != rhs.paper { return lhs.paper < rhs.paper }
        let left = naturalKey(lhs.table), right = naturalKey(rhs.table)
        if left.number != right.number {
            // Ids without a leading number sort after numbered ones, by text.
            return (left.number ?? Int.max) < (right.number ?? Int.max)
        }
        if left.suffix != right.suffix { return left.suffix < right.suffix }
        return lhs.table < rhs.table
    }

    /// Splits "6b" into (6, "b"); "A1" (appendix tables, if ever) into (nil, "A1").
    static func naturalKey(_ table: String) -> (number: Int?, suffix: String) {
        let digits = table.prefix { $0.isASCII && $0.isNumber }
        return (Int(digits), String(table.dropFirst(digits.count)))
    }
}
