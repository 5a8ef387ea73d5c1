/// A point in pixel coordinates: an FCOS/GFL prior location, or an anchor's centre.
public struct Point: Equatable, Hashable, Sendable, Codable {
    public var x: Float, y: Float

    public init(x: Float, y: Float) { self.x = x; self.y = y }
}

extension Box {
    /// The centre ((x1 + x2) / 2, (y1 + y2) / 2), mmdet's `anchor_center`; ATSS measures its
    /// candidate distances and its "centre inside the gt" test from it.
    public var center: Point { Point(x: centerX, y: centerY) }
}
