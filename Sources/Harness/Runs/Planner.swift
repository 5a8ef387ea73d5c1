/// Expands tables into runs. Every (row, column, seed) cell resolves through the cell's effective
/// setting to one `RunSpec`; identical specs (across rows, columns and tables) are one run; a
/// distilled run depends on its teacher's run.
public enum Planner {
    /// Order of the runs: seed by seed (so that an interrupted plan leaves every cell with its
    /// first seeds rather than some cells with all seeds), within a seed teachers first (a
    /// teacher's teacher before it), then the remaining runs in table, row and column order.
    public static func plan(_ tables: [TableSpec], scale: ScaleProfile, seeds seedCount: Int) -> Plan {
        let seeds = ScaleProfile.seeds(count: seedCount)
        let resolver = RunResolver(scale: scale)
        var builder = Builder()
        var tablePlans: [TablePlan] = []

        for table in tables {
            var cells: [CellReference: CellPlan] = [:]
            for row in table.rows {
                for column in table.columns {
                    let reference = CellReference(row: row.key, column: column.key)
                    guard column.measured else {
                        cells[reference] = .notMeasured
                        continue
                    }
                    let setting = table.effectiveSetting(row: row, column: column)
                    var bySeed: [Int: String] = [:]
                    var failure: NotImplemented?
                    for seed in seeds {
                        // A `role: teacher` row's cell is the column's teacher model itself.
                        let resolved = row.role == .teacher
                            ? resolver.teacher(setting, seed: seed)
                            : resolver.student(setting, seed: seed)
                        switch resolved {
                        case let .success(spec):
                            bySeed[seed] = builder.add(spec, use: CellUse(table: table.id, cell: reference, seed: seed))
                        case let .failure(reason):
                            failure = reason
                        }
                    }
                    // Resolution never depends on the seed, so a failure holds for every seed.
                    cells[reference] = failure.map { .notImplemented($0.reason) } ?? .runs(metric: column.metric, seeds: bySeed)
                }
            }
            tablePlans.append(TablePlan(table: table, cells: cells))
        }
        return Plan(scale: scale, seeds: seeds, runs: builder.ordered(), tables: tablePlans)
    }

    /// Collects distinct runs in first-appearance order.
    private struct Builder {
        var runs: [PlannedRun] = []
        var index: [String: Int] = [:]

        /// Adds `spec` (and, first, its teacher chain); returns its id.
        @discardableResult
        mutating func add(_ spec: RunSpec, use: CellUse?) -> String {
            let teacherID = spec.teacher.map { add($0, use: nil) }
            if let teacherID { runs[index[teacherID]!].isTeacher = true }
            let id = spec.id
            if let existing = index[id] {
                if let use { runs[existing].uses.append(use) }
                return id
            }
            index[id] = runs.count
            runs.append(PlannedRun(id: id, spec: spec, teacherID: teacherID, uses: use.map { [$0] } ?? [], isTeacher: false))
            return id
        }

        /// Seed, then depth of the teacher chain, then teachers before other runs, then first
        /// appearance: a topological order because a teacher is always shallower than its student.
        func ordered() -> [PlannedRun] {
            func depth(_ run: PlannedRun) -> Int {
                var depth = 0
                var current = run.spec.teacher
                while let teacher = current { depth += 1; current = teacher.teacher }
                return depth
            }
            return runs.enumerated().sorted { lhs, rhs in
                let left = (lhs.element.spec.seed, depth(lhs.element), lhs.element.isTeacher ? 0 : 1, lhs.offset)
                let right = (rhs.element.spec.seed, depth(rhs.element), rhs.element.isTeacher ? 0 : 1, rhs.offset)
                return left < right
            }.map(\.element)
        }
    }
}
