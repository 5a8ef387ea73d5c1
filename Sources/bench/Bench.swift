import ArgumentParser
import Tensor

@main
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Reproduce the tables of four detection knowledge-distillation papers (LD, RM/PFI, UniKD, LGD).",
        subcommands: [RunTable.self, PlanRuns.self, ReportTables.self, PlotTables.self, ListTables.self, Published.self, Eval.self, ExportRuns.self, ImportRuns.self],
        defaultSubcommand: RunTable.self)
}
