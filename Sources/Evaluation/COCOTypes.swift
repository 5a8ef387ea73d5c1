/// An axis-aligned box in COCO's convention: top-left corner and size, in pixels.
public struct BoundingBox: Equatable, Hashable, Sendable {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double

    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    /// From corner coordinates (VOC's convention).
    public init(x1: Double, y1: Double, x2: Double, y2: Double) {
        self.init(x: x1, y: y1, width: x2 - x1, height: y2 - y1)
    }

    /// `w*h`, the area pycocotools gives a detection (`loadRes` sets `area = bb[2]*bb[3]`).
    public var area: Double { width * height }
    public var asArray: [Double] { [x, y, width, height] }
}

public struct COCOImage: Equatable, Sendable {
    public var id: Int
    public var width: Int?
    public var height: Int?
    public var fileName: String?

    public init(id: Int, width: Int? = nil, height: Int? = nil, fileName: String? = nil) {
        self.id = id
        self.width = width
        self.height = height
        self.fileName = fileName
    }
}

/// Category ids need not be contiguous (COCO's run 1...90 with gaps); evaluation orders them by id.
public struct COCOCategory: Equatable, Sendable {
    public var id: Int
    public var name: String

    public init(id: Int, name: String = "") {
        self.id = id
        self.name = name
    }
}

/// A ground-truth object. `area` is the annotation's own area field (the segment area in real COCO),
/// which is what the small/medium/large ranges test — not the box area.
public struct COCOAnnotation: Equatable, Sendable {
    public var id: Int
    public var imageID: Int
    public var categoryID: Int
    public var bbox: BoundingBox
    public var area: Double
    public var isCrowd: Bool
    /// Carried for datasets that set it; pycocotools overwrites it with `iscrowd`, so the evaluator
    /// only honours it when asked to (`COCOEvaluator(honourIgnoreFlag: true)`).
    public var ignore: Bool

    public init(id: Int, imageID: Int, categoryID: Int, bbox: BoundingBox, area: Double? = nil,
                isCrowd: Bool = false, ignore: Bool = false) {
        self.id = id
        self.imageID = imageID
        self.categoryID = categoryID
        self.bbox = bbox
        self.area = area ?? bbox.area
        self.isCrowd = isCrowd
        self.ignore = ignore
    }
}

/// The contents of a COCO ground-truth file (the parts bounding-box evaluation uses).
public struct COCOGroundTruth: Equatable, Sendable {
    public var images: [COCOImage]
    public var categories: [COCOCategory]
    public var annotations: [COCOAnnotation]

    public init(images: [COCOImage], categories: [COCOCategory], annotations: [COCOAnnotation]) {
        self.images = images
        self.categories = categories
        self.annotations = annotations
    }
}

/// One entry of a COCO results file.
public struct COCODetection: Equatable, Sendable {
    public var imageID: Int
    public var categoryID: Int
    public var bbox: BoundingBox
    public var score: Double

    public init(imageID: Int, categoryID: Int, bbox: BoundingBox, score: Double) {
        self.imageID = imageID
        self.categoryID = categoryID
        self.bbox = bbox
        self.score = score
    }
}
