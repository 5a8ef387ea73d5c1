/// Box overlap measures, computed as mmdetection's `bbox_overlaps` (mmdet 2.x `iou2d_calculator.py`)
/// and, for DIoU, as the LD repository's extension of it (used by LD's valuable localization
/// region). Conventions, all as mmdet:
/// - areas are (x2 − x1)·(y2 − y1), not clamped (boxes are assumed valid, x2 ≥ x1, y2 ≥ y1);
/// - the intersection's width and height are clamped at 0;
/// - the denominators are guarded with `max(·, eps)` (eps 1e-6), so two empty boxes give 0.
public enum OverlapMode: Sendable {
    /// Intersection over union.
    case iou
    /// Intersection over foreground: intersection / area of the *first* box. mmdet uses it with
    /// the priors first to ignore priors lying mostly inside crowd/ignore regions.
    case iof
    /// Generalized IoU (Rezatofighi et al. 2019): IoU − (C − U) / C, C the enclosing box's area.
    case giou
    /// Distance IoU (Zheng et al. 2020): IoU − ρ² / c², ρ the distance between the centres and c
    /// the enclosing box's diagonal.
    case diou
}

/// The overlap of one pair of boxes.
@inline(__always)
public func boxOverlap(_ a: Box, _ b: Box, mode: OverlapMode = .iou, eps: Float = 1e-6) -> Float {
    let area1 = (a.x2 - a.x1) * (a.y2 - a.y1)
    let w = Swift.max(Swift.min(a.x2, b.x2) - Swift.max(a.x1, b.x1), 0)
    let h = Swift.max(Swift.min(a.y2, b.y2) - Swift.max(a.y1, b.y1), 0)
    let overlap = w * h
    let union: Float
    if mode == .iof {
        union = Swift.max(area1, eps)
    } else {
        let area2 = (b.x2 - b.x1) * (b.y2 - b.y1)
        union = Swift.max(area1 + area2 - overlap, eps)
    }
    let iou = overlap / union
    switch mode {
    case .iou, .iof:
        return iou
    case .giou:
        let ew = Swift.max(Swift.max(a.x2, b.x2) - Swift.min(a.x1, b.x1), 0)
        let eh = Swift.max(Swift.max(a.y2, b.y2) - Swift.min(a.y1, b.y1), 0)
        let enclose = Swift.max(ew * eh, eps)
        return iou - (enclose - union) / enclose
    case .diou:
        let ew = Swift.max(Swift.max(a.x2, b.x2) - Swift.min(a.x1, b.x1), 0)
        let eh = Swift.max(Swift.max(a.y2, b.y2) - Swift.min(a.y1, b.y1), 0)
        // Squared centre distance written as LD does: ((b.x1 + b.x2) − (a.x1 + a.x2))² / 4.
        let dx = (b.x1 + b.x2) - (a.x1 + a.x2), dy = (b.y1 + b.y2) - (a.y1 + a.y2)
        let rho2 = dx * dx / 4 + dy * dy / 4
        let c2 = Swift.max(ew * ew + eh * eh, eps)
        return iou - rho2 / c2
    }
}

/// Pairwise overlaps: an a.count × b.count matrix whose (i, j) entry is `boxOverlap(a[i], b[j])`.
/// For `.iof` the first argument is the foreground (its area is the denominator).
public func boxOverlaps(_ a: [Box], _ b: [Box], mode: OverlapMode = .iou, eps: Float = 1e-6) -> OverlapMatrix {
    var values = [Float](repeating: 0, count: a.count * b.count)
    let cols = b.count
    a.withUnsafeBufferPointer { pa in
        b.withUnsafeBufferPointer { pb in
            values.withUnsafeMutableBufferPointer { out in
                for i in 0..<pa.count {
                    let ai = pa[i], row = i * cols
                    for j in 0..<cols { out[row + j] = boxOverlap(ai, pb[j], mode: mode, eps: eps) }
                }
            }
        }
    }
    return OverlapMatrix(rows: a.count, cols: b.count, values: values)
}

/// Aligned overlaps: element i is `boxOverlap(a[i], b[i])` (mmdet `is_aligned=True`); the
/// arrays must have equal length.
public func alignedBoxOverlaps(_ a: [Box], _ b: [Box], mode: OverlapMode = .iou, eps: Float = 1e-6) -> [Float] {
    precondition(a.count == b.count, "alignedBoxOverlaps: \(a.count) boxes against \(b.count)")
    var out = [Float](repeating: 0, count: a.count)
    for i in 0..<a.count { out[i] = boxOverlap(a[i], b[i], mode: mode, eps: eps) }
    return out
}

extension Box {
    /// IoU with another box.
    public func iou(_ other: Box) -> Float { boxOverlap(self, other, mode: .iou) }
    /// Generalized IoU with another box.
    public func giou(_ other: Box) -> Float { boxOverlap(self, other, mode: .giou) }
    /// Distance IoU with another box.
    public func diou(_ other: Box) -> Float { boxOverlap(self, other, mode: .diou) }
    /// Intersection over this box's area (this box is the foreground).
    public func iof(_ other: Box) -> Float { boxOverlap(self, other, mode: .iof) }
}
