import ArgumentParser
import Tensor

@main
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Reproduce the tables of four detection knowledge-distillation papers (LD, RM/PFI, UniKD, LGD).",
        subcommands: [RunTable.self, ListTables.self, Published.self, Eval.self],
        defaultSubcommand: RunTable.self)
}

/// `bench table3` / `bench ld/table3`: plan, run and report tables.
struct RunTable: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run a table (the default command).")

    @Argument(help: "Table to run, e.g. table3 (every paper's Table 3) or ld/table3.")
    var table: String = "table3"

    mutating func run() throws {
        print("BLAS: \(BLASInfo.coreName), \(BLASInfo.threads) threads")
        print("The harness is not built yet: `bench \(table)` will plan, run and report that table.")
    }
}
