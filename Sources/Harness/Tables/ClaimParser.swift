import Yams

/// Reads one entry of `claims:`. Checks the shape of each predicate here; whether the cells it
/// names exist is `TableValidator`'s job (it needs the rows and columns).
struct ClaimParser {
    static let claimKeys: Set<String> = ["key", "says", "source", "note", "all", "any"]
    /// Each predicate kind: its keyword and the other keys it may carry.
    static let predicateKeys: [String: Set<String>] = [
        "better": ["than", "margin"],
        "not_worse": ["than", "margin"],
        "best": ["among", "margin"],
        "ordered": ["direction", "margin"],
        "within": ["of", "margin"],
    ]

    let sink: DiagnosticSink

    func parse(_ node: Node) -> Claim? {
        let context = node["key"]?.scalarText.map { "claim '\($0)'" } ?? "a claim"
        guard let fields = MappingFields(node, context: context, sink: sink) else { return nil }
        fields.rejectUnknownKeys(allowed: Self.claimKeys)
        let key = fields.string("key", required: true)
        let says = fields.string("says", required: true)
        let source = fields.string("source", required: true)
        let note = fields.string("note")

        let all = fields.sequence("all"), any = fields.sequence("any")
        var quantifier = Claim.Quantifier.all
        var items: [Node] = []
        switch (all, any) {
        case let (all?, nil): items = all
        case let (nil, any?): quantifier = .any; items = any
        case (.some, .some):
            sink.report("\(context): has both 'all' and 'any'; split it into two claims", line: fields.line)
        case (nil, nil):
            sink.report("\(context): needs a list of predicates under 'all' or 'any'", line: fields.line)
        }
        if (all != nil || any != nil), items.isEmpty {
            sink.report("\(context): its predicate list is empty", line: fields.line)
        }
        let predicates = items.compactMap { parsePredicate($0, context: context) }

        guard let key, let says, let source else { return nil }
        if let problem = KeySyntax.problem(with: key, inCellReferences: false) {
            sink.report("claim key '\(key)' \(problem)", at: node["key"])
        }
        return Claim(key: key, says: says, source: source, note: note, quantifier: quantifier,
                     predicates: predicates, line: fields.line)
    }

    private func parsePredicate(_ node: Node, context: String) -> LocatedPredicate? {
        guard let fields = MappingFields(node, context: "\(context): predicate", sink: sink) else { return nil }
        let kinds = fields.names.filter { Self.predicateKeys[$0] != nil }
        guard kinds.count == 1, let kind = kinds.first, let allowed = Self.predicateKeys[kind] else {
            let known = Self.predicateKeys.keys.sorted().joined(separator: ", ")
            let found = kinds.isEmpty ? "none" : kinds.joined(separator: " and ")
            sink.report("\(context): a predicate needs exactly one of \(known) (found \(found))", at: node)
            return nil
        }
        fields.rejectUnknownKeys(allowed: allowed.union([kind]))

        let margin = fields.number("margin") ?? 0
        if margin < 0 {
            sink.report("\(context): margin must not be negative (\(SettingValue.format(margin)))", at: fields["margin"])
        }
        let predicate: Predicate?
        switch kind {
        case "better", "not_worse":
            guard let a = cell(fields, kind, context), let b = cell(fields, "than", context) else { return nil }
            predicate = kind == "better" ? .better(a, than: b, margin: margin) : .notWorse(a, than: b, margin: margin)
        case "within":
            guard let a = cell(fields, kind, context), let b = cell(fields, "of", context) else { return nil }
            predicate = .within(a, of: b, margin: margin)
        case "best":
            guard let a = cell(fields, kind, context), let others = cells(fields, "among", context, minimum: 1)
            else { return nil }
            predicate = .best(a, among: others, margin: margin)
        default: // ordered
            guard let list = cells(fields, kind, context, minimum: 2) else { return nil }
            var direction = OrderDirection.increasing
            if let text = fields.string("direction") {
                guard let parsed = OrderDirection(rawValue: text) else {
                    sink.report("\(context): direction must be increasing or decreasing, found '\(text)'", at: fields["direction"])
                    return nil
                }
                direction = parsed
            }
            predicate = .ordered(list, direction: direction, margin: margin)
        }
        return predicate.map { LocatedPredicate(predicate: $0, line: node.line) }
    }

    private func cell(_ fields: MappingFields, _ name: String, _ context: String) -> CellReference? {
        guard let text = fields.string(name, required: true) else { return nil }
        guard let reference = CellReference(text) else {
            sink.report("\(context): '\(text)' is not a cell reference of the form row.column", at: fields[name])
            return nil
        }
        return reference
    }

    private func cells(_ fields: MappingFields, _ name: String, _ context: String, minimum: Int) -> [CellReference]? {
        guard let items = fields.sequence(name, required: true) else { return nil }
        guard items.count >= minimum else {
            sink.report("\(context): '\(name)' needs at least \(minimum) cell\(minimum == 1 ? "" : "s")", at: fields[name])
            return nil
        }
        var references: [CellReference] = []
        for item in items {
            guard let text = item.scalarText, let reference = CellReference(text) else {
                sink.report("\(context): '\(item.scalarText ?? item.kindName)' is not a cell reference of the form row.column", at: item)
                return nil
            }
            references.append(reference)
        }
        return references
    }
}
