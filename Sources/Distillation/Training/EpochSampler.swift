import Data
import Tensor

/// Which images make up iteration `it`'s batch, and the RNG its augmentation draws from, as pure
/// functions of (seed, iteration): each epoch is `BatchSampler`'s shuffle under its own RNG
/// stream. A resumed run therefore sees exactly the batches an uninterrupted one would.
public struct EpochSampler: Sendable {
    public let sampler: BatchSampler
    public let seed: UInt64

    public init(count: Int, batchSize: Int, seed: UInt64) {
        precondition(count >= batchSize && batchSize > 0, "EpochSampler: \(count) images for batches of \(batchSize)")
        sampler = BatchSampler(count: count, batchSize: batchSize, shuffle: true, dropLast: true)
        self.seed = seed
    }

    /// Dataset indices of iteration `it`.
    public func indices(_ it: Int) -> [Int] {
        let perEpoch = sampler.batchesPerEpoch
        var rng = RNG(seed: seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(it / perEpoch))
        return sampler.epoch(rng: &rng)[it % perEpoch]
    }

    /// The augmentation stream of iteration `it` (scale choice, flips).
    public func augmentationRNG(_ it: Int) -> RNG { RNG(seed: seed ^ (UInt64(it) &* 0xD1B5_4A32_D192_ED03)) }
}
