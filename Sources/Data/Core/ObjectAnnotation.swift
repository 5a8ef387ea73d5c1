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
