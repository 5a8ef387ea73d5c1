/// SAPD's anchor-point assignment (Zhu et al. 2020, §3.1, as FSAF's): on every pyramid level, a
/// point is a candidate of gt g when it lies in g's effective region, the box shrunk about its
/// centre to ε·w × ε·h (ε 0.2, edges inclusive). A gt whose effective region holds no point of a
/// level takes that level's point nearest its centre, so every gt has candidates on every level,
/// as the unofficial Keras code (xuannianz/SAPD `shrink_and_project_boxes`) guarantees. Among its
/// candidates a point takes the gt of smallest area (ties → the lower index); other points are
/// negative, none ignored (no ignore ring: neither that code nor mmdet's FSAF config has one).
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
        var assigned = [Int](repeating: Assignment.negative, count: n)
        for level in points.layout.levels {
            let s = Float(level.stride), size = level.featureSize
            let first = points.points[level.start]
            // Each gt's candidate points on this level.
            var candidates = [[Int]](repeating: [], count: gts.count)
            for (g, box) in gts.enumerated() {
                let cx = (box.x1 + box.x2) / 2, cy = (box.y1 + box.y2) / 2
                let hw = effectiveRegion * (box.x2 - box.x1) / 2, hh = effectiveRegion * (box.y2 - box.y1) / 2
                for p in level.range {
                    let q = points.points[p]
                    if q.x >= cx - hw && q.x <= cx + hw && q.y >= cy - hh && q.y <= cy + hh { candidates[g].append(p) }
                }
                if candidates[g].isEmpty {
                    // The nearest grid point to the centre: the points are a regular grid of step s.
                    let col = Swift.min(Swift.max(Int(((cx - first.x) / s).rounded()), 0), size.width - 1)
                    let row = Swift.min(Swift.max(Int(((cy - first.y) / s).rounded()), 0), size.height - 1)
                    candidates[g].append(level.start + row * size.width + col)
                }
            }
            for (g, list) in candidates.enumerated() {
                for p in list {
                    let current = assigned[p]
                    if current < 0 || areas[g] < areas[current] { assigned[p] = g }
                }
            }
        }
        return Assignment(gtIndices: assigned, overlaps: [Float](repeating: 0, count: n), numGTs: gts.count)
    }
}
