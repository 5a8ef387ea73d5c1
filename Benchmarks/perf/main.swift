import Foundation
import NN
import Tensor

// Training-step benchmark: the network of ../shared/perf/torch_reference_step.py built on this
// project's core. Usage: perf train-step [--steps 30] [--batch 8] [--threads N]
// Prints the BLAS configuration and, as its last line, `images_per_second <number>`.

func option(_ name: String, default value: Int) -> Int {
    let args = CommandLine.arguments
    guard let i = args.firstIndex(of: name), i + 1 < args.count, let v = Int(args[i + 1]) else { return value }
    return v
}

let command = CommandLine.arguments.dropFirst().first
if command == "detector-run" {
    do { try DetectorRunBenchmark(arguments: CommandLine.arguments).run(); exit(0) } catch {
        FileHandle.standardError.write("perf detector-run: \(error)\n".data(using: .utf8)!)
        exit(1)
    }
}
guard command == "train-step" else {
    FileHandle.standardError.write("usage: perf train-step [--steps 30] [--batch 8] [--threads N]\n       perf detector-run [--kind gfl] [--depth 18] [--width 0.25] [--iterations 100] [--batch 16] ...\n".data(using: .utf8)!)
    exit(64)
}
let steps = option("--steps", default: 30), batch = option("--batch", default: 8)
let threads = option("--threads", default: ProcessInfo.processInfo.activeProcessorCount)

Parallelism.workers = threads

let result = TrainStepBenchmark(batch: batch).measure(warmup: 5, steps: steps)
print("blas_core \(BLASInfo.coreName)")
print("blas_threads \(BLASInfo.threads)")
print("kernel_threads \(Parallelism.workers)")
print("parameters \(result.parameters)")
print("seconds_per_step \(String(format: "%.5f", result.secondsPerStep))")
print("images_per_second \(String(format: "%.2f", Double(batch) / result.secondsPerStep))")
