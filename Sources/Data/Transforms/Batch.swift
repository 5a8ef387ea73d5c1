import Tensor

/// A mini-batch as the detectors take it.
public struct Batch {
    /// Normalised images, zero-padded at the bottom and right to a common size divisible by the
    /// transform's `sizeDivisor`: [B, 3, H, W].
    public let images: Tensor
    /// Each image's objects in network input coordinates (resized, flipped).
    public let objects: [[ObjectAnnotation]]
    public let imageIDs: [Int]
    /// How each image was made; `metas[i].toOriginal(_:)` maps predictions back.
    public let metas: [ImageMeta]

    /// Per image, the factors from original to network input coordinates (x, y).
    public var scaleFactors: [(x: Float, y: Float)] { metas.map { ($0.scaleX, $0.scaleY) } }
}

/// Turns dataset samples into batches through a `DetectionTransform`.
public struct BatchLoader {
    public let dataset: any DetectionDataset
    public let transform: DetectionTransform

    public init(dataset: any DetectionDataset, transform: DetectionTransform) {
        self.dataset = dataset
        self.transform = transform
    }

    /// Loads `indices` as one batch. The random choices (scale, flip) are drawn from `rng` in
    /// index order before any image is loaded, then images are loaded and transformed on all
    /// cores: the batch does not depend on the thread count.
    public func batch(_ indices: [Int], rng: inout RNG) throws -> Batch {
        precondition(!indices.isEmpty, "BatchLoader: empty batch")
        let pipeline = transform, source = dataset
        let choices = indices.map { _ in pipeline.draw(&rng) }
        let prepared = try parallelMap(indices.count) { k in
            Result { pipeline.apply(try source.sample(indices[k]), choice: choices[k]) }
        }.map { try $0.get() }
        return collate(prepared)
    }

    /// Pads every image to the batch's largest height and width, rounded up to the divisor.
    func collate(_ prepared: [(pixels: [Float], objects: [ObjectAnnotation], meta: ImageMeta)]) -> Batch {
        let divisor = transform.sizeDivisor
        let maxHeight = prepared.map(\.meta.height).max() ?? 0, maxWidth = prepared.map(\.meta.width).max() ?? 0
        let height = (maxHeight + divisor - 1) / divisor * divisor, width = (maxWidth + divisor - 1) / divisor * divisor
        var data = [Float](repeating: 0, count: prepared.count * 3 * height * width)
        for (b, image) in prepared.enumerated() {
            let w = image.meta.width, h = image.meta.height
            for c in 0..<3 {
                for y in 0..<h {
                    let source = (c * h + y) * w, target = ((b * 3 + c) * height + y) * width
                    data.replaceSubrange(target..<(target + w), with: image.pixels[source..<(source + w)])
                }
            }
        }
        return Batch(images: Tensor(shape: [prepared.count, 3, height, width], data: data),
                     objects: prepared.map(\.objects), imageIDs: prepared.map(\.meta.imageID), metas: prepared.map(\.meta))
    }
}

/// Splits `0..<count` into batches, one epoch at a time, shuffled by an explicitly passed RNG
/// (mmdetection's sampler draws a new permutation every epoch): the same RNG state gives the
/// same epoch on every machine.
public struct BatchSampler: Equatable, Sendable {
    public let count: Int
    public let batchSize: Int
    public let shuffle: Bool
    /// Drop a last, smaller batch (training) or keep it (evaluation).
    public let dropLast: Bool

    public init(count: Int, batchSize: Int, shuffle: Bool = true, dropLast: Bool = true) {
        precondition(count >= 0 && batchSize >= 1, "BatchSampler: count ≥ 0 and batchSize ≥ 1")
        self.count = count
        self.batchSize = batchSize
        self.shuffle = shuffle
        self.dropLast = dropLast
    }

    /// Batches per epoch.
    public var batchesPerEpoch: Int { dropLast ? count / batchSize : (count + batchSize - 1) / batchSize }

    /// One epoch's batches of indices. Draws from `rng` only when shuffling.
    public func epoch(rng: inout RNG) -> [[Int]] {
        var order = Array(0..<count)
        if shuffle { rng.shuffle(&order) }
        return (0..<batchesPerEpoch).map { b in Array(order[(b * batchSize)..<min(count, (b + 1) * batchSize)]) }
    }
}
