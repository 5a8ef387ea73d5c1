import Detection
import Evaluation
import Foundation

/// A COCO-format dataset on disk: one annotation JSON and a directory of JPEG images.
///
/// Labels are the categories sorted by id, numbered 0, 1, ... (`categoryIDs[label]` is the
/// file's id, for writing results in the original ids). Training objects follow mmdetection's
/// `CocoDataset._parse_ann_info`: boxes with no overlap with the image, zero area, or a side under
/// one pixel are skipped; `iscrowd` and `ignore` annotations are kept, flagged (`isCrowd`,
/// `isDifficult`), for the trainer to treat as ignore regions. `groundTruth()` keeps every
/// annotation of the file for evaluation, with category ids renumbered to label + 1.
public struct COCODataset: DetectionDataset, Sendable {
    public let name: String
    public let annotationFile: URL
    public let imageDirectory: URL
    public let classNames: [String]
    /// The file's category id of each label.
    public let categoryIDs: [Int]
    /// See `JPEGCodec.decode(contentsOf:acceptWarnings:)`.
    public let acceptJPEGWarnings: Bool
    private let images: [COCOImage]
    private let objectsByImage: [[ObjectAnnotation]]
    private let evaluationTruth: COCOGroundTruth

    /// Reads and checks the annotation file; images are read by `sample(_:)`. Throws a `DataError`
    /// naming the file for an unreadable or inconsistent annotation file. `filterForTraining`
    /// drops images as mmdetection 2.x's `CocoDataset._filter_imgs` does for training
    /// (`filter_empty_gt=True`, `min_size=32`): those without any annotation or with a side
    /// under 32 pixels.
    public init(annotationFile: URL, imageDirectory: URL, name: String? = nil, acceptJPEGWarnings: Bool = false,
                filterForTraining: Bool = false) throws {
        let truth: COCOGroundTruth
        do {
            truth = try COCOGroundTruth.load(contentsOf: annotationFile)
        } catch let error as EvaluationError {
            throw DataError(file: error.source, message: error.message)
        }
        let file = annotationFile.path
        self.name = name ?? annotationFile.deletingPathExtension().lastPathComponent
        self.annotationFile = annotationFile
        self.imageDirectory = imageDirectory
        self.acceptJPEGWarnings = acceptJPEGWarnings

        let categories = truth.categories.sorted { $0.id < $1.id }
        var labelOfCategory: [Int: Int] = [:]
        for (label, category) in categories.enumerated() {
            if labelOfCategory.updateValue(label, forKey: category.id) != nil {
                throw DataError(file: file, message: "category id \(category.id) appears twice in categories")
            }
        }
        classNames = categories.map(\.name)
        categoryIDs = categories.map(\.id)

        var indexOfImage: [Int: Int] = [:]
        for (index, image) in truth.images.enumerated() {
            if indexOfImage.updateValue(index, forKey: image.id) != nil {
                throw DataError(file: file, message: "image id \(image.id) appears twice in images")
            }
        }
        var objects = [[ObjectAnnotation]](repeating: [], count: truth.images.count)
        var renumbered: [COCOAnnotation] = []
        for annotation in truth.annotations {
            guard let imageIndex = indexOfImage[annotation.imageID] else {
                throw DataError(file: file, message: "annotation \(annotation.id) refers to image id \(annotation.imageID), which is not in images")
            }
            guard let label = labelOfCategory[annotation.categoryID] else {
                throw DataError(file: file, message: "annotation \(annotation.id) has category id \(annotation.categoryID), which is not in categories")
            }
            var copy = annotation
            copy.categoryID = label + 1
            renumbered.append(copy)
            if let object = COCODataset.trainingObject(annotation, label: label, image: truth.images[imageIndex]) {
                objects[imageIndex].append(object)
            }
        }
        var keptImages = truth.images
        if filterForTraining {
            let annotated = Set(truth.annotations.map(\.imageID))
            let keep = truth.images.indices.filter { i in
                let image = truth.images[i]
                return annotated.contains(image.id) && Swift.min(image.width ?? 32, image.height ?? 32) >= 32
            }
            keptImages = keep.map { truth.images[$0] }
            objects = keep.map { objects[$0] }
            let keptIDs = Set(keptImages.map(\.id))
            renumbered = renumbered.filter { keptIDs.contains($0.imageID) }
        }
        images = keptImages
        objectsByImage = objects
        evaluationTruth = COCOGroundTruth(
            images: keptImages,
            categories: categories.enumerated().map { COCOCategory(id: $0.offset + 1, name: $0.element.name) },
            annotations: renumbered)
    }

    public var count: Int { images.count }

    public func sample(_ index: Int) throws -> DetectionSample {
        let image = images[index]
        guard let fileName = image.fileName, !fileName.isEmpty else {
            throw DataError(file: annotationFile.path, message: "image id \(image.id) has no file_name")
        }
        let url = imageDirectory.appendingPathComponent(fileName)
        let decoded = try JPEGCodec.decode(contentsOf: url, acceptWarnings: acceptJPEGWarnings)
        if let width = image.width, let height = image.height, width != decoded.width || height != decoded.height {
            throw DataError(file: url.path, message: "image is \(decoded.width)×\(decoded.height) but \(annotationFile.lastPathComponent) says \(width)×\(height)")
        }
        return DetectionSample(imageID: image.id, width: decoded.width, height: decoded.height, pixels: decoded.pixels,
                               objects: objectsByImage[index])
    }

    public func groundTruth() -> COCOGroundTruth { evaluationTruth }

    /// mmdetection's filter and conversion of one annotation (nil when it skips it).
    static func trainingObject(_ annotation: COCOAnnotation, label: Int, image: COCOImage) -> ObjectAnnotation? {
        let b = annotation.bbox
        if let width = image.width, let height = image.height {
            let overlapW = max(0, min(b.x + b.width, Double(width)) - max(b.x, 0))
            let overlapH = max(0, min(b.y + b.height, Double(height)) - max(b.y, 0))
            if overlapW * overlapH == 0 { return nil }
        }
        if annotation.area <= 0 || b.width < 1 || b.height < 1 { return nil }
        return ObjectAnnotation(box: Box(x1: Float(b.x), y1: Float(b.y), x2: Float(b.x + b.width), y2: Float(b.y + b.height)),
                                label: label, isCrowd: annotation.isCrowd, isDifficult: annotation.ignore,
                                area: Float(annotation.area))
    }
}
