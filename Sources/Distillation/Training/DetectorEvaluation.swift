import Data
import Detection
import Evaluation
import Foundation
import Tensor

/// COCO evaluation of a detector on a dataset: inference in batches, detections mapped to
/// dataset category ids (label + 1), scored by the pycocotools-exact evaluator.
public struct DetectorEvaluation {
    public var batchSize = 16
    /// Area ranges all/small/medium/large; synthetic data passes ranges scaled to its image size.
    public var areaRanges: [(lower: Double, upper: Double)] = COCOParameters.areaRanges
    public var normalization = InputNormalization.imagenet

    public init() {}

    public func evaluate(_ detector: DenseDetector, on dataset: any DetectionDataset) throws -> COCOEvaluation {
        let evaluator = COCOEvaluator(groundTruth: dataset.groundTruth(), areaRanges: areaRanges)
        detector.train(false)
        var results: [COCODetection] = []
        for start in stride(from: 0, to: dataset.count, by: batchSize) {
            let samples = try (start..<Swift.min(dataset.count, start + batchSize)).map { try dataset.sample($0) }
            let images = normalization.batch(samples)
            let out = GradMode.withoutGrad { detector(images) }
            let sizes = samples.map { ImageSize(width: $0.width, height: $0.height) }
            for (sample, dets) in zip(samples, detector.detect(out, imageSizes: sizes)) {
                for i in dets.boxes.indices {
                    let b = dets.boxes[i]
                    results.append(COCODetection(imageID: sample.imageID, categoryID: dets.labels[i] + 1,
                                                 bbox: BoundingBox(x1: Double(b.x1), y1: Double(b.y1), x2: Double(b.x2), y2: Double(b.y2)),
                                                 score: Double(dets.scores[i])))
                }
            }
        }
        return try evaluator.evaluate(results, source: dataset.name)
    }
}

/// Per-channel normalisation of [0, 1] RGB pixels, and batching into [B, 3, H, W] padded to a
/// multiple of 32 (bottom/right, zeros after normalisation, as mmdet pads).
public struct InputNormalization: Sendable {
    public var mean: [Float], std: [Float]
    public var padDivisor = 32

    /// ImageNet statistics (mmdet's default img_norm_cfg, on 0–1 pixels).
    public static let imagenet = InputNormalization(mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225])

    public func batch(_ samples: [DetectionSample], flips: [Bool]? = nil) -> Tensor {
        let h = (samples.map(\.height).max()! + padDivisor - 1) / padDivisor * padDivisor
        let w = (samples.map(\.width).max()! + padDivisor - 1) / padDivisor * padDivisor
        var data = [Float](repeating: 0, count: samples.count * 3 * h * w)
        for (b, s) in samples.enumerated() {
            let flip = flips?[b] ?? false
            for c in 0..<3 {
                let scale = 1 / std[c], shift = -mean[c] / std[c]
                for y in 0..<s.height {
                    let src = (c * s.height + y) * s.width, dst = ((b * 3 + c) * h + y) * w
                    for x in 0..<s.width { data[dst + x] = s.pixels[src + (flip ? s.width - 1 - x : x)] * scale + shift }
                }
            }
        }
        return Tensor(shape: [samples.count, 3, h, w], data: data)
    }
}
