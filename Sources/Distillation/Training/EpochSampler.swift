import Tensor

/// Which images make up iteration `it`'s batch, as a pure function of (seed, iteration): epochs
/// are shuffled permutations of the dataset (mmdet's sampler), each drawn from its own RNG
/// stream, and each image's flip is drawn from the iteration's stream. A resumed run therefore
/// sees exactly the batches an uninterrupted one would.
public struct EpochSampler: Sendable {
    public let count: Int, batchSize: Int, seed: UInt64
    public var flipProbability: Float = 0.5

    public init(count: Int, batchSize: Int, seed: UInt64) {
        precondition(count > 0 && batchSize > 0, "EpochSampler: \(count) images, batch \(batchSize)")
        self.count = count; self.batchSize = batchSize; self.seed = seed
    }

    func permutation(epoch: Int) -> [Int] {
        var rng = RNG(seed: seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(epoch))
        var order = Array(0..<count)
        rng.shuffle(&order)
        return order
    }

    /// Dataset indices and horizontal-flip flags of iteration `it`.
    public func batch(_ it: Int) -> (indices: [Int], flips: [Bool]) {
        var rng = RNG(seed: seed ^ (UInt64(it) &* 0xD1B5_4A32_D192_ED03))
        var cachedEpoch = -1, order: [Int] = []
        var indices: [Int] = [], flips: [Bool] = []
        for j in 0..<batchSize {
            let position = it * batchSize + j
            let epoch = position / count
            if epoch != cachedEpoch { order = permutation(epoch: epoch); cachedEpoch = epoch }
            indices.append(order[position % count])
            flips.append(rng.uniform() < flipProbability)
        }
        return (indices, flips)
    }
}
