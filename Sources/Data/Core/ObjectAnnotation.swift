import Detection

/// One annotated object of an image.
///
/// `box` is what a detector is trained and evaluated on. For the synthetic scenes it is the
/// *visible* (modal) extent, as in COCO, except in the `.crowded` variant where it is the full
/// (amodal) extent, as CrowdHuman's full-body boxes are, and `visibleBox` holds the visible part.
public struct ObjectAnnotation: Equatable, Sendable {
    /// Pixel corner coordinates in the sample's image.
    public var box: Box
    /// Contiguous class index in `0..<numClasses` (COCO category id = label + 1).
    public var label: Int
    /// COCO `iscrowd`: a group of objects under one box; trainers treat it as an ignore region.
    public var isCrowd: Bool
    /// VOC `difficult` (also COCO `ignore`): excluded from VOC evaluation and, as in mmdetection,
    /// routed to the ignore set in training.
    public var isDifficult: Bool
    /// COCO `area`: the object's own area (segment area in COCO, visible shape area for the
    /// synthetic scenes), which decides small/medium/large; the box area when nothing better is known.
    public var area: Float
    /// Fraction of the object's full shape that is visible (not occluded, inside the image);
    /// nil when unknown (readers of real datasets).
    public var visibleFraction: Float?
    /// The visible extent when `box` is the full extent (`.crowded`); nil otherwise.
    public var visibleBox: Box?
    /// The oriented box of DOTA-style annotations (`.oriented`); nil otherwise.
    public var rotatedBox: RotatedBox?
    /// The instance's visible pixels (`.masks`); nil otherwise.
    public var mask: InstanceMask?

    public init(box: Box, label: Int, isCrowd: Bool = false, isDifficult: Bool = false, area: Float? = nil,
                visibleFraction: Float? = nil, visibleBox: Box? = nil, rotatedBox: RotatedBox? = nil,
                mask: InstanceMask? = nil) {
        self.box = box
        self.label = label
        self.isCrowd = isCrowd
        self.isDifficult = isDifficult
        self.area = area ?? box.area
        self.visibleFraction = visibleFraction
        self.visibleBox = visibleBox
        self.rotatedBox = rotatedBox
        self.mask = mask
    }
}

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
        let c = DeterministicMath.cos(angle), s = DeterministicMath.sin(angle)
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
        var a = angle
        let pi = Float.pi
        while a >= pi / 2 { a -= pi }
        while a < -pi / 2 { a += pi }
        return RotatedBox(centerX: centerX, centerY: centerY, width: width, height: height, angle: a)
    }
}

/// A binary mask over the whole image, row-major, one byte per pixel (0 or 1), as COCO's decoded
/// masks are: mask AP compares whole-image masks.
public struct InstanceMask: Equatable, Sendable {
    public var width: Int, height: Int
    public var values: [UInt8]

    public init(width: Int, height: Int, values: [UInt8]) {
        precondition(values.count == width * height, "InstanceMask: \(values.count) values for \(width)×\(height)")
        self.width = width; self.height = height; self.values = values
    }

    /// Number of set pixels.
    public var area: Int { values.reduce(0) { $0 + Int($1) } }

    /// The mask mirrored left to right (horizontal flip).
    public func flippedHorizontally() -> InstanceMask {
        var out = values
        for y in 0..<height {
            let row = y * width
            for x in 0..<width { out[row + x] = values[row + width - 1 - x] }
        }
        return InstanceMask(width: width, height: height, values: out)
    }
}
