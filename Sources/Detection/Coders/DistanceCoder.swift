/// Point-to-side distances as mmdetection 2.x's `DistancePointBBoxCoder` (`bbox2distance`,
/// `distance2bbox`), used by FCOS and GFL: a box is encoded from a point as the distances
/// (left, top, right, bottom) = (px − x1, py − y1, x2 − px, y2 − py), rows of 4 floats.
///
/// Stride normalisation, two conventions of the detectors:
/// - GFL (`GFLHead.loss_single`) divides the anchor centre *and* the target box by the stride,
///   then encodes with `maxDistance = reg_max`: `.dividePointAndBox`;
/// - FCOS with `norm_on_bbox` computes pixel distances and divides them by the stride:
///   `.divideDistances`.
/// The two agree up to float rounding; each is here so targets match the reference bit for bit.
/// Decoding with a stride multiplies the distances by it first (GFL: `integral(x) · stride`;
/// FCOS at test time: `bbox_pred · stride`).
public struct DistanceCoder: Sendable {
    public typealias Distances = (left: Float, top: Float, right: Float, bottom: Float)

    public enum StrideNormalization: Sendable {
        /// GFL: (p / s) − (box / s).
        case dividePointAndBox
        /// FCOS `norm_on_bbox`: (p − box) / s.
        case divideDistances
    }

    /// Clip decoded boxes to `maxShape` when one is given (mmdet `clip_border`, default true).
    public let clipBorder: Bool

    public init(clipBorder: Bool = true) { self.clipBorder = clipBorder }

    /// mmdet `bbox2distance`. With `maxDistance` every side is clamped to [0, maxDistance − eps]
    /// (GFL: reg_max − 0.1 = 15.9, so the DFL's right bin ⌊y⌋ + 1 stays ≤ reg_max); without it the
    /// distances are returned unclamped, negative when the point lies outside the box.
    public func encode(point p: Point, gt g: Box, maxDistance: Float? = nil, eps: Float = 0.1) -> Distances {
        Self.clamped((p.x - g.x1, p.y - g.y1, g.x2 - p.x, g.y2 - p.y), maxDistance: maxDistance, eps: eps)
    }

    @inline(__always)
    static func clamped(_ d: Distances, maxDistance: Float?, eps: Float) -> Distances {
        guard let m = maxDistance else { return d }
        let hi = m - eps
        return (Swift.min(Swift.max(d.left, 0), hi), Swift.min(Swift.max(d.top, 0), hi),
                Swift.min(Swift.max(d.right, 0), hi), Swift.min(Swift.max(d.bottom, 0), hi))
    }

    /// Aligned encoding of gts[i] from points[i] into row i of an n × 4 array. With a `stride`,
    /// the targets are in stride units, normalised as `normalization` says (GFL's by default).
    public func encode(points: [Point], gts: [Box], stride: Float? = nil,
                       normalization: StrideNormalization = .dividePointAndBox,
                       maxDistance: Float? = nil, eps: Float = 0.1) -> [Float] {
        precondition(points.count == gts.count, "DistanceCoder.encode: \(points.count) points for \(gts.count) gts")
        var out = [Float](repeating: 0, count: points.count * 4)
        for i in 0..<points.count {
            let p = points[i], g = gts[i]
            let d: Distances
            switch (stride, normalization) {
            case (nil, _):
                d = encode(point: p, gt: g, maxDistance: maxDistance, eps: eps)
            case (let s?, .dividePointAndBox):
                d = encode(point: Point(x: p.x / s, y: p.y / s), gt: Box(x1: g.x1 / s, y1: g.y1 / s, x2: g.x2 / s, y2: g.y2 / s),
                           maxDistance: maxDistance, eps: eps)
            case (let s?, .divideDistances):
                let raw = encode(point: p, gt: g)
                d = Self.clamped((raw.left / s, raw.top / s, raw.right / s, raw.bottom / s), maxDistance: maxDistance, eps: eps)
            }
            out[4 * i] = d.left; out[4 * i + 1] = d.top; out[4 * i + 2] = d.right; out[4 * i + 3] = d.bottom
        }
        return out
    }

    /// mmdet `distance2bbox` for one point: (px − l, py − t, px + r, py + b), clipped to
    /// `maxShape` (x in [0, W], y in [0, H]) when given and `clipBorder`.
    public func decode(point p: Point, distances d: Distances, maxShape: ImageSize? = nil) -> Box {
        let box = Box(x1: p.x - d.left, y1: p.y - d.top, x2: p.x + d.right, y2: p.y + d.bottom)
        if clipBorder, let shape = maxShape { return box.clipped(to: shape) }
        return box
    }

    /// Decodes row i of `distances` (n × 4) from points[i]; with a `stride` the distances are in
    /// stride units and are multiplied by it first.
    public func decode(points: [Point], distances: [Float], stride: Float? = nil, maxShape: ImageSize? = nil) -> [Box] {
        precondition(distances.count == points.count * 4, "DistanceCoder.decode: \(distances.count) distances for \(points.count) points")
        let s = stride ?? 1
        return (0..<points.count).map { i in
            let d = (distances[4 * i], distances[4 * i + 1], distances[4 * i + 2], distances[4 * i + 3])
            let scaled = stride == nil ? d : (d.0 * s, d.1 * s, d.2 * s, d.3 * s)
            return decode(point: points[i], distances: scaled, maxShape: maxShape)
        }
    }
}
