import ArgumentParser
import Foundation
import Harness

/// `bench table3` / `bench ld/table3 rm --scale smoke`: plan the tables, run what is not in the
/// store yet (teachers first), then report every cell. The default command.
struct RunTable: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Plan, run and report tables (the default command).",
        discussion: """
            Runs already completed in the store are not run again; a killed invocation continues \
            where it stopped when started again. Progress goes to standard error. The exit status \
            is non-zero when a run failed (the failed runs are named at the end).
            """)

    @Argument(help: "Tables: table3 (every paper's Table 3), ld/table3, ld (one paper), all.")
    var tables: [String] = []

    @OptionGroup var options: RunOptions
    @OptionGroup var tablesDirectory: TablesOptions

    func run() throws {
        let catalog = try tablesDirectory.loadCatalog()
        let plan = try reportingRunFailures { try options.request(tables).plan(catalog: catalog, requireData: true) }
        let store = try options.openStore()
        let executor = makeRunExecutor(dataRoot: options.dataRootDirectory)
        // The checkout the tables come from is the code that runs (bench is built from it).
        let provenance = Provenance.current(directory: catalog.directory.deletingLastPathComponent())
        FileHandle.standardError.write(Data(("\(plan.runs.count) runs at scale \(plan.scale), seeds "
            + plan.seeds.map(String.init).joined(separator: ",") + " · BLAS \(provenance.blasCore), "
            + "\(provenance.blasThreads) thread(s), \(provenance.kernelThreads) kernel workers\n").utf8))
        let bar = ProgressBar()
        let runner = Runner(store: store, executor: executor, provenance: provenance, events: bar.handle)
        let summary = try reportingRunFailures { try runner.run(plan) }

        let measured = try reportingRunFailures {
            try store.measuredTables(plan, support: SupportCheck(executor: executor))
        }
        try reportingRunFailures { try ReportOutput.write(measured, store: store, plan: plan, current: provenance) }

        print(summary.line + " (store: \(store.file.path))")
        if summary.hasFailures {
            for failure in summary.failures {
                printError("run \(shortRunID(failure.run.id)) failed (\(failure.run.spec.summary)): \(failure.reason)")
            }
            for blocked in summary.blocked {
                printError("run \(shortRunID(blocked.run.id)) not run (\(blocked.run.spec.summary)): \(blocked.reason)")
            }
            throw ExitCode.failure
        }
    }
}
