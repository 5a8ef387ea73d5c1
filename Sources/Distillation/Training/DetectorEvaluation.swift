import Data
import Detection
import Evaluation
import Foundation
import Tensor

/// COCO evaluation of a detector on a dataset: inference in batches through the test transform,
/// detections mapped back to the original images and to dataset category ids (label + 1),
/// scored by the pycocotools-exact evaluator.
public struct DetectorEvaluation {
    public var batchSize = 16
    /// Area ranges all/small/medium/large; synthetic data passes ranges scaled to its image size.
    public var areaRanges: [(lower: Double, upper: Double)] = COCOParameters.areaRanges
    /// The pipeline shared with training (which adds flips and scale choices).
    public var transform = DetectionTransform(flipProbability: 0)

    public init() {}

    public func evaluate(_ detector: DenseDetector, on dataset: any DetectionDataset) throws -> COCOEvaluation {
        let evaluator = COCOEvaluator(groundTruth: dataset.groundTruth(), areaRanges: areaRanges)
        let loader = BatchLoader(dataset: dataset, transform: transform.evaluation)
        detector.train(false)
        var results: [COCODetection] = []
        var rng = RNG(seed: 0)   // the evaluation transform draws nothing
        for start in stride(from: 0, to: dataset.count, by: batchSize) {
            let batch = try loader.batch(Array(start..<Swift.min(dataset.count, start + batchSize)), rng: &rng)
            let out = GradMode.withoutGrad { detector(batch.images) }
            let sizes = batch.metas.map { ImageSize(width: $0.width, height: $0.height) }
            for (meta, dets) in zip(batch.metas, detector.detect(out, imageSizes: sizes)) {
                for i in dets.boxes.indices {
                    let b = meta.toOriginal(dets.boxes[i])
                    results.append(COCODetection(imageID: meta.imageID, categoryID: dets.labels[i] + 1,
                                                 bbox: BoundingBox(x1: Double(b.x1), y1: Double(b.y1), x2: Double(b.x2), y2: Double(b.y2)),
                                                 score: Double(dets.scores[i])))
                }
            }
        }
        return try evaluator.evaluate(results, source: dataset.name)
    }
}
