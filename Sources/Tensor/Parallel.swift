import Dispatch
import Foundation

/// Splits 0..<count into contiguous chunks run on all cores; serial when the work is small.
/// `minPerChunk` is the smallest chunk worth a thread hop (in loop iterations).
@inline(__always)
func parallelChunks(_ count: Int, minPerChunk: Int = 1, _ body: (Range<Int>) -> Void) {
    let workers = min(Parallelism.workers, max(1, count / max(minPerChunk, 1)))
    if workers <= 1 { body(0..<count); return }
    let per = (count + workers - 1) / workers
    DispatchQueue.concurrentPerform(iterations: workers) { w in
        let lo = w * per, hi = min(count, lo + per)
        if lo < hi { body(lo..<hi) }
    }
}

public enum Parallelism {
    /// Threads used by the project's own kernels (OpenBLAS keeps its own count).
    nonisolated(unsafe) public static var workers: Int = ProcessInfo.processInfo.activeProcessorCount
}
