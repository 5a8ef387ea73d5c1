/// SAPD's anchor-point assignment (Zhu et al. 2020, §3.1, as FSAF's): on every pyramid level, a
/// point is a candidate of gt g when its cell (the stride × stride square around it) overlaps
/// g's effective region, the box shrunk about its centre to ε·w × ε·h (ε 0.2), and the point
/// lies strictly inside g. The overlap rule is the unofficial Keras code's raster (xuannianz/SAPD
/// `shrink_and_project_boxes`: cells floor(x₁′/s) up to ceil(x₂′/s)) and mmdetection's
/// `CenterRegionAssigner` (IoF of the stride-sized anchor with the region > 0.01); the inside
/// rule is mmdetection's, so every positive has a soft weight above 0. Among its candidates a
/// point takes the gt of smallest area (ties → the lower index); other points are negative,
/// none ignored (no ignore ring: neither that code nor mmdet's FSAF config has one).
///
/// Which levels then train a gt, and how much, is the detector's soft level selection
/// (`DenseDetector.sapdLosses`), not this assigner's.
public struct SAPDAssigner: Sendable {
    /// ε: the effective region's side as a fraction of the box's.
    public var effectiveRegion: Float = 0.2

    public init() {}

    public func assign(points: Points, gts: [Box]) -> Assignment {
        let n = points.count
        if gts.isEmpty { return Assignment.allNegative(count: n) }
        let areas = gts.map { ($0.x2 - $0.x1) * ($0.y2 - $0.y1) }
        // Each gt's effective region: centre and half sides.
        let regions = gts.map { box in
            (cx: (box.x1 + box.x2) / 2, cy: (box.y1 + box.y2) / 2,
             hw: effectiveRegion * (box.x2 - box.x1) / 2, hh: effectiveRegion * (box.y2 - box.y1) / 2)
        }
        var assigned = [Int](repeating: Assignment.negative, count: n)
        for level in points.layout.levels {
            let half = Float(level.stride) / 2
            for p in level.range {
                let q = points.points[p]
                for (g, (box, e)) in zip(gts, regions).enumerated() {
                    let overlaps = q.x - half < e.cx + e.hw && q.x + half > e.cx - e.hw
                        && q.y - half < e.cy + e.hh && q.y + half > e.cy - e.hh
                    let inside = q.x > box.x1 && q.x < box.x2 && q.y > box.y1 && q.y < box.y2
                    guard overlaps && inside else { continue }
                    let current = assigned[p]
                    if current < 0 || areas[g] < areas[current] { assigned[p] = g }
                }
            }
        }
        return Assignment(gtIndices: assigned, overlaps: [Float](repeating: 0, count: n), numGTs: gts.count)
    }
}
