import Foundation
import Tensor

extension DenseDetector {
    /// Test-time detections per image in input pixels (mmdet `get_bboxes`): sigmoid scores,
    /// times sigmoid centerness for FCOS/ATSS (OTA, PAA: √ of the product with the IoU branch), top-k
    /// per level, decode, per-class NMS; BorderDet and the rotated detectors have their own.
    public func detect(_ out: Outputs, imageSizes: [ImageSize]) -> [Detections] {
        if config.kind.isRotated { return detectRotated(out, imageSizes: imageSizes) }
        if config.kind == .borderdet { return detectBorderDet(out, imageSizes: imageSizes) }
        let k = config.numClasses, p = out.priors.layout.count, r = config.regressionChannels
        let levels = out.priors.layout.levels
        return (0..<out.batch).map { b in
            var scores = out.cls.data[(b * p * k)..<((b + 1) * p * k)].map { 1 / (1 + Foundation.exp(-$0)) }
            let reg = Array(out.reg.data[(b * p * r)..<((b + 1) * p * r)])
            var factors = out.centerness.map { c in c.data[(b * p)..<((b + 1) * p)].map { 1 / (1 + Foundation.exp(-$0)) } }
            if config.kind == .ota || config.kind == .paa, let iou = factors {
                // OTA and PAA score each (prior, class) by √(σ(cls)·σ(IoU)) before top-k and threshold.
                for i in 0..<scores.count { scores[i] = (scores[i] * iou[i / k]).squareRoot() }
                factors = nil
            }
            var detections = densePostprocess(
                levelScores: levels.map { Array(scores[($0.start * k)..<(($0.start + $0.count) * k)]) },
                levelScoreFactors: factors.map { f in levels.map { Array(f[$0.range]) } },
                numClasses: k, config: config.postprocess
            ) { level, indices in
                // OTA's cvpods inference clips after NMS, mmdet's before.
                indices.map { decodeBox(reg: reg, prior: levels[level].start + $0, priors: out.priors,
                                        maxShape: config.kind == .ota ? nil : imageSizes[b]) }
            }
            if config.kind == .ota { detections.boxes = detections.boxes.map { $0.clipped(to: imageSizes[b]) } }
            return detections
        }
    }

    /// One prior's box from its regression outputs (plain floats; inference only).
    func decodeBox(reg: [Float], prior i: Int, priors: Priors, maxShape: ImageSize?) -> Box {
        let r = config.regressionChannels, base = i * r
        if config.regressesDistances {
            var d = [Float](repeating: 0, count: 4)
            if config.predictsDistributions {
                let n1 = config.regMax + 1
                reg.withUnsafeBufferPointer { z in
                    for side in 0..<4 { d[side] = expectedBin(z, offset: base + side * n1, bins: n1) }
                }
            } else {
                for side in 0..<4 { d[side] = Swift.max(reg[base + side], 0) }
            }
            let s = priors.strides[i] * config.distanceUnit, c = priors.centers[i]
            return DistanceCoder().decode(point: c, distances: (d[0] * s, d[1] * s, d[2] * s, d[3] * s), maxShape: maxShape)
        } else {
            return config.deltaCoder.decode(prior: priors.anchors[i], delta: (reg[base], reg[base + 1], reg[base + 2], reg[base + 3]),
                                maxShape: maxShape)
        }
    }
}

extension DenseDetector {
    /// BorderDet's inference (official `borderdet.py`): s₁ = √(σ(cls)·σ(ctr)) gates at 0.05, the
    /// (point, class) pairs rank and score by √(s₁·σ(border cls)), and each box is its coarse box
    /// moved by the border offsets × 0.5·(w, h, w, h); clipped to the image after NMS (empty
    /// boxes dropped).
    func detectBorderDet(_ out: Outputs, imageSizes: [ImageSize]) -> [Detections] {
        let k = config.numClasses, p = out.priors.layout.count, levels = out.priors.layout.levels
        func sigmoid(_ x: Float) -> Float { 1 / (1 + Foundation.exp(-x)) }
        return (0..<out.batch).map { b in
            let coarse = pointBoxes(out, image: b)
            var scores = [Float](repeating: 0, count: p * k)
            for i in 0..<p {
                let f = b * p + i, ctr = sigmoid(out.centerness!.data[f])
                for c in 0..<k {
                    let first = (sigmoid(out.cls.data[f * k + c]) * ctr).squareRoot()
                    if first > 0.05 { scores[i * k + c] = (first * sigmoid(out.borderCls!.data[f * k + c])).squareRoot() }
                }
            }
            let detections = densePostprocess(levelScores: levels.map { Array(scores[($0.start * k)..<(($0.start + $0.count) * k)]) },
                                              numClasses: k, config: config.postprocess) { level, indices in
                indices.map { local -> Box in
                    let i = levels[level].start + local, box = coarse[i], o = out.borderReg!.data[(4 * (b * p + i))..<(4 * (b * p + i) + 4)]
                    let w = 0.5 * box.width, h = 0.5 * box.height, start = o.startIndex
                    return Box(x1: box.x1 + o[start] * w, y1: box.y1 + o[start + 1] * h, x2: box.x2 + o[start + 2] * w, y2: box.y2 + o[start + 3] * h)
                }
            }
            // Clipped after NMS, and boxes left empty dropped, as cvpods' `detector_postprocess`.
            let clipped = detections.boxes.map { $0.clipped(to: imageSizes[b]) }
            let keep = clipped.indices.filter { clipped[$0].width > 0 && clipped[$0].height > 0 }
            return Detections(boxes: keep.map { clipped[$0] }, scores: keep.map { detections.scores[$0] },
                              labels: keep.map { detections.labels[$0] }, priorIndices: keep.map { detections.priorIndices[$0] })
        }
    }
}
