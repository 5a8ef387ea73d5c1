import Foundation
import Tensor

/// Rotated RetinaNet and GWD (mmrotate's le90 "obb" configs; LD Table 5): RetinaNet's anchors
/// with angle 0, assigned by MaxIoU (0.5 / 0.4, low-quality matches) on the *rotated* IoU with
/// the oriented ground truth, focal loss, and five deltas per anchor. Rotated RetinaNet trains
/// the deltas with L1 (weight 1), GWD the decoded boxes with the GWD loss (weight 5); both
/// divide by the number of positives. With `boxHead: .distribution` (Rotated-LD's
/// `RotatedRetinaHeadDistribution`) each delta is the expectation of a softmax over n + 1
/// values spread evenly over `rotatedBinRange`, so LD can distil it.
extension DenseDetector {
    /// An anchor as an oriented box (angle 0).
    static func rotatedAnchor(_ a: Box) -> RotatedBox {
        RotatedBox(centerX: (a.x1 + a.x2) / 2, centerY: (a.y1 + a.y2) / 2, width: a.x2 - a.x1, height: a.y2 - a.y1, angle: 0)
    }

    /// `anchors`: the priors' `RotatedQuad`s, made once per batch and shared by its images.
    func rotatedAssignment(anchors: [RotatedQuad], truth: GroundTruth) -> Assignment {
        precondition(truth.rotatedBoxes.count == truth.boxes.count,
                     "\(config.kind.rawValue): ground truth without oriented boxes (\(truth.rotatedBoxes.count) for \(truth.boxes.count) objects)")
        return MaxIoUAssigner.retinaNet.assign(overlaps: rotatedBoxOverlaps(truth.rotatedBoxes.map(RotatedQuad.init), anchors))
    }

    /// [N, R] regression rows of the chosen priors → [N, 5] deltas (differentiable).
    public func rotatedDeltas(_ rows: Tensor) -> Tensor {
        guard config.predictsDistributions else { return rows }
        let n = rows.shape[0], bins = config.regMax + 1
        let values = Tensor(shape: [bins], data: rotatedBinValues)
        return (rows.reshaped([n, 5, bins]).softmax(axis: -1) * values).sum(axis: -1)
    }

    /// What each bin of a rotated distribution stands for.
    public var rotatedBinValues: [Float] {
        let r = config.rotatedBinRange, n = config.regMax
        return (0...n).map { r.lowerBound + (r.upperBound - r.lowerBound) * Float($0) / Float(n) }
    }

    func rotatedLosses(_ out: Outputs, _ t: DenseTargets) -> [String: Tensor] {
        let k = config.numClasses, p = out.priors.layout.count
        let numPos = Float(Swift.max(1, t.numPositives))
        var losses: [String: Tensor] = [:]
        losses["loss_cls"] = out.cls.reshaped([-1, k]).softFocalLoss(
            SoftFocalTargets(classIndex: t.classIndex, score: [Float](repeating: 1, count: t.classIndex.count), weight: t.classWeight)) / numPos
        let local = t.positives.map { Self.rotatedAnchor(out.priors.anchors[$0 % p]) }
        let deltas = rotatedDeltas(out.reg.reshaped([-1, config.regressionChannels]).indexSelect(axis: 0, t.positives))
        let ones = [Float](repeating: 1, count: local.count)
        switch config.kind {
        case .gwd:
            losses["loss_bbox"] = decodeRotated(deltas, anchors: local).gaussianWassersteinLoss(target: t.positiveRotatedBoxes, weights: ones)
                * (5 / numPos)
        default:
            let targets = RotatedDeltaCoder.le90.encode(priors: local, gts: t.positiveRotatedBoxes)
            losses["loss_bbox"] = deltas.l1Loss(target: targets, weights: ones) / numPos
        }
        return losses
    }

    /// Differentiable decoding of [N, 5] deltas against angle-0 anchors, as the coder decodes
    /// before the angle is normalised and the sides swapped (GWD is blind to both).
    func decodeRotated(_ deltas: Tensor, anchors: [RotatedBox]) -> Tensor {
        precondition(anchors.allSatisfy { $0.angle == 0 }, "decodeRotated: anchors must have angle 0")
        let n = anchors.count, d = deltas.split(axis: 1, sizes: [1, 1, 1, 1, 1])
        func column(_ f: (RotatedBox) -> Float) -> Tensor { Tensor(shape: [n, 1], data: anchors.map(f)) }
        let r = RotatedDeltaCoder.le90.maxRatio
        let w = column(\.width), h = column(\.height)
        return Tensor.concat([column(\.centerX) + d[0] * w, column(\.centerY) + d[1] * h,
                              w * d[2].clamped(min: -r, max: r).exp(), h * d[3].clamped(min: -r, max: r).exp(), d[4]], axis: 1)
    }

    /// mmrotate's `RotatedAnchorHead.get_bboxes`: sigmoid scores, the `nmsPre` best anchors of
    /// each level by their highest class score, deltas decoded (centres clamped to the image),
    /// then `multiclass_nms_rotated`: candidates above the score threshold, class-wise rotated
    /// NMS, the best `maxPerImage`. `boxes` are the detections' axis-aligned hulls.
    func detectRotated(_ out: Outputs, imageSizes: [ImageSize]) -> [Detections] {
        let k = config.numClasses, p = out.priors.layout.count, r = config.regressionChannels
        let post = config.postprocess
        let bins = config.regMax + 1, values = rotatedBinValues
        return (0..<out.batch).map { b in
            let scores = out.cls.data[(b * p * k)..<((b + 1) * p * k)].map { 1 / (1 + Foundation.exp(-$0)) }
            var kept: [Int] = []
            for level in out.priors.layout.levels {
                let rows = Array(scores[(level.start * k)..<((level.start + level.count) * k)])
                kept += preselectedPriors(rows, numClasses: k, nmsPre: post.nmsPre).map { $0 + level.start }
            }
            var decoded: [RotatedBox] = [], keptScores: [Float] = []
            out.reg.data.withUnsafeBufferPointer { z in
                for i in kept {
                    var delta: [Float] = []
                    let base = (b * p + i) * r
                    for v in 0..<5 {
                        if config.predictsDistributions {
                            let e = expectedBin(z, offset: base + v * bins, bins: bins)   // in bin units
                            delta.append(values[0] + (values[bins - 1] - values[0]) * e / Float(bins - 1))
                        } else {
                            delta.append(z[base + v])
                        }
                    }
                    decoded.append(RotatedDeltaCoder.le90.decode(prior: Self.rotatedAnchor(out.priors.anchors[i]),
                                                                 delta: (delta[0], delta[1], delta[2], delta[3], delta[4]),
                                                                 maxShape: imageSizes[b]))
                    keptScores += scores[(i * k)..<((i + 1) * k)]
                }
            }
            let candidates = MulticlassCandidates(scores: keptScores, numClasses: k, scoreThreshold: post.scoreThreshold)
            let boxes = candidates.rows.map { decoded[$0] }, candScores = candidates.scores, labels = candidates.labels
            let priors = candidates.rows.map { kept[$0] }
            let keep = batchedRotatedNMS(boxes: boxes, scores: candScores, classes: labels, iouThreshold: post.iouThreshold,
                                         maxKept: post.maxPerImage > 0 ? post.maxPerImage : nil)
            var result = Detections(boxes: keep.map { boxes[$0].enclosingBox }, scores: keep.map { candScores[$0] },
                                    labels: keep.map { labels[$0] }, priorIndices: keep.map { priors[$0] })
            result.rotatedBoxes = keep.map { boxes[$0] }
            return result
        }
    }
}
