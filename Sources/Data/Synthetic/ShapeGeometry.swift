/// A shape at a size, in its own frame: signed distances for anti-aliased coverage and support
/// values for exact extents. Lengths are pixels; negative distance is inside.
///
/// Coverage is `clamp(0.5 − d, 0, 1)`: for a straight edge that is the area of a unit pixel on the
/// inside of it, which anti-aliases without supersampling. Outside convex corners `d` is a lower
/// bound of the true distance, which only changes coverage within a pixel of the corner.
struct ShapeGeometry {
    let shape: SceneShape
    /// Half-extents along u and v.
    let a: Float, b: Float
    // Constants of the distance functions, computed once per object.
    private let inverseEdgeLength: Float
    private let armU: Float, armV: Float
    private let ringThickness: Float

    init(shape: SceneShape, halfWidth a: Float, halfHeight b: Float) {
        self.shape = shape
        self.a = a
        self.b = b
        switch shape {
        case .triangle: inverseEdgeLength = 1 / (4 * b * b + a * a).squareRoot()
        case .diamond: inverseEdgeLength = 1 / (a * a + b * b).squareRoot()
        case .hexagon: inverseEdgeLength = 1 / (b * b + a * a / 4).squareRoot()
        default: inverseEdgeLength = 1
        }
        // Arms of the cross are 36 % of the extent, at least a pixel thick so the shape stays visible.
        armU = min(a, max(0.36 * a, 0.6))
        armV = min(b, max(0.36 * b, 0.6))
        ringThickness = min(min(a, b), max(0.3 * min(a, b), 1.2))
    }

    /// Anti-aliased coverage at the pixel centres of a width×height rectangle whose top-left pixel
    /// is (left, top), for the shape centred at (centerX, centerY) with its u axis along (cos, sin).
    /// One loop per shape, in this file: debug builds inline only within a file, and a switch per
    /// pixel would keep the loop from being vectorised.
    func coverage(left: Int, top: Int, width: Int, height: Int, centerX: Float, centerY: Float,
                  cos c: Float, sin s: Float) -> [Float] {
        let grid = CoverageGrid(left: left, top: top, width: width, height: height, centerX: centerX,
                                centerY: centerY, cos: c, sin: s)
        let e = inverseEdgeLength
        switch shape {
        case .rectangle: return grid.fill { u, v in max(abs(u) - a, abs(v) - b) }
        case .ellipse: return grid.fill { u, v in ShapeGeometry.ellipseDistance(u, v, a, b) }
        case .triangle:
            // Apex (0, −b), base corners (±a, b).
            return grid.fill { u, v in max(v - b, (2 * b * abs(u) - a * (v + b)) * e) }
        case .diamond: return grid.fill { u, v in (b * abs(u) + a * abs(v) - a * b) * e }
        case .hexagon:
            // Corners (±a, 0) and (±a/2, ±b).
            return grid.fill { u, v in max(abs(v) - b, (b * abs(u) + 0.5 * a * abs(v) - a * b) * e) }
        case .cross:
            let armU = armU, armV = armV
            return grid.fill { u, v in min(max(abs(u) - a, abs(v) - armV), max(abs(u) - armU, abs(v) - b)) }
        case .ring:
            let half = ringThickness / 2
            return grid.fill { u, v in abs(ShapeGeometry.ellipseDistance(u, v, a, b) + half) - half }
        case .dome:
            // Upper half of the ellipse centred at (0, b) with radii (a, 2b): apex (0, −b), flat base at v = b.
            return grid.fill { u, v in max(ShapeGeometry.ellipseDistance(u, v - b, a, 2 * b), v - b) }
        }
    }

    /// max over the shape of u·du + v·dv.
    func support(_ du: Float, _ dv: Float) -> Float {
        let adu = abs(du), adv = abs(dv)
        switch shape {
        case .rectangle:
            return a * adu + b * adv
        case .ellipse, .ring:
            return (a * a * du * du + b * b * dv * dv).squareRoot()
        case .triangle:
            return max(-b * dv, a * adu + b * dv)
        case .diamond:
            return max(a * adu, b * adv)
        case .hexagon:
            return max(a * adu, 0.5 * a * adu + b * adv)
        case .cross:
            return max(a * adu + armV * adv, armU * adu + b * adv)
        case .dome:
            // The full ellipse's support point lies on the kept half when dv ≤ 0; otherwise the
            // maximum is at an end of the flat base (±a, b).
            if dv <= 0 { return b * dv + (a * a * du * du + 4 * b * b * dv * dv).squareRoot() }
            return a * adu + b * dv
        }
    }

    /// The extent in image coordinates of the shape centred at (cx, cy) and turned by the angle
    /// with this cosine and sine (local u axis along (c, s)).
    func extent(centerX cx: Float, centerY cy: Float, cos c: Float, sin s: Float) -> (x1: Float, y1: Float, x2: Float, y2: Float) {
        // World x − cx = c·u − s·v, world y − cy = s·u + c·v.
        (cx - support(-c, s), cy - support(-s, -c), cx + support(c, -s), cy + support(s, c))
    }

    /// Inigo Quilez's first-order distance to an ellipse, f/|∇f| with f = |(u/a, v/b)| − 1: exact on
    /// the outline, close to it within the pixel or two that anti-aliasing looks at.
    @inline(__always)
    static func ellipseDistance(_ u: Float, _ v: Float, _ a: Float, _ b: Float) -> Float {
        let pu = u / a, pv = v / b
        let k0 = (pu * pu + pv * pv).squareRoot()
        let qu = pu / a, qv = pv / b
        let k1 = (qu * qu + qv * qv).squareRoot()
        // A select rather than an early return keeps the pixel loops branch-free (vectorisable).
        let d = k0 * (k0 - 1) / k1
        return k1 > 1e-12 ? d : -min(a, b)
    }
}

/// The pixel rectangle `ShapeGeometry.coverage` fills.
private struct CoverageGrid {
    let left: Int, top: Int, width: Int, height: Int
    let centerX: Float, centerY: Float, cos: Float, sin: Float

    /// coverage = clamp(0.5 − distance, 0, 1) at each pixel centre, in the shape's frame.
    @inline(__always)
    func fill(_ distance: (Float, Float) -> Float) -> [Float] {
        var result = [Float](repeating: 0, count: width * height)
        result.withUnsafeMutableBufferPointer { out in
            for y in 0..<height {
                let py = Float(top + y) + 0.5 - centerY
                for x in 0..<width {
                    let px = Float(left + x) + 0.5 - centerX
                    let d = distance(cos * px + sin * py, cos * py - sin * px)
                    out[y * width + x] = min(max(0.5 - d, 0), 1)
                }
            }
        }
        return result
    }
}
