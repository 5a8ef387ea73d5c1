import Detection
import Evaluation
import Foundation

/// A PASCAL VOC split on disk: `ImageSets/Main/<split>.txt` names the images,
/// `Annotations/<name>.xml` holds their objects and `JPEGImages/<name>.jpg` their pixels.
///
/// Follows mmdetection 2.x's `XMLDataset`: coordinates are read as `int(float(text))` and
/// shifted by −1 (VOC counts pixels from 1); objects whose class is not in `classNames` are
/// skipped; `difficult` objects are kept with `isDifficult` set (mmdetection routes them to the
/// ignore set, and VOC evaluation ignores them). All XML is parsed by `init`, so a broken
/// annotation file is reported before training starts; images are decoded by `sample(_:)`.
public struct VOCDataset: DetectionDataset, Sendable {
    /// The 20 VOC classes in mmdetection's order.
    public static let vocClassNames = [
        "aeroplane", "bicycle", "bird", "boat", "bottle", "bus", "car", "cat", "chair", "cow", "diningtable", "dog",
        "horse", "motorbike", "person", "pottedplant", "sheep", "sofa", "train", "tvmonitor",
    ]

    public let name: String
    public let root: URL
    public let classNames: [String]
    /// The split file's image names, in order; image id = position + 1.
    public let imageNames: [String]
    public let acceptJPEGWarnings: Bool
    private let sizes: [(width: Int?, height: Int?)]
    private let objectsByImage: [[ObjectAnnotation]]

    /// `root` is a VOC year directory (e.g. `VOCdevkit/VOC2007`), `split` a file of `ImageSets/Main`.
    public init(root: URL, split: String = "trainval", classNames: [String] = VOCDataset.vocClassNames,
                name: String? = nil, acceptJPEGWarnings: Bool = false) throws {
        let splitFile = root.appendingPathComponent("ImageSets/Main/\(split).txt")
        let listing: String
        do {
            listing = try String(contentsOf: splitFile, encoding: .utf8)
        } catch {
            let exists = FileManager.default.fileExists(atPath: splitFile.path)
            throw DataError(file: splitFile.path, message: exists ? "cannot be read as UTF-8 text" : "split file not found")
        }
        // A line is an image name, optionally followed by a per-class flag (ImageSets/Main/<class>_<split>.txt).
        imageNames = listing.split(whereSeparator: \.isNewline).compactMap {
            $0.split(whereSeparator: \.isWhitespace).first.map(String.init)
        }
        self.name = name ?? "\(root.lastPathComponent)-\(split)"
        self.root = root
        self.classNames = classNames
        self.acceptJPEGWarnings = acceptJPEGWarnings
        let labelOfName = Dictionary(classNames.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { a, _ in a })
        var sizes: [(width: Int?, height: Int?)] = []
        var objectsByImage: [[ObjectAnnotation]] = []
        for imageName in imageNames {
            let annotation = try VOCAnnotationParser.parse(
                contentsOf: root.appendingPathComponent("Annotations/\(imageName).xml"))
            sizes.append((annotation.width, annotation.height))
            objectsByImage.append(annotation.objects.compactMap { object in
                guard let label = labelOfName[object.name] else { return nil }
                let (xmin, ymin, xmax, ymax) = object.bounds
                // mmdetection: int(float(text)) − 1.
                let box = Box(x1: Float(Int(xmin)) - 1, y1: Float(Int(ymin)) - 1, x2: Float(Int(xmax)) - 1, y2: Float(Int(ymax)) - 1)
                return ObjectAnnotation(box: box, label: label, isDifficult: object.difficult)
            })
        }
        self.sizes = sizes
        self.objectsByImage = objectsByImage
    }

    public var count: Int { imageNames.count }

    public func imageID(_ index: Int) -> Int { index + 1 }

    public func sample(_ index: Int) throws -> DetectionSample {
        let url = root.appendingPathComponent("JPEGImages/\(imageNames[index]).jpg")
        let decoded = try JPEGCodec.decode(contentsOf: url, acceptWarnings: acceptJPEGWarnings)
        if let width = sizes[index].width, let height = sizes[index].height, width != decoded.width || height != decoded.height {
            throw DataError(file: url.path, message: "image is \(decoded.width)×\(decoded.height) but Annotations/\(imageNames[index]).xml says \(width)×\(height)")
        }
        return DetectionSample(imageID: imageID(index), width: decoded.width, height: decoded.height,
                               pixels: decoded.pixels, objects: objectsByImage[index])
    }

    /// Difficult objects become COCO `ignore` annotations.
    public func groundTruth() -> COCOGroundTruth {
        makeGroundTruth(imageNames.indices.map { index in
            GroundTruthImage(image: COCOImage(id: imageID(index), width: sizes[index].width, height: sizes[index].height,
                                              fileName: "\(imageNames[index]).jpg"),
                             objects: objectsByImage[index])
        }, classNames: classNames)
    }
}
