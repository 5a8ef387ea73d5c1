import Data
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
if command == "conv-shapes" {
    // Convolutions alone over a shape list, as one step: `perf conv-shapes FILE [--rounds 10] [--per-layer]`.
    let args = CommandLine.arguments
    guard args.count >= 3 else {
        FileHandle.standardError.write("usage: perf conv-shapes FILE [--rounds 10] [--per-layer]\n".data(using: .utf8)!)
        exit(64)
    }
    do {
        let benchmark = try ConvShapesBenchmark(file: args[2])
        let seconds = benchmark.measure(warmup: 2, rounds: option("--rounds", default: 10))
        print("blas_core \(BLASInfo.coreName)")
        print("kernel_threads \(Parallelism.workers)")
        print("layers \(benchmark.layers.count)")
        if args.contains("--per-layer") {
            for (line, t) in benchmark.measureLayers(rounds: option("--rounds", default: 10)).enumerated() {
                print("layer \(line + 1) \(String(format: "%.3f", t * 1000)) ms")
            }
        }
        print("milliseconds_per_step \(String(format: "%.1f", seconds * 1000))")
        exit(0)
    } catch {
        FileHandle.standardError.write("perf conv-shapes: \(error)\n".data(using: .utf8)!)
        exit(1)
    }
}
if command == "export-crops" {
    // Writes `--count` pretraining crops (normalised float32 NCHW) and their labels (int32), for
    // comparing the pretraining stage against a PyTorch reference on identical data.
    let count = option("--count", default: 1024), size = option("--crop", default: 32)
    let seed = UInt64(option("--seed", default: 7))
    let crops = ObjectCrops(cropSize: size, seed: seed)
    let (images, labels) = crops.batch(Array(0..<count), normalization: .imageNet)
    let out = CommandLine.arguments.last!
    try! images.data.withUnsafeBytes { Data($0) }.write(to: URL(fileURLWithPath: out + ".images.f32"))
    try! labels.map(Int32.init).withUnsafeBytes { Data($0) }.write(to: URL(fileURLWithPath: out + ".labels.i32"))
    exit(0)
}
guard command == "train-step" else {
    FileHandle.standardError.write("usage: perf train-step [--steps 30] [--batch 8] [--threads N]\n       perf conv-shapes FILE [--rounds 10] [--per-layer]\n       perf detector-run [--kind gfl] [--depth 18] [--width 0.25] [--iterations 100] [--batch 16] [--variant oriented] [--box-head distribution] ...\n".data(using: .utf8)!)
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
