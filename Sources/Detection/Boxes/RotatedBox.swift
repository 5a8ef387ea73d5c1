import Foundation

/// An oriented box: centre, side lengths and angle, as DOTA/mmrotate use them.
///
/// `angle` is in radians in [-π/2, π/2) (mmrotate's "le90" range). In image coordinates (y down)
/// a positive angle turns the box's width axis from +x towards +y, i.e. clockwise on screen.
/// `width` is measured along that axis, `height` across it.
public struct RotatedBox: Equatable, Sendable {
    public var centerX: Float, centerY: Float, width: Float, height: Float, angle: Float

    public init(centerX: Float, centerY: Float, width: Float, height: Float, angle: Float) {
        self.centerX = centerX; self.centerY = centerY; self.width = width; self.height = height
        self.angle = angle
    }

    /// The four corners in order (+w/2,+h/2), (−w/2,+h/2), (−w/2,−h/2), (+w/2,−h/2) of the box frame.
    public var corners: [(x: Float, y: Float)] {
        let (sin, cos) = DeterministicMath.sinCos(Double(angle))
        let c = Float(cos), s = Float(sin)
        return [(1, 1), (-1, 1), (-1, -1), (1, -1)].map { (su: Float, sv: Float) in
            let u = su * width / 2, v = sv * height / 2
            return (centerX + c * u - s * v, centerY + s * u + c * v)
        }
    }

    /// The smallest axis-aligned box holding the corners.
    public var enclosingBox: Box {
        let points = corners
        return Box(x1: points.map(\.x).min() ?? centerX, y1: points.map(\.y).min() ?? centerY,
                   x2: points.map(\.x).max() ?? centerX, y2: points.map(\.y).max() ?? centerY)
    }

    /// The same box with its angle brought into [-π/2, π/2) (a box turned by π is itself).
    public func normalized() -> RotatedBox {
        RotatedBox(centerX: centerX, centerY: centerY, width: width, height: height, angle: Self.normalizedAngle(angle))
    }

    /// mmrotate's le90 `norm_angle`, (a + π/2) mod π − π/2, into [−π/2, π/2); angles already
    /// there are returned unchanged (no rounding through the modulo).
    public static func normalizedAngle(_ a: Float) -> Float {
        let pi = Float.pi
        if a >= -pi / 2 && a < pi / 2 { return a }
        var r = (a + pi / 2).truncatingRemainder(dividingBy: pi)
        if r < 0 { r += pi }
        let result = r - pi / 2
        return result >= pi / 2 ? result - pi : result
    }
}
