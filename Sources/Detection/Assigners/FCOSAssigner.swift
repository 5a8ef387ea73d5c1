/// FCOS target assignment exactly as mmdetection 2.x's `FCOSHead._get_target_single` (with the
/// "imprv" options the papers use: centre sampling, radius 1.5). A point p on level l (stride s,
/// regress range [lo, hi]) is a candidate of gt g when
/// 1. p lies strictly inside g's centre region: with centre sampling, the box
///    [cx − r·s, cx + r·s] × [cy − r·s, cy + r·s] intersected with g (r = `centerSampleRadius`);
///    without, g itself (min of the distances to the four sides > 0); and
/// 2. lo ≤ max(l*, t*, r*, b*) ≤ hi, the distances from p to g's sides (both ends inclusive).
/// Among its candidates a point takes the gt of smallest area (ties → lowest gt index, as
/// torch.min); a point without candidates is negative. FCOS has no ignored points.
///
/// The regress ranges are per level; mmdet's defaults suit 800-px images, so small-scale
/// profiles pass their own (`regressRanges(scaledBy:)` scales the inner bounds).
public struct FCOSAssigner: Sendable {
    /// mmdet's INF for the last level's upper bound.
    public static let infinity: Float = 1e8
    /// ((−1, 64), (64, 128), (128, 256), (256, 512), (512, INF)) for P3–P7.
    public static let defaultRegressRanges: [ClosedRange<Float>] = [-1...64, 64...128, 128...256, 256...512, 512...infinity]

    public var regressRanges: [ClosedRange<Float>]
    public var centerSampling: Bool
    public var centerSampleRadius: Float

    public init(regressRanges: [ClosedRange<Float>] = FCOSAssigner.defaultRegressRanges,
                centerSampling: Bool = true, centerSampleRadius: Float = 1.5) {
        self.regressRanges = regressRanges; self.centerSampling = centerSampling; self.centerSampleRadius = centerSampleRadius
    }

    /// The default ranges with every finite bound except the −1 multiplied by `factor` (e.g.
    /// 128 / 800 for 128-px images): the bounds are object sizes, which scale with the image.
    public static func regressRanges(scaledBy factor: Float, levels: Int = 5) -> [ClosedRange<Float>] {
        let bounds: [Float] = [64, 128, 256, 512]
        return (0..<levels).map { l in
            let lo: Float = l == 0 ? -1 : bounds[Swift.min(l - 1, bounds.count - 1)] * factor
            let hi: Float = l == levels - 1 ? infinity : bounds[l] * factor
            return lo...hi
        }
    }

    public func assign(points: Points, gts: [Box]) -> Assignment {
        assign(points: points.points, layout: points.layout, gts: gts)
    }

    /// `points` flat in `layout` order (one point per location).
    public func assign(points: [Point], layout: PriorLayout, gts: [Box]) -> Assignment {
        precondition(points.count == layout.count, "FCOSAssigner: \(points.count) points for a layout of \(layout.count)")
        precondition(layout.levels.count <= regressRanges.count, "FCOSAssigner: \(layout.levels.count) levels, \(regressRanges.count) regress ranges")
        if gts.isEmpty { return Assignment.allNegative(count: points.count) }
        // mmdet: areas from the raw corners; centres (x1 + x2) / 2 in float32.
        let areas = gts.map { ($0.x2 - $0.x1) * ($0.y2 - $0.y1) }
        let centers = gts.map { Point(x: ($0.x1 + $0.x2) / 2, y: ($0.y1 + $0.y2) / 2) }
        var assigned = [Int](repeating: Assignment.negative, count: points.count)
        for (l, level) in layout.levels.enumerated() {
            let range = regressRanges[l]
            // mmdet: stride * radius as a Python float, stored into a float32 tensor.
            let radius = Float(Double(level.stride) * Double(centerSampleRadius))
            for p in level.range {
                let px = points[p].x, py = points[p].y
                var best = -1, bestArea = Self.infinity
                for (g, box) in gts.enumerated() {
                    let left = px - box.x1, right = box.x2 - px, top = py - box.y1, bottom = box.y2 - py
                    let inside: Bool
                    if centerSampling {
                        let c = centers[g]
                        let x0 = Swift.max(c.x - radius, box.x1), y0 = Swift.max(c.y - radius, box.y1)
                        let x1 = Swift.min(c.x + radius, box.x2), y1 = Swift.min(c.y + radius, box.y2)
                        inside = Swift.min(Swift.min(px - x0, py - y0), Swift.min(x1 - px, y1 - py)) > 0
                    } else {
                        inside = Swift.min(Swift.min(left, top), Swift.min(right, bottom)) > 0
                    }
                    guard inside else { continue }
                    let maxDistance = Swift.max(Swift.max(left, top), Swift.max(right, bottom))
                    guard range.contains(maxDistance) else { continue }
                    // Strict: the first gt keeps an area tie, as torch.min returns the first minimum;
                    // an area ≥ INF can never win, as in mmdet.
                    if areas[g] < bestArea { bestArea = areas[g]; best = g }
                }
                assigned[p] = best
            }
        }
        return Assignment(gtIndices: assigned, overlaps: [Float](repeating: 0, count: points.count), numGTs: gts.count)
    }
}
