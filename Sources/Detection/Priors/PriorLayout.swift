/// Height × width of one feature map (mmdet `featmap_size`, given there as (h, w)).
public struct FeatureSize: Equatable, Hashable, Sendable, Codable {
    public var height: Int, width: Int

    public init(height: Int, width: Int) { self.height = height; self.width = width }

    /// The size of the level of stride `stride` for an input of `image`: ceil(H / s) × ceil(W / s).
    /// This is what a chain of stride-2 3×3 convolutions with padding 1 (or a ResNet stem) gives;
    /// the network's actual output sizes are authoritative when they differ.
    public static func forImage(_ image: ImageSize, stride: Int) -> FeatureSize {
        FeatureSize(height: (image.height + stride - 1) / stride, width: (image.width + stride - 1) / stride)
    }
}

/// One level's block in the flat multi-level prior list.
public struct PriorLevel: Equatable, Sendable {
    public let featureSize: FeatureSize
    public let stride: Int
    /// Priors per location: the anchor generator's A (9 for RetinaNet), 1 for points and ATSS.
    public let priorsPerLocation: Int
    /// Index of this level's first prior in the flat list.
    public let start: Int

    public var count: Int { featureSize.height * featureSize.width * priorsPerLocation }
    public var range: Range<Int> { start..<(start + count) }
}

/// Layout of a flat multi-level prior list, in mmdet's order (`grid_priors` then `torch.cat`):
/// levels finest first; within a level, locations row-major (y outer, x inner); the
/// `priorsPerLocation` priors of one location consecutive. So the prior at level l, row y,
/// column x, base prior k has flat index `levels[l].start + (y * width + x) * A + k`, and a head
/// output permuted NCHW → NHWA and flattened lines up with it.
public struct PriorLayout: Equatable, Sendable {
    public let levels: [PriorLevel]

    public init(featureSizes: [FeatureSize], strides: [Int], priorsPerLocation: Int) {
        precondition(featureSizes.count == strides.count, "PriorLayout: \(featureSizes.count) feature sizes for \(strides.count) strides")
        var start = 0
        var levels: [PriorLevel] = []
        for (size, stride) in zip(featureSizes, strides) {
            let level = PriorLevel(featureSize: size, stride: stride, priorsPerLocation: priorsPerLocation, start: start)
            levels.append(level)
            start += level.count
        }
        self.levels = levels
    }

    /// Total number of priors over all levels.
    public var count: Int { levels.last.map { $0.start + $0.count } ?? 0 }

    /// Priors per level (mmdet `num_level_anchors`), what `ATSSAssigner` takes.
    public var levelCounts: [Int] { levels.map(\.count) }

    /// Level index of every prior, flat (built on each access: keep a copy in loops).
    public var levelIndices: [Int] {
        var out = [Int](repeating: 0, count: count)
        for (l, level) in levels.enumerated() { for i in level.range { out[i] = l } }
        return out
    }

    /// Level of one prior (linear over the ≤ 5 levels).
    public func level(ofPrior index: Int) -> Int {
        precondition(index >= 0 && index < count, "PriorLayout: prior \(index) outside 0..<\(count)")
        var l = 0
        while index >= levels[l].start + levels[l].count { l += 1 }
        return l
    }

    /// (level, row y, column x, base prior k) of one prior.
    public func location(ofPrior index: Int) -> (level: Int, y: Int, x: Int, k: Int) {
        let l = level(ofPrior: index), level = levels[l]
        let local = index - level.start, cell = local / level.priorsPerLocation
        return (l, cell / level.featureSize.width, cell % level.featureSize.width, local % level.priorsPerLocation)
    }

    /// mmdet `valid_flags`: a prior is valid when its location lies inside the part of the
    /// feature map covered by the unpadded image, i.e. y < min(ceil(h / s), H) and
    /// x < min(ceil(w / s), W) for the image's (pad) shape h × w. Only matters when images of
    /// different sizes are padded into one batch; with `allowed_border = −1` (all the papers'
    /// one-stage configs) these flags are exactly mmdet's `inside_flags`.
    public func validFlags(imageSize: ImageSize) -> [Bool] {
        var out = [Bool](repeating: false, count: count)
        for level in levels {
            let fs = level.featureSize
            let validH = Swift.min((imageSize.height + level.stride - 1) / level.stride, fs.height)
            let validW = Swift.min((imageSize.width + level.stride - 1) / level.stride, fs.width)
            for y in 0..<validH {
                for x in 0..<validW {
                    let base = level.start + (y * fs.width + x) * level.priorsPerLocation
                    for k in 0..<level.priorsPerLocation { out[base + k] = true }
                }
            }
        }
        return out
    }
}
