import Foundation

/// `bench plan`: one line per distinct run (id, what, cached?, the runs it depends on: its
/// teacher, and for an analysis run first the run it analyses; estimated time or "not
/// implemented"), then totals and the reasons cells cannot run, grouped.
public enum PlanListing {
    public static func render(_ plan: Plan, states: [String: RunState], support: SupportCheck,
                              estimate: RunTimeEstimate) -> String {
        let toRun = Runner.runsToExecute(plan, states: states, support: support)
        var rows: [[String]] = [["run", "what", "cached", "depends on", "estimate"]]
        var seconds = 0.0
        var reasons: [String: Int] = [:]
        for run in plan.runs {
            let cached = (states[run.id] ?? .empty).completed != nil && !toRun.contains(run.id)
            var time = "-"
            if case let .notImplemented(reason) = support.support(run.spec) {
                time = "not implemented"
                reasons[reason, default: 0] += 1
            } else if toRun.contains(run.id) {
                let runSeconds = estimate.seconds(run.spec)
                seconds += runSeconds
                time = formatDuration(runSeconds)
            } else if !cached {
                time = "not needed (no student of it can run)"
            }
            rows.append([shortRunID(run.id), run.spec.summary, cached ? "yes" : "no",
                         run.dependencies.isEmpty ? "-" : run.dependencies.map(shortRunID).joined(separator: " "), time])
        }
        var lines = layout(rows)

        var cellReasons: [String: Int] = [:]
        var cells = 0
        for table in plan.tables {
            for (_, cell) in table.cells {
                cells += 1
                if case let .notImplemented(reason) = cell { cellReasons[reason, default: 0] += 1 }
            }
        }
        let cachedCount = plan.runs.filter { (states[$0.id] ?? .empty).completed != nil && !toRun.contains($0.id) }.count
        let notImplemented = reasons.values.reduce(0, +)
        lines.append("")
        lines.append("\(plan.tables.count) tables, \(cells) cells, \(plan.runs.count) distinct runs at scale \(plan.scale)"
                     + " with seeds \(plan.seeds.map(String.init).joined(separator: ",")): \(cachedCount) cached,"
                     + " \(toRun.count) to run (~\(formatDuration(seconds))\(estimate.isMeasured ? "" : ", nominal: nothing measured yet")),"
                     + " \(notImplemented) not implemented")
        if !reasons.isEmpty {
            lines.append("runs not implemented:")
            lines += grouped(reasons)
        }
        if !cellReasons.isEmpty {
            lines.append("cells that resolve to no run:")
            lines += grouped(cellReasons)
        }
        return lines.joined(separator: "\n")
    }

    /// "  12× detector gfl: not implemented yet", most frequent first.
    static func grouped(_ counts: [String: Int]) -> [String] {
        counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .map { "  \($0.value)× \($0.key)" }
    }

    /// Left-aligned columns; the last column is not padded.
    static func layout(_ rows: [[String]]) -> [String] {
        guard let first = rows.first else { return [] }
        let widths = first.indices.map { index in rows.map { $0[index].count }.max() ?? 0 }
        return rows.map { cells in
            cells.enumerated().map { index, cell in
                index == cells.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count)
            }.joined(separator: "  ")
        }
    }
}
