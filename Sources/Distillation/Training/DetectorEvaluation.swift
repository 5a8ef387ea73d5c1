import Data
import Detection
import Evaluation
import Foundation
import Tensor

/// What a detector scored on a validation set: COCO's evaluation for axis-aligned detectors,
/// the DOTA protocol for oriented ones.
public enum DetectorScores {
    case coco(COCOEvaluation)
    case rotated(RotatedEvaluation)

    public var coco: COCOEvaluation? { if case .coco(let e) = self { return e } else { return nil } }

    /// Named as the tables' columns, in percent: COCO's twelve statistics and AP at IoU
    /// 0.5…0.9; for oriented boxes AP (mean over IoU 0.5:0.95) and AP at 0.5…0.9 and 0.75.
    /// pycocotools' −1 ("no object in that size range") gives no metric, not −100.
    public var metrics: [String: Double] {
        var metrics: [String: Double] = [:]
        switch self {
        case .coco(let evaluation):
            for (name, value) in zip(COCOStats.names, evaluation.stats.values) where value >= 0 { metrics[name] = 100 * value }
            for t in [0.5, 0.6, 0.7, 0.8, 0.9] {
                if let ap = evaluation.averagePrecision(iouThreshold: t), ap >= 0 { metrics["AP\(Int(t * 100))"] = 100 * ap }
            }
        case .rotated(let evaluation):
            if let ap = evaluation.meanAP { metrics["AP"] = 100 * ap }
            for (t, ap) in evaluation.mAPByThreshold where [50, 60, 70, 75, 80, 90].contains(t) {
                if let ap { metrics["AP\(t)"] = 100 * ap }
            }
        }
        return metrics
    }
}

/// DOTA-style AP of oriented detections as the LD paper's Table 5 reports it (Rotated-LD's
/// `dota_evaluation_task1.py`): per class, VOC07 11-point AP with detections matched by rotated
/// IoU; mAP over classes with ground truth; AP = the mean of the mAPs at IoU 0.50, 0.55, …, 0.95.
/// Difficult objects count as neither hit nor miss. Two deliberate departures: the devkit matches
/// on IoU > t and this on IoU ≥ t (as VOC's `VOCevaldet.m`; equal IoUs are measure-zero), and the
/// devkit script's running sum over thresholds, which is never reset (it inflates every AP past
/// 0.5), is not reproduced.
public struct RotatedEvaluation: Sendable {
    /// mAP at IoU 0.50, 0.55, …, 0.95, keyed by the threshold in percent; nil without ground truth.
    public var mAPByThreshold: [Int: Double?]
    public var meanAP: Double? {
        let values = mAPByThreshold.values.compactMap { $0 }
        return values.count == mAPByThreshold.count && !values.isEmpty ? values.reduce(0, +) / Double(values.count) : nil
    }

    public static let thresholds = stride(from: 50, through: 95, by: 5).map { $0 }

    public init(objects: [(imageID: Int, classID: Int, box: RotatedBox, difficult: Bool)],
                detections: [(imageID: Int, classID: Int, box: RotatedBox, score: Float)], classIDs: [Int]) {
        let objectItems = objects.map { VOCItem(imageID: $0.imageID, classID: $0.classID, difficult: $0.difficult) }
        let detectionItems = detections.map { VOCItem(imageID: $0.imageID, classID: $0.classID, score: Double($0.score)) }
        // IoUs once per (detection, object of its image and class); every threshold reuses them.
        let detectionQuads = detections.map { RotatedQuad($0.box) }, objectQuads = objects.map { RotatedQuad($0.box) }
        var cache: [Int: Double] = [:]
        let count = objects.count
        func overlap(_ d: Int, _ o: Int) -> Double {
            let key = d * count + o
            if let v = cache[key] { return v }
            let v = Double(detectionQuads[d].iou(objectQuads[o]))
            cache[key] = v
            return v
        }
        var byThreshold: [Int: Double?] = [:]
        for t in Self.thresholds {
            let evaluator = VOCEvaluator(iouThreshold: Double(t) / 100, method: .elevenPoint)
            byThreshold[t] = evaluator.evaluate(objects: objectItems, detections: detectionItems, classIDs: classIDs, overlap: overlap).mAP
        }
        mAPByThreshold = byThreshold
    }
}

/// Evaluation of a detector on a dataset: inference in batches through the test transform,
/// detections mapped back to the original images and to dataset category ids (label + 1),
/// scored by the pycocotools-exact evaluator, or by `RotatedEvaluation` for oriented detectors.
public struct DetectorEvaluation {
    public var batchSize = 16
    /// Area ranges all/small/medium/large; synthetic data passes ranges scaled to its image size.
    public var areaRanges: [(lower: Double, upper: Double)] = COCOParameters.areaRanges
    /// The pipeline shared with training (which adds flips and scale choices).
    public var transform = DetectionTransform(flipProbability: 0)

    public init() {}

    public func evaluate(_ detector: DenseDetector, on dataset: any DetectionDataset) throws -> DetectorScores {
        let loader = BatchLoader(dataset: dataset, transform: transform.evaluation)
        detector.train(false)
        var results: [COCODetection] = []
        var rotated: [(imageID: Int, classID: Int, box: RotatedBox, score: Float)] = []
        var rng = RNG(seed: 0)   // the evaluation transform draws nothing
        for start in stride(from: 0, to: dataset.count, by: batchSize) {
            let batch = try loader.batch(Array(start..<Swift.min(dataset.count, start + batchSize)), rng: &rng)
            let out = GradMode.withoutGrad { detector(batch.images) }
            let sizes = batch.metas.map { ImageSize(width: $0.width, height: $0.height) }
            for (meta, dets) in zip(batch.metas, detector.detect(out, imageSizes: sizes)) {
                if let boxes = dets.rotatedBoxes {
                    for i in boxes.indices {
                        rotated.append((meta.imageID, dets.labels[i] + 1, meta.toOriginal(boxes[i]), dets.scores[i]))
                    }
                    continue
                }
                for i in dets.boxes.indices {
                    let b = meta.toOriginal(dets.boxes[i])
                    results.append(COCODetection(imageID: meta.imageID, categoryID: dets.labels[i] + 1,
                                                 bbox: BoundingBox(x1: Double(b.x1), y1: Double(b.y1), x2: Double(b.x2), y2: Double(b.y2)),
                                                 score: Double(dets.scores[i])))
                }
            }
        }
        guard detector.config.kind.isRotated else {
            return .coco(try COCOEvaluator(groundTruth: dataset.groundTruth(), areaRanges: areaRanges).evaluate(results, source: dataset.name))
        }
        // The annotations come with the images (synthetic scenes are rendered to know them), so
        // every image is generated once more, on all cores, as the COCO path's `groundTruth()` does.
        let kind = detector.config.kind.rawValue
        let perImage = parallelMap(dataset.count) { index in
            Result { () throws -> [(imageID: Int, classID: Int, box: RotatedBox, difficult: Bool)] in
                let sample = try dataset.sample(index)
                return try sample.objects.filter { !$0.isCrowd }.map { object in
                    guard let box = object.rotatedBox else {
                        throw DataError(file: dataset.name, message: "image \(sample.imageID): an object without an oriented box; "
                                        + "\(kind) needs oriented ground truth")
                    }
                    return (sample.imageID, object.label + 1, box, object.isDifficult)
                }
            }
        }
        let objects = try perImage.flatMap { try $0.get() }
        return .rotated(RotatedEvaluation(objects: objects, detections: rotated, classIDs: Array(1...Swift.max(1, dataset.numClasses))))
    }
}
