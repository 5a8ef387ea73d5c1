/// An axis-aligned box in pixel corner coordinates (x1, y1) top-left, (x2, y2) bottom-right,
/// the convention of mmdetection's tensors. COCO's [x, y, w, h] lives in `Evaluation.BoundingBox`.
public struct Box: Equatable, Hashable, Sendable, Codable {
    public var x1: Float, y1: Float, x2: Float, y2: Float

    public init(x1: Float, y1: Float, x2: Float, y2: Float) {
        self.x1 = x1; self.y1 = y1; self.x2 = x2; self.y2 = y2
    }

    public init(centerX: Float, centerY: Float, width: Float, height: Float) {
        self.init(x1: centerX - width / 2, y1: centerY - height / 2, x2: centerX + width / 2, y2: centerY + height / 2)
    }

    public var width: Float { x2 - x1 }
    public var height: Float { y2 - y1 }
    /// Zero for degenerate boxes (never negative).
    public var area: Float { Swift.max(0, width) * Swift.max(0, height) }
    public var centerX: Float { (x1 + x2) / 2 }
    public var centerY: Float { (y1 + y2) / 2 }
}
