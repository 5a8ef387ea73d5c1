/// Multi-level prior points exactly as mmdetection 2.x's `MlvlPointGenerator` (FCOS and the other
/// anchor-free heads): the point of location (x, y) on a level of stride s is
/// ((x + offset)·s, (y + offset)·s), offset 0.5 by default, i.e. the centre of the cell. (The
/// pre-2.18 `FCOSHead._get_points_single` added `stride // 2`, the same for even strides.)
public struct PointGenerator: Sendable {
    public let strides: [Int]
    public let offset: Float

    public init(strides: [Int], offset: Float = 0.5) {
        precondition(!strides.isEmpty, "PointGenerator: no strides")
        self.strides = strides; self.offset = offset
    }

    /// FCOS (mmdet `fcos_r50_caffe_fpn_gn-head`): strides 8–128, offset 0.5.
    public static func fcos(strides: [Int] = [8, 16, 32, 64, 128]) -> PointGenerator {
        PointGenerator(strides: strides)
    }

    public var numLevels: Int { strides.count }

    public func layout(featureSizes: [FeatureSize]) -> PriorLayout {
        PriorLayout(featureSizes: featureSizes, strides: strides, priorsPerLocation: 1)
    }

    /// mmdet `single_level_grid_priors`: row-major points of one level.
    public func singleLevelGridPriors(_ size: FeatureSize, level: Int) -> [Point] {
        let stride = Float(strides[level])
        var out: [Point] = []
        out.reserveCapacity(size.height * size.width)
        for y in 0..<size.height {
            // torch: (arange(0., h) + offset) * stride, in float32.
            let py = (Float(y) + offset) * stride
            for x in 0..<size.width { out.append(Point(x: (Float(x) + offset) * stride, y: py)) }
        }
        return out
    }

    /// mmdet `grid_priors` concatenated over levels.
    public func gridPriors(featureSizes: [FeatureSize]) -> Points {
        precondition(featureSizes.count == numLevels, "PointGenerator: \(featureSizes.count) feature sizes for \(numLevels) levels")
        var points: [Point] = []
        for (l, size) in featureSizes.enumerated() { points += singleLevelGridPriors(size, level: l) }
        return Points(points: points, layout: layout(featureSizes: featureSizes))
    }
}

/// Prior points of all levels, flat in `PriorLayout` order.
public struct Points: Equatable, Sendable {
    public let points: [Point]
    public let layout: PriorLayout

    public init(points: [Point], layout: PriorLayout) {
        precondition(points.count == layout.count, "Points: \(points.count) points for a layout of \(layout.count)")
        self.points = points; self.layout = layout
    }

    public var count: Int { points.count }
    public var levelCounts: [Int] { layout.levelCounts }
    public var levelIndices: [Int] { layout.levelIndices }
    public func level(_ l: Int) -> ArraySlice<Point> { points[layout.levels[l].range] }
    /// The stride of every point's level, flat (FCOS scales its regression targets by it); built
    /// on each access, like `levelIndices`.
    public var strides: [Float] {
        var out = [Float](repeating: 0, count: count)
        for level in layout.levels { for i in level.range { out[i] = Float(level.stride) } }
        return out
    }
}
