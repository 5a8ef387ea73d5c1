/// Cross-reference checks on a parsed table: what no single field can know on its own (unique keys,
/// baselines and claim cells that exist, the file name agreeing with the table id).
struct TableValidator {
    let sink: DiagnosticSink

    /// `expected` is the id the file's path implies (`tables/ld/table6b.yaml` → ld, "6b").
    func validate(_ spec: TableSpec, expected: TableID?) {
        if let expected, expected != spec.id {
            sink.report("the file name says \(expected) but the file declares paper '\(spec.id.paper)' "
                        + "table \"\(spec.id.table)\"", line: spec.idLine)
        }
        if spec.columns.isEmpty { sink.report("the table has no columns", line: 0) }
        if spec.rows.isEmpty { sink.report("the table has no rows", line: 0) }
        checkUnique(spec.columns.map { ($0.key, $0.line) }, what: "column key")
        checkUnique(spec.rows.map { ($0.key, $0.line) }, what: "row key")
        checkUnique(spec.claims.map { ($0.key, $0.line) }, what: "claim key")
        for row in spec.rows {
            checkBaseline(of: row, in: spec)
            checkBoxHead(of: row, in: spec)
        }
        for claim in spec.claims {
            for located in claim.predicates { checkPredicate(located, of: claim, in: spec) }
        }
    }

    private func checkUnique(_ keys: [(String, Int)], what: String) {
        var firstLine: [String: Int] = [:]
        for (key, line) in keys {
            if let first = firstLine[key] {
                sink.report("\(what) '\(key)' is used twice (first at line \(first))", line: line)
            } else {
                firstLine[key] = line
            }
        }
    }

    private func checkBaseline(of row: TableRow, in spec: TableSpec) {
        guard let baseline = row.baseline else {
            if !row.printedDeltas.isEmpty {
                sink.report("row '\(row.key)' has printed_deltas but no baseline to take them against",
                            line: row.fieldLines["printed_deltas"] ?? row.line)
            }
            return
        }
        let line = row.fieldLines["baseline"] ?? row.line
        if baseline == row.key {
            sink.report("row '\(row.key)' names itself as its baseline", line: line)
        } else if spec.row(baseline) == nil {
            sink.report("row '\(row.key)': baseline '\(baseline)' is not a row of this table"
                        + suggestion(baseline, among: spec.rows.map(\.key)), line: line)
        }
    }

    /// `box_head: distribution` only on detectors with a GFL-ified head (`RunResolver.boxHeadProblem`),
    /// for the row's student and for its teacher, which inherits the setting's head unless its
    /// own map names one. Checked on every setting the row's cells run under (column overrides
    /// included), reported once per problem at the row's `box_head`, `detector` or `teacher`
    /// line.
    private func checkBoxHead(of row: TableRow, in spec: TableSpec) {
        let settings = spec.columns.isEmpty
            ? [spec.effectiveSetting(row: row)] : spec.columns.map { spec.effectiveSetting(row: row, column: $0) }
        var reported = Set<String>()
        for setting in settings {
            var problems: [(String, Int)] = []
            let studentDetector = setting["detector"]?.string
            if let detector = studentDetector, let problem = RunResolver.boxHeadProblem(setting["box_head"], detector: detector) {
                problems.append((problem, row.fieldLines["box_head"] ?? row.fieldLines["detector"] ?? row.line))
            }
            if let teacher = setting["teacher"], teacher.map != nil,
               let detector = RunResolver.teacherField("detector", of: setting)?.string {
                if let problem = RunResolver.boxHeadProblem(RunResolver.teacherField("box_head", of: setting), detector: detector) {
                    let hint = teacher["box_head"] == nil ? " (inherited from the setting; give the teacher box_head: native)" : ""
                    problems.append(("teacher: " + problem + hint, row.fieldLines["teacher"] ?? row.fieldLines["box_head"] ?? row.line))
                }
            }
            for (problem, line) in problems where reported.insert(problem).inserted {
                sink.report("row '\(row.key)': \(problem)", line: line)
            }
        }
    }

    private func checkPredicate(_ located: LocatedPredicate, of claim: Claim, in spec: TableSpec) {
        var directions = Set<Bool>()
        for cell in located.predicate.cells {
            guard let row = spec.row(cell.row) else {
                sink.report("claim '\(claim.key)' refers to unknown row '\(cell.row)'"
                            + suggestion(cell.row, among: spec.rows.map(\.key)), line: located.line)
                continue
            }
            guard let column = spec.column(cell.column) else {
                sink.report("claim '\(claim.key)' refers to unknown column '\(cell.column)' (in '\(cell)')"
                            + suggestion(cell.column, among: spec.columns.map(\.key)), line: located.line)
                continue
            }
            directions.insert(column.higherIsBetter)
            switch row.values[cell.column] {
            case nil:
                sink.report("claim '\(claim.key)' refers to '\(cell)', a cell the table does not print", line: located.line)
            case let .text(text)?:
                sink.report("claim '\(claim.key)' compares '\(cell)', which is printed as text ('\(text)'), not a number",
                            line: located.line)
            case .number?:
                break
            }
        }
        if located.predicate.usesColumnDirection, directions.count > 1 {
            sink.report("claim '\(claim.key)': a better/not_worse/best predicate mixes higher-is-better and "
                        + "lower-is-better columns, so 'better' has no single meaning", line: located.line)
        }
    }

    private func suggestion(_ name: String, among candidates: [String]) -> String {
        let near = ClosestNames.matches(for: name, among: candidates, limit: 3)
        return near.isEmpty ? "" : " (did you mean \(near.map { "'\($0)'" }.joined(separator: ", "))?)"
    }
}
