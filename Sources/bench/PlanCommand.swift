import ArgumentParser
import Foundation
import Harness

/// `bench plan table3`: the runs a `bench table3` would need, without running anything.
struct PlanRuns: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "List the runs the tables need: id, what, cached?, depends on, estimated time; and the total.")

    @Argument(help: "Tables: table3 (every paper's Table 3), ld/table3, ld (one paper), all.")
    var tables: [String] = []

    @OptionGroup var options: RunOptions
    @OptionGroup var tablesDirectory: TablesOptions

    func run() throws {
        let catalog = try tablesDirectory.loadCatalog()
        let request = options.request(tables)
        let plan = try reportingRunFailures { try request.plan(catalog: catalog, requireData: false) }
        // Listing must not create a store where there is none.
        var states: [String: RunState] = [:]
        var estimate = RunTimeEstimate()
        if FileManager.default.fileExists(atPath: options.databaseFile.path) {
            let store = try options.openStore()
            states = try reportingRunFailures { try store.states(plan.runs.map(\.id)) }
            estimate = RunTimeEstimate(history: try reportingRunFailures { try store.completedTimings(scale: plan.scale) })
        }
        let support = SupportCheck(executor: makeRunExecutor(dataRoot: options.dataRootDirectory))
        print(PlanListing.render(plan, states: states, support: support, estimate: estimate))
        for missing in MissingDataset.check(plan.realDatasets, dataRoot: request.dataRoot) {
            FileHandle.standardError.write(Data(("warning: " + missing.description + "\n").utf8))
        }
    }
}
