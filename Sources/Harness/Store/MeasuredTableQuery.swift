/// Fills the hand-off to the analysis layer: for each planned table, each cell's status and its
/// measured value per seed, read from the store's winning attempts. A cell whose run the executor
/// cannot run is "not implemented" even if an old attempt left a number: no number is shown for
/// something the current code cannot produce.
extension RunStore {
    /// One table at one scale, planned with `seeds` (default: the profile's) and read from the
    /// store without running anything.
    public func measuredTable(_ table: TableSpec, scale: ScaleProfile, seeds: Int? = nil,
                              executor: any RunExecutor) throws -> MeasuredTable {
        let plan = Planner.plan([table], scale: scale, seeds: seeds ?? scale.defaultSeeds)
        return try measuredTables(plan, support: SupportCheck(executor: executor))[0]
    }

    public func measuredTables(_ plan: Plan, support: SupportCheck) throws -> [MeasuredTable] {
        let states = try self.states(plan.runs.map(\.id))
        return plan.tables.map { tablePlan in
            var cells: [CellReference: MeasuredCell] = [:]
            for (reference, cellPlan) in tablePlan.cells {
                var cell = Self.cell(cellPlan, plan: plan, states: states, support: support)
                if case let .runs(_, seeds) = cellPlan, let first = seeds.keys.min() {
                    // Seeds differ only in their seed: any one gives the schedule.
                    cell.schedule = plan.run(seeds[first]!)?.spec.schedule
                }
                cells[reference] = cell
            }
            return MeasuredTable(table: tablePlan.table, scale: plan.scale.rawValue, cells: cells)
        }
    }

    static func cell(_ cellPlan: CellPlan, plan: Plan, states: [String: RunState], support: SupportCheck) -> MeasuredCell {
        switch cellPlan {
        case .notMeasured:
            return MeasuredCell(status: .notMeasured)
        case let .notImplemented(reason):
            return MeasuredCell(status: .notImplemented(reason: reason))
        case let .runs(metric, seeds):
            var samples: [Int: Double] = [:]
            var failures: [String] = []
            // Seeds whose run completed without the metric: with the reason the run recorded
            // (an undefined r), or none.
            var explained: [String] = []
            var unexplained: [Int] = []
            for (seed, id) in seeds.sorted(by: { $0.key < $1.key }) {
                guard let run = plan.run(id) else { continue }
                if case let .notImplemented(reason) = support.support(run.spec) {
                    return MeasuredCell(status: .notImplemented(reason: reason))
                }
                let state = states[id] ?? .empty
                if state.completed != nil {
                    if let value = state.metrics[metric] {
                        samples[seed] = value
                    } else if let reason = RunAnalysis.missingReason(metric, in: state.metrics) {
                        explained.append("seed \(seed): run \(shortRunID(id)) completed, but \(reason)")
                    } else {
                        unexplained.append(seed)
                    }
                } else if let failure = failureReason(of: run, states: states, plan: plan) {
                    failures.append("seed \(seed): \(failure)")
                }
            }
            if samples.count == seeds.count { return MeasuredCell(status: .measured, samples: samples) }
            if samples.isEmpty, explained.isEmpty, !unexplained.isEmpty, failures.isEmpty {
                return MeasuredCell(status: .notImplemented(reason: "metric \(metric): not reported by the trainer"))
            }
            // A seed that finished without a value never leaves a mean over the other seeds
            // looking like a cell that is still running: the cell has no number, and says why.
            let missing = explained + unexplained.map { "seed \($0): run \(shortRunID(seeds[$0]!)) completed without reporting \(metric)" }
            if !failures.isEmpty || !missing.isEmpty {
                return MeasuredCell(status: .failed(reason: (failures + missing).joined(separator: "; ")), samples: samples)
            }
            return MeasuredCell(status: samples.isEmpty ? .notRun : .partial, samples: samples)
        }
    }

    /// Why `run` has no result: its own latest attempt failed, or that of the run it analyses,
    /// or its teacher's.
    static func failureReason(of run: PlannedRun, states: [String: RunState], plan: Plan) -> String? {
        let state = states[run.id] ?? .empty
        if state.completed == nil, let latest = state.latest, latest.status == .failed {
            return "run \(shortRunID(run.id)) failed: \(latest.reason ?? "no reason recorded")"
        }
        if state.completed == nil, let subjectID = run.subjectID, let subject = plan.run(subjectID),
           (states[subjectID] ?? .empty).completed == nil,
           let reason = failureReason(of: subject, states: states, plan: plan) {
            return "analysed run \(shortRunID(subjectID)): " + reason
        }
        if let teacherID = run.teacherID, let teacher = plan.run(teacherID), (states[teacherID] ?? .empty).completed == nil,
           let reason = failureReason(of: teacher, states: states, plan: plan) {
            return "teacher " + reason
        }
        return nil
    }
}
