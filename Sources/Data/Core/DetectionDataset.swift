import Evaluation

/// A finite, indexable set of annotated images: the synthetic scenes and the readers of real
/// datasets all look the same to the trainer and the evaluator.
public protocol DetectionDataset {
    /// Names the dataset in logs and reports (e.g. "synthetic-standard-train", "coco-val2017").
    var name: String { get }
    /// `classNames[label]` for every label in `0..<classNames.count`.
    var classNames: [String] { get }
    /// Number of images; `sample(_:)` takes `0..<count`.
    var count: Int { get }
    /// The image at `index` with its objects; throws a `DataError` naming the file for unreadable data.
    func sample(_ index: Int) throws -> DetectionSample
    /// Every image's annotations in COCO form, category id = label + 1, for the COCO evaluator.
    func groundTruth() -> COCOGroundTruth
}

extension DetectionDataset {
    public var numClasses: Int { classNames.count }

    /// COCO categories for the labels: id = label + 1, named after the class.
    public var cocoCategories: [COCOCategory] {
        classNames.enumerated().map { COCOCategory(id: $0.offset + 1, name: $0.element) }
    }
}

/// One image's entry for `makeGroundTruth`.
struct GroundTruthImage {
    var image: COCOImage
    var objects: [ObjectAnnotation]
}

/// Builds COCO ground truth from per-image objects. Annotation ids run from 1 in image order;
/// `isDifficult` becomes COCO's `ignore` flag (what VOC's `difficult` means to an evaluator).
func makeGroundTruth(_ images: [GroundTruthImage], classNames: [String]) -> COCOGroundTruth {
    var annotations: [COCOAnnotation] = []
    var nextID = 1
    for entry in images {
        for object in entry.objects {
            let box = object.box
            annotations.append(COCOAnnotation(
                id: nextID, imageID: entry.image.id, categoryID: object.label + 1,
                bbox: BoundingBox(x1: Double(box.x1), y1: Double(box.y1), x2: Double(box.x2), y2: Double(box.y2)),
                area: Double(object.area), isCrowd: object.isCrowd, ignore: object.isDifficult))
            nextID += 1
        }
    }
    return COCOGroundTruth(images: images.map(\.image),
                           categories: classNames.enumerated().map { COCOCategory(id: $0.offset + 1, name: $0.element) },
                           annotations: annotations)
}
