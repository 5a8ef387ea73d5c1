import ArgumentParser
import Tensor

@main
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Reproduce the tables of four detection knowledge-distillation papers (LD, RM/PFI, UniKD, LGD).")

    @Argument(help: "Table to run, e.g. table3 (every paper's Table 3) or ld/table3.")
    var table: String?

    mutating func run() throws {
        print("BLAS: \(BLASInfo.coreName), \(BLASInfo.threads) threads")
        print("The harness is not built yet: `bench \(table ?? "table3")` will plan, run and report that table.")
    }
}
