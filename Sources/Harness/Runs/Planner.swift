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
                    if let why = row.unresolved {
                        cells[reference] = .notImplemented("unresolved row: " + why)
                        continue
                    }
                    let setting = table.effectiveSetting(row: row, column: column)
                    var bySeed: [Int: String] = [:]
                    var failure: NotImplemented?
                    // A metric relating the student to its teacher is measured by an analysis
                    // run of the cell's training run (see `RunAnalysis`).
                    let analysis = RunAnalysis.forMetric(column.metric, scale: scale)
                    for seed in seeds {
                        let resolved: Result<RunSpec, NotImplemented>
                        switch (row.role, analysis) {
                        case let (.teacher?, analysis?):
                            resolved = .failure(NotImplemented("\(analysis.kind) of a teacher row: it compares a student with its teacher"))
                        case (.teacher?, nil):
                            // A `role: teacher` row's cell is the column's teacher model itself.
                            resolved = resolver.teacher(setting, seed: seed)
                        case let (nil, analysis?):
                            resolved = resolver.analysed(setting, seed: seed, analysis: analysis)
                        case (nil, nil):
                            resolved = resolver.student(setting, seed: seed)
                        }
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

        /// Adds `spec` (and, first, the run it analyses and its teacher chain); returns its id.
        @discardableResult
        mutating func add(_ spec: RunSpec, use: CellUse?) -> String {
            let subjectID = spec.subject.map { add($0, use: nil) }
            let teacherID = spec.teacher.map { add($0, use: nil) }
            if let teacherID { runs[index[teacherID]!].isTeacher = true }
            let id = spec.id
            if let existing = index[id] {
                if let use { runs[existing].uses.append(use) }
                return id
            }
            index[id] = runs.count
            runs.append(PlannedRun(id: id, spec: spec, teacherID: teacherID, uses: use.map { [$0] } ?? [], isTeacher: false,
                                   subjectID: subjectID))
            return id
        }

        /// Seed, then depth of the dependency chain, then teachers before other runs, then first
        /// appearance: a topological order because a run is always deeper than the runs it needs
        /// (its teacher; for an analysis run, also the run it analyses).
        func ordered() -> [PlannedRun] {
            func depth(_ spec: RunSpec) -> Int {
                [spec.teacher, spec.subject].compactMap { $0.map { depth($0) + 1 } }.max() ?? 0
            }
            let depths = runs.map { depth($0.spec) }
            return runs.enumerated().sorted { lhs, rhs in
                let left = (lhs.element.spec.seed, depths[lhs.offset], lhs.element.isTeacher ? 0 : 1, lhs.offset)
                let right = (rhs.element.spec.seed, depths[rhs.offset], rhs.element.isTeacher ? 0 : 1, rhs.offset)
                return left < right
            }.map(\.element)
        }
    }
}
