/// IoU of oriented boxes, as mmcv's `box_iou_rotated` defines it: the area of the intersection
/// of the two rectangles (a convex polygon) over the area of their union, without an epsilon;
/// 0 when the union is empty. The intersection is found by clipping one rectangle with each
/// edge of the other (Sutherland–Hodgman), in Double so that nearly parallel edges stay exact.
public func rotatedIoU(_ a: RotatedBox, _ b: RotatedBox) -> Float {
    RotatedQuad(a).iou(RotatedQuad(b))
}

/// Pairwise IoU: a.count × b.count. Callers that meet the same boxes again (anchors every
/// image, detections every IoU threshold) keep their `RotatedQuad`s and use the other form.
public func rotatedBoxOverlaps(_ a: [RotatedBox], _ b: [RotatedBox]) -> OverlapMatrix {
    rotatedBoxOverlaps(a.map(RotatedQuad.init), b.map(RotatedQuad.init))
}

public func rotatedBoxOverlaps(_ a: [RotatedQuad], _ b: [RotatedQuad]) -> OverlapMatrix {
    var m = OverlapMatrix(rows: a.count, cols: b.count)
    for i in a.indices { for j in b.indices { m[i, j] = a[i].iou(b[j]) } }
    return m
}

/// A rectangle ready for IoU: its corners in counter-clockwise order (in y-up terms: the order
/// the shoelace formula gives a positive area for), centre, circumradius and area.
public struct RotatedQuad: Sendable {
    let corners: [(x: Double, y: Double)]
    let center: (x: Double, y: Double)
    let radius: Double
    let area: Double

    public init(_ box: RotatedBox) {
        var points = box.corners.map { (x: Double($0.x), y: Double($0.y)) }
        if signedArea(points) < 0 { points.reverse() }
        corners = points
        center = (Double(box.centerX), Double(box.centerY))
        let w = Double(box.width), h = Double(box.height)
        radius = 0.5 * (w * w + h * h).squareRoot()
        area = Swift.max(0, w) * Swift.max(0, h)
    }
}

extension RotatedQuad {
    public func iou(_ other: RotatedQuad) -> Float {
        let dx = center.x - other.center.x, dy = center.y - other.center.y
        // Circumscribed circles apart: no overlap (skips most pairs of an anchor × gt matrix).
        if dx * dx + dy * dy >= (radius + other.radius) * (radius + other.radius) { return 0 }
        let inter = intersectionArea(corners, other.corners)
        let union = area + other.area - inter
        return union > 0 ? Float(Swift.min(1, Swift.max(0, inter / union))) : 0
    }
}

/// Shoelace area, positive for counter-clockwise vertices (x right, y up).
func signedArea(_ p: [(x: Double, y: Double)]) -> Double {
    guard p.count >= 3 else { return 0 }
    var s = 0.0
    for i in p.indices {
        let q = p[i], r = p[(i + 1) % p.count]
        s += q.x * r.y - r.x * q.y
    }
    return s / 2
}

/// Area of the intersection of two convex polygons with counter-clockwise vertices.
func intersectionArea(_ subject: [(x: Double, y: Double)], _ clip: [(x: Double, y: Double)]) -> Double {
    var polygon = subject
    for i in clip.indices {
        guard !polygon.isEmpty else { return 0 }
        let e0 = clip[i], e1 = clip[(i + 1) % clip.count]
        // Inside = left of the directed edge e0 → e1 (or on it).
        func side(_ p: (x: Double, y: Double)) -> Double { (e1.x - e0.x) * (p.y - e0.y) - (e1.y - e0.y) * (p.x - e0.x) }
        var next: [(x: Double, y: Double)] = []
        next.reserveCapacity(polygon.count + 2)
        for j in polygon.indices {
            let p = polygon[j], q = polygon[(j + 1) % polygon.count]
            let sp = side(p), sq = side(q)
            if sp >= 0 { next.append(p) }
            if (sp >= 0) != (sq >= 0) {
                let t = sp / (sp - sq)
                next.append((p.x + t * (q.x - p.x), p.y + t * (q.y - p.y)))
            }
        }
        polygon = next
    }
    return Swift.max(0, signedArea(polygon))
}

/// Class-wise greedy NMS of oriented boxes (mmrotate's `multiclass_nms_rotated` with mmcv's
/// `nms_rotated`): as `batchedNMS`, with rotated IoU, and a box dropped at IoU ≥ the threshold
/// (`nms_rotated_cpu`'s comparison; the axis-aligned `nms` drops at > only).
public func batchedRotatedNMS(boxes: [RotatedBox], scores: [Float], classes: [Int], iouThreshold: Float,
                              maxKept: Int? = nil) -> [Int] {
    precondition(boxes.count == scores.count && boxes.count == classes.count,
                 "batchedRotatedNMS: \(boxes.count) boxes, \(scores.count) scores, \(classes.count) classes")
    let quads = boxes.map(RotatedQuad.init)
    return classwiseNMS(scores: scores, classes: classes, maxKept: maxKept) { order, limit in
        var suppressed = [Bool](repeating: false, count: order.count)
        var kept: [Int] = []
        for a in order.indices where !suppressed[a] {
            if kept.count == limit { break }
            kept.append(order[a])
            for b in (a + 1)..<order.count where !suppressed[b] {
                if quads[order[a]].iou(quads[order[b]]) >= iouThreshold { suppressed[b] = true }
            }
        }
        return kept
    }
}
