import Foundation

extension RunStore {
    /// What produced the numbers of a plan, for report headers: the store, and the distinct code
    /// versions, hosts and BLAS set-ups of the winning attempts (`current` when nothing has
    /// completed yet). Reports show results that may come from several sittings and machines.
    public func provenanceSummary(_ plan: Plan, current: Provenance) throws -> [String: String] {
        let winners = try states(plan.runs.map(\.id)).values.compactMap(\.completed)
        func distinct(_ values: [String]) -> String {
            Array(Set(values)).sorted().joined(separator: ", ")
        }
        var summary = ["database": file.path]
        if winners.isEmpty {
            summary["code"] = Self.codeText(current.codeVersion, current.codeDirty) + " (nothing completed yet)"
            return summary
        }
        summary["code"] = distinct(winners.map { Self.codeText($0.codeVersion, $0.codeDirty) })
        summary["host"] = distinct(winners.map { $0.host ?? "?" })
        summary["BLAS"] = distinct(winners.map {
            "\($0.blasCore ?? "?"), \($0.blasThreads.map(String.init) ?? "?") BLAS thread(s), \($0.kernelThreads.map(String.init) ?? "?") kernel workers"
        })
        return summary
    }

    static func codeText(_ version: String?, _ dirty: Bool?) -> String {
        guard let version else { return "unknown (not a git checkout)" }
        return String(version.prefix(12)) + (dirty == true ? " with uncommitted changes" : "")
    }
}
