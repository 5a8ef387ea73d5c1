/// A claim that does not hold on the paper's own published numbers. Either the table file encodes
/// the claim wrongly or the paper's prose disagrees with its table; both need a human look, and a
/// claim that fails on published numbers can never be "reproduced".
public struct PublishedClaimFailure: Sendable, CustomStringConvertible {
    public var table: TableID
    public var file: String
    public var claim: String
    /// The predicates that fail (for `any`: all of them), with their lines.
    public var failing: [LocatedPredicate]

    public var description: String {
        let lines = failing.map { "\($0.line)" }.joined(separator: ", ")
        return "\(file):\(failing.first?.line ?? 0): \(table) claim '\(claim)' does not hold on the published values "
            + "(predicate\(failing.count == 1 ? "" : "s") at line\(failing.count == 1 ? "" : "s") \(lines))"
    }
}

extension TableSpec {
    /// Evaluates every claim on the published cells.
    public func claimsFailingOnPublishedValues() -> [PublishedClaimFailure] {
        claims.compactMap { claim in
            let failing = claim.predicates.filter { located in
                let direction = located.predicate.cells.compactMap { column($0.column)?.higherIsBetter }.first ?? true
                return located.predicate.holds(higherIsBetter: direction) { value($0)?.number } == false
            }
            let fails = claim.quantifier == .all ? !failing.isEmpty : failing.count == claim.predicates.count
            return fails ? PublishedClaimFailure(table: id, file: file, claim: claim.key, failing: failing) : nil
        }
    }
}
