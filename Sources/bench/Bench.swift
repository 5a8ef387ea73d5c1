import ArgumentParser
import Tensor

@main
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Reproduce the tables of four detection knowledge-distillation papers (LD, RM/PFI, UniKD, LGD).",
        subcommands: [RunTable.self, ListTables.self, Published.self, Eval.self, PlanRuns.self, ExportRuns.self, ImportRuns.self],
        defaultSubcommand: RunTable.self)
}
