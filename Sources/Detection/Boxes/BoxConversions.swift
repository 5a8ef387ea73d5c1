/// Conversions between `Box` (corners x1, y1, x2, y2) and the other layouts the project meets:
/// COCO's [x, y, w, h] (Evaluation and the JSON readers) and flat `[Float]` rows of 4 (tensors).
extension Box {
    /// From COCO's [x, y, w, h]: (x, y) is the top-left corner, so x2 = x + w, y2 = y + h
    /// (pycocotools' convention since COCO 2014; no "+1").
    public init(cocoX x: Float, y: Float, width: Float, height: Float) {
        self.init(x1: x, y1: y, x2: x + width, y2: y + height)
    }

    /// COCO's [x, y, w, h] of this box; `Box(cocoX:y:width:height:)` inverts it exactly up to
    /// the rounding of x + w.
    public var cocoXYWH: (x: Float, y: Float, width: Float, height: Float) { (x1, y1, x2 - x1, y2 - y1) }

    /// Clipped to the image as mmdet does when decoding (`delta2bbox`, `distance2bbox` with
    /// `max_shape`): x into [0, width], y into [0, height]. Note the bound is the width itself,
    /// not width − 1 (mmdet 2.x dropped the legacy "+1" pixel convention).
    public func clipped(to size: ImageSize) -> Box {
        let w = Float(size.width), h = Float(size.height)
        return Box(x1: Swift.min(Swift.max(x1, 0), w), y1: Swift.min(Swift.max(y1, 0), h),
                   x2: Swift.min(Swift.max(x2, 0), w), y2: Swift.min(Swift.max(y2, 0), h))
    }

    /// Each coordinate multiplied: x by `sx`, y by `sy`. mmdet's `rescale=True` divides decoded
    /// boxes by the resize factor, i.e. `scaled(x: 1 / fx, y: 1 / fy)`.
    public func scaled(x sx: Float, y sy: Float) -> Box {
        Box(x1: x1 * sx, y1: y1 * sy, x2: x2 * sx, y2: y2 * sy)
    }

    /// Boxes as one flat row-major array of n × 4 floats (x1, y1, x2, y2 per box), the layout of
    /// an (n, 4) tensor.
    public static func flatten(_ boxes: [Box]) -> [Float] {
        var out = [Float](repeating: 0, count: boxes.count * 4)
        for (i, b) in boxes.enumerated() {
            out[4 * i] = b.x1; out[4 * i + 1] = b.y1; out[4 * i + 2] = b.x2; out[4 * i + 3] = b.y2
        }
        return out
    }

    /// Inverse of `flatten`: `flat.count` must be a multiple of 4.
    public static func unflatten(_ flat: [Float]) -> [Box] {
        precondition(flat.count % 4 == 0, "Box.unflatten: \(flat.count) floats is not a multiple of 4")
        return (0..<flat.count / 4).map { Box(x1: flat[4 * $0], y1: flat[4 * $0 + 1], x2: flat[4 * $0 + 2], y2: flat[4 * $0 + 3]) }
    }
}
