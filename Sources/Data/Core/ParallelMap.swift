import Dispatch
import Tensor

/// `(0..<count).map(transform)` on `Parallelism.workers` threads in contiguous chunks. The result
/// is in index order whatever the scheduling, so callers stay deterministic. Throwing work is
/// mapped to `Result` by the caller and unwrapped afterwards.
public func parallelMap<T>(_ count: Int, _ transform: (Int) -> T) -> [T] {
    let workers = min(Parallelism.workers, count)
    if workers <= 1 { return (0..<count).map(transform) }
    let perWorker = (count + workers - 1) / workers
    return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
        guard let base = buffer.baseAddress else { return }
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for index in (worker * perWorker)..<min(count, (worker + 1) * perWorker) {
                (base + index).initialize(to: transform(index))
            }
        }
        initialized = count
    }
}
