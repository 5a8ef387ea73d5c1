import Foundation

/// Bounding-box evaluation equal to pycocotools' `COCOeval(gt, dt, "bbox")` followed by `evaluate()`,
/// `accumulate()` and `summarize()`.
///
/// The ground truth is indexed once at init, so a training loop can evaluate many detection sets
/// against the same validation split cheaply. Work is done per category (categories are independent
/// until the final means), in parallel across cores.
public struct COCOEvaluator: Sendable {
    /// Sorted, de-duplicated, as pycocotools' `params.imgIds` / `params.catIds`.
    public let imageIDs: [Int]
    public let categoryIDs: [Int]
    let imageIndex: [Int: Int]
    let categoryIndex: [Int: Int]
    let groundTruth: GroupedObjects
    /// Area ranges all/small/medium/large (pycocotools' `params.areaRng`).
    public let areaRanges: [(lower: Double, upper: Double)]

    /// `honourIgnoreFlag`: pycocotools replaces each annotation's `ignore` with its `iscrowd`
    /// (`_prepare` assigns twice), so the flag has no effect there; `true` also ignores flagged boxes.
    public init(groundTruth: COCOGroundTruth, honourIgnoreFlag: Bool = false,
                areaRanges: [(lower: Double, upper: Double)] = COCOParameters.areaRanges) {
        self.areaRanges = areaRanges
        imageIDs = Array(Set(groundTruth.images.map(\.id))).sorted()
        categoryIDs = Array(Set(groundTruth.categories.map(\.id))).sorted()
        imageIndex = Dictionary(uniqueKeysWithValues: imageIDs.enumerated().map { ($1, $0) })
        categoryIndex = Dictionary(uniqueKeysWithValues: categoryIDs.enumerated().map { ($1, $0) })

        // Annotations on unknown images or categories are dropped, as getAnnIds(imgIds, catIds) does.
        var categories: [Int] = [], images: [Int] = []
        var kept: [COCOAnnotation] = []
        for annotation in groundTruth.annotations {
            guard let i = imageIndex[annotation.imageID], let k = categoryIndex[annotation.categoryID] else { continue }
            categories.append(k)
            images.append(i)
            kept.append(annotation)
        }
        var grouped = GroupedObjects(categories: categories, images: images,
                                     categoryCount: categoryIDs.count, imageCount: imageIDs.count)
        grouped.boxes = grouped.gatherBoxes(kept.map(\.bbox))
        grouped.gtArea = grouped.order.map { kept[$0].area }
        grouped.gtCrowd = grouped.order.map { kept[$0].isCrowd }
        grouped.gtIgnore = grouped.order.map { kept[$0].isCrowd || (honourIgnoreFlag && kept[$0].ignore) }
        // accumulate() tests a detection's match as `dtm != 0`, where dtm holds the matched gt's id:
        // a match to an annotation with id 0 counts as unmatched there. Kept for exactness.
        grouped.gtIDIsNonzero = grouped.order.map { kept[$0].id != 0 }
        self.groundTruth = grouped
    }

    /// Per area range, in `areaRanges` order, how many gt objects the evaluation scores against
    /// (what APs, APm and APl average over): neither crowd nor flagged, with an area inside the
    /// range. Both ends count, as in pycocotools, so an area of exactly 32² is small and medium.
    public var groundTruthCounts: [Int] {
        areaRanges.map { range in (0..<groundTruth.order.count).filter { !groundTruth.isIgnoredGroundTruth($0, in: range) }.count }
    }

    public init(groundTruthFile url: URL, honourIgnoreFlag: Bool = false) throws {
        self.init(groundTruth: try COCOGroundTruth.load(contentsOf: url), honourIgnoreFlag: honourIgnoreFlag)
    }

    /// Evaluates one results set. Detections of categories absent from the ground truth are dropped
    /// (as pycocotools does); a detection on an image absent from the ground truth is an error
    /// (pycocotools asserts "Results do not correspond to current coco set"). `source` labels errors.
    public func evaluate(_ detections: [COCODetection], source: String = "detections") throws -> COCOEvaluation {
        var categories: [Int] = [], images: [Int] = [], kept: [Int] = []
        categories.reserveCapacity(detections.count)
        images.reserveCapacity(detections.count)
        kept.reserveCapacity(detections.count)
        var lastImage = (id: Int.min, index: 0)   // results files list an image's detections together
        for (n, detection) in detections.enumerated() {
            if detection.imageID != lastImage.id {
                guard let i = imageIndex[detection.imageID] else {
                    throw EvaluationError(source: source, message:
                        "[\(n)].image_id \(detection.imageID) is not an image of the ground truth")
                }
                lastImage = (detection.imageID, i)
            }
            let i = lastImage.index
            guard let k = categoryIndex[detection.categoryID] else { continue }
            categories.append(k)
            images.append(i)
            kept.append(n)
        }
        var grouped = GroupedObjects(categories: categories, images: images,
                                     categoryCount: categoryIDs.count, imageCount: imageIDs.count)
        grouped.boxes = grouped.gatherBoxes(kept.map { detections[$0].bbox })
        grouped.dtScore = grouped.order.map { detections[kept[$0]].score }

        let K = categoryIDs.count
        let perCategory = parallelMap(count: K) { k in
            var work = CategoryWork(areaRanges: areaRanges)
            forEachImage(ofCategory: k, groundTruth: groundTruth, detections: grouped) { gts, dts in
                work.addImage(groundTruth: groundTruth, gts: gts, detections: grouped, dts: dts)
            }
            return work.accumulate()
        }
        return COCOEvaluation(categoryIDs: categoryIDs, perCategory: perCategory)
    }

    public func evaluate(resultsFile url: URL) throws -> COCOEvaluation {
        try evaluate(COCODetection.loadResults(contentsOf: url), source: url.path)
    }
}

/// Runs `body` for 0..<count on all cores, collecting results in index order.
func parallelMap<T>(count: Int, _ body: (Int) -> T) -> [T] {
    guard count > 0 else { return [] }
    var results = [T?](repeating: nil, count: count)
    results.withUnsafeMutableBufferPointer { buffer in
        let base = buffer.baseAddress!
        DispatchQueue.concurrentPerform(iterations: count) { base[$0] = body($0) }
    }
    return results.map { $0! }
}
