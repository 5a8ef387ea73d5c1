/// "Did you mean …?" suggestions for misspelt table names, row keys and column keys.
enum ClosestNames {
    /// The candidates within a small edit distance of `name` (case-insensitive), closest first,
    /// ties in the candidates' order; at most `limit`.
    static func matches(for name: String, among candidates: [String], limit: Int = 5) -> [String] {
        let query = Array(name.lowercased())
        // Allow roughly one edit per three characters, at least one and at most three.
        let allowance = min(3, max(1, query.count / 3))
        let scored = candidates.enumerated().compactMap { index, candidate -> (Int, Int, String)? in
            let target = Array(candidate.lowercased())
            let distance = editDistance(query, target)
            // Containment ("table3" in "ld/table3") only for names long enough to mean something.
            let containment = min(target.count, query.count) >= 4 && (candidate.lowercased().contains(name.lowercased())
                                                   || name.lowercased().contains(candidate.lowercased()))
            guard distance <= allowance || containment else { return nil }
            return (containment ? min(distance, allowance) : distance, index, candidate)
        }
        return scored.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.prefix(limit).map(\.2)
    }

    /// Levenshtein distance with one rolling row.
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
