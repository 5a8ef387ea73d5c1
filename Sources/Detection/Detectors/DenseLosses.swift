import Foundation
import Tensor

extension DenseDetector {
    /// The training losses of one batch, named as mmdetection logs them; the total is their sum.
    /// Normalisers as methods.md §0: classification by max(1, N_pos); FCOS/ATSS boxes by the sum
    /// of centerness targets; GFL boxes and DFL by W = Σ max-class score at positives; OTA's
    /// three terms by max(1, N_pos); PAA's as mmdetection's `PAAHead`.
    public func losses(_ out: Outputs, _ t: DenseTargets) -> [String: Tensor] {
        if config.kind.isRotated { return rotatedLosses(out, t) }
        let k = config.numClasses, p = out.priors.layout.count
        let numPos = Float(Swift.max(1, t.numPositives))
        let flatCls = out.cls.reshaped([-1, k])
        let local = t.positives.map { $0 % p }
        let posReg = out.reg.reshaped([-1, config.regressionChannels]).indexSelect(axis: 0, t.positives)
        var losses: [String: Tensor] = [:]

        switch config.kind {
        case .retinanet:
            losses["loss_cls"] = flatCls.softFocalLoss(SoftFocalTargets(classIndex: t.classIndex, score: ones(t.classIndex.count),
                                                                        weight: t.classWeight)) / numPos
            if config.predictsDistributions {
                // LD's `RetinaGFLHead`: GIoU ×2 on the integral-decoded boxes, weight 1 per
                // positive, / N_pos; no DFL term (the head has none).
                let boxes = decodePositiveBoxes(posReg, local: local, priors: out.priors)
                losses["loss_bbox"] = boxes.giouLoss(target: t.positiveBoxes, weights: ones(local.count)) * (2 / numPos)
            } else {
                let deltas = DeltaXYWHCoder.retinaNet.encode(priors: local.map { out.priors.anchors[$0] }, gts: t.positiveBoxes)
                losses["loss_bbox"] = posReg.l1Loss(target: deltas, weights: ones(local.count)) / numPos
            }

        case .fcos, .atss, .borderdet:
            losses["loss_cls"] = flatCls.softFocalLoss(SoftFocalTargets(classIndex: t.classIndex, score: ones(t.classIndex.count),
                                                                        weight: t.classWeight)) / numPos
            // GFL-ified FCOS/ATSS (LD's `FCOSGFLHead`, `ATSSGFLHead`) differ only in how
            // `decodePositiveBoxes` reads the regression: same weights, normaliser, no DFL.
            let centers = local.map { out.priors.centers[$0] }
            let centerness = zip(centers, t.positiveBoxes).map { centernessTarget($0, $1) }
            // cvpods (BorderDet) floors the centerness sum at 1, mmdet at 1e-6.
            let denominator = Swift.max(centerness.reduce(0, +), config.kind == .borderdet ? 1 : 1e-6)
            let boxes = decodePositiveBoxes(posReg, local: local, priors: out.priors)
            let giouWeight: Float = config.kind == .atss ? 2 : 1
            losses["loss_bbox"] = boxes.giouLoss(target: t.positiveBoxes, weights: centerness) * (giouWeight / denominator)
            let posCenterness = out.centerness!.reshaped([-1, 1]).indexSelect(axis: 0, t.positives)
            losses["loss_centerness"] = posCenterness.binaryCrossEntropyWithLogits(target: centerness, weights: ones(local.count)) / numPos
            if config.kind == .borderdet { losses.merge(borderLosses(out, groundTruth: t.groundTruth)) { $1 } }

        case .ota:
            // The official `fcos.py` losses after commit a468e5c: focal / N_pos, GIoU ×2 / N_pos, and
            // the IoU branch's BCE ×0.5 / N_pos against the IoU of the detached box with its gt.
            losses["loss_cls"] = flatCls.softFocalLoss(SoftFocalTargets(classIndex: t.classIndex, score: ones(t.classIndex.count),
                                                                        weight: t.classWeight)) / numPos
            let boxes = decodePositiveBoxes(posReg, local: local, priors: out.priors)
            losses["loss_bbox"] = boxes.giouLoss(target: t.positiveBoxes, weights: ones(local.count)) * (2 / numPos)
            losses["loss_iou"] = iouBranchLoss(out, t, iou: alignedBoxOverlaps(boxRows(boxes), t.positiveBoxes)) / numPos

        case .paa:
            // mmdetection's `PAAHead.loss`: focal / max(N_pos, images); GIoU ×1.3 weighted by each
            // positive's IoU target (the detached box's IoU with its gt) over their sum; the IoU
            // branch's BCE ×0.5 / N_pos.
            let images = Float(t.assignments.count)
            losses["loss_cls"] = flatCls.softFocalLoss(SoftFocalTargets(classIndex: t.classIndex, score: ones(t.classIndex.count),
                                                                        weight: t.classWeight)) / Swift.max(Float(t.numPositives), images)
            let boxes = decodePositiveBoxes(posReg, local: local, priors: out.priors)
            let iou = alignedBoxOverlaps(boxRows(boxes), t.positiveBoxes)
            let weights = iou.map { Swift.max($0, 1e-12) }
            losses["loss_bbox"] = boxes.giouLoss(target: t.positiveBoxes, weights: weights) * (1.3 / Swift.max(weights.reduce(0, +), 1e-6))
            losses["loss_iou"] = iouBranchLoss(out, t, iou: iou) / numPos

        case .autoassign:
            return autoAssignLosses(out, groundTruth: t.groundTruth)

        case .sapd:
            return sapdLosses(out, t)

        case .rotatedRetinanet, .gwd:
            preconditionFailure("rotated losses are `rotatedLosses`")

        case .gfl, .gflv2:
            // GFocalV2 trains exactly as GFL, on its joint score (QFL on σ(cls)·quality).
            let boxes = decodePositiveBoxes(posReg, local: local, priors: out.priors)
            // QFL's target on a positive is the IoU of its (detached) decoded box with the gt.
            let iou = alignedBoxOverlaps(boxRows(boxes), t.positiveBoxes)
            var score = [Float](repeating: 0, count: t.classIndex.count)
            for (j, flat) in t.positives.enumerated() { score[flat] = iou[j] }
            losses["loss_cls"] = flatCls.softFocalLoss(SoftFocalTargets(classIndex: t.classIndex, score: score, weight: t.classWeight),
                                                       gamma: 2, alpha: nil) / numPos
            // w_i = max_c σ(z_ic) at the positive, detached; W = Σ w_i.
            let weights = out.maxClassScores(t.positives)
            let w = Swift.max(weights.reduce(0, +), 1e-6)
            losses["loss_bbox"] = boxes.giouLoss(target: t.positiveBoxes, weights: weights) * (2 / w)
            let n1 = config.regMax + 1
            var sideTargets = [Float](), sideWeights = [Float]()
            for (j, i) in local.enumerated() {
                // Distances in stride units, clamped to [0, n − 0.1] (mmdet's bbox2distance).
                let s = out.priors.strides[i], c = out.priors.centers[i], g = t.positiveBoxes[j]
                let d = DistanceCoder().encode(point: Point(x: c.x / s, y: c.y / s), gt: g.scaled(x: 1 / s, y: 1 / s),
                                               maxDistance: Float(config.regMax), eps: 0.1)
                sideTargets += [d.left, d.top, d.right, d.bottom]
                sideWeights += [Float](repeating: weights[j], count: 4)
            }
            losses["loss_dfl"] = posReg.reshaped([-1, n1]).distributionFocalLoss(targets: sideTargets, weights: sideWeights)
                * (0.25 / (4 * w))
        }
        return losses
    }

    /// Selected priors' predicted boxes [N, 4] in input pixels, differentiable in `reg` (their
    /// regression rows [N, R]); `local` are the priors' indices within one image. Distances
    /// (distributions, or FCOS's ReLU outputs) are stride units from the prior's centre: the
    /// anchor's centre for anchor-based heads, each of RetinaNet's 9 anchors on its own.
    public func decodePositiveBoxes(_ reg: Tensor, local: [Int], priors: Priors) -> Tensor {
        let n = local.count
        if config.regressesDistances {
            let distances = config.predictsDistributions
                ? reg.reshaped([n, 4, config.regMax + 1]).integralOfDistribution()
                : reg.relu()
            let stride = Tensor(shape: [n, 1], data: local.map { priors.strides[$0] * config.distanceUnit })
            let centers = Tensor(shape: [n, 4], data: local.flatMap { i -> [Float] in
                let c = priors.centers[i]; return [c.x, c.y, c.x, c.y]
            })
            return centers + distances * stride * Tensor(shape: [1, 4], data: [-1, -1, 1, 1])
        } else {
            let coder = config.deltaCoder
            let d = reg * Tensor(shape: [1, 4], data: coder.stds) + Tensor(shape: [1, 4], data: coder.means)
            let parts = d.split(axis: 1, sizes: [1, 1, 1, 1])
            func column(_ f: (Box) -> Float) -> Tensor { Tensor(shape: [n, 1], data: local.map { f(priors.anchors[$0]) }) }
            let aw = column(\.width), ah = column(\.height)
            let px = column(\.centerX) + aw * parts[0], py = column(\.centerY) + ah * parts[1]
            let r = coder.maxRatio
            let pw = aw * parts[2].clamped(min: -r, max: r).exp(), ph = ah * parts[3].clamped(min: -r, max: r).exp()
            return Tensor.concat([px - pw * 0.5, py - ph * 0.5, px + pw * 0.5, py + ph * 0.5], axis: 1)
        }
    }
}

@inline(__always) func ones(_ n: Int) -> [Float] { [Float](repeating: 1, count: n) }

extension DenseDetector {
    /// 0.5 · Σ BCE of the IoU branch (OTA, PAA) at the positives against `iou`, the IoU of each
    /// positive's detached box with its gt; callers divide by their N_pos.
    func iouBranchLoss(_ out: Outputs, _ t: DenseTargets, iou: [Float]) -> Tensor {
        let logits = out.centerness!.reshaped([-1, 1]).indexSelect(axis: 0, t.positives)
        return logits.binaryCrossEntropyWithLogits(target: iou, weights: ones(iou.count)) * 0.5
    }
}

/// The rows of an [N, 4] box tensor as plain boxes (detached).
func boxRows(_ boxes: Tensor) -> [Box] {
    (0..<boxes.shape[0]).map { i in
        Box(x1: boxes.data[4 * i], y1: boxes.data[4 * i + 1], x2: boxes.data[4 * i + 2], y2: boxes.data[4 * i + 3])
    }
}

extension DenseDetector.Outputs {
    /// σ(max_c z_c) at each flat prior (b·P + i), detached: GFL's localization-quality weight.
    public func maxClassScores(_ flat: [Int]) -> [Float] {
        let k = cls.shape[2]
        return cls.data.withUnsafeBufferPointer { z in
            flat.map { f in
                var m = -Float.infinity
                for c in 0..<k { m = Swift.max(m, z[f * k + c]) }
                return 1 / (1 + Foundation.exp(-m))
            }
        }
    }
}

/// Σ j·softmax(z)_j over one distribution's `bins` logits starting at `offset` (plain floats):
/// the expected distance, in bins, that GFL's integral gives.
@inline(__always)
public func expectedBin(_ z: UnsafeBufferPointer<Float>, offset: Int, bins: Int) -> Float {
    var m = -Float.infinity
    for j in 0..<bins { m = Swift.max(m, z[offset + j]) }
    var s: Float = 0, e: Float = 0
    for j in 0..<bins { let w = Foundation.exp(z[offset + j] - m); s += w; e += w * Float(j) }
    return e / s
}

extension DenseDetector {
    /// BorderDet's second-stage targets: a location is positive when its coarse box overlaps a
    /// gt with IoU ≥ 0.6 (the best such gt, ties → the lower index), on every level; its border
    /// offsets are (gt − box) / (0.5·(w, h, w, h)) of the coarse box.
    public func borderTargets(_ out: Outputs, groundTruth: [GroundTruth]) -> (classIndex: [Int], positives: [Int], offsets: [Float]) {
        let p = out.priors.layout.count
        var classIndex = [Int](repeating: -1, count: out.batch * p), positives: [Int] = [], offsets: [Float] = []
        for (b, truth) in groundTruth.enumerated() where !truth.boxes.isEmpty {
            for (i, box) in pointBoxes(out, image: b).enumerated() {
                let f = b * p + i
                let ious = truth.boxes.map { boxOverlap(box, $0) }
                let best = ious.indices.reduce(0) { ious[$1] > ious[$0] ? $1 : $0 }
                guard ious[best] >= 0.6 else { continue }
                let g = truth.boxes[best], w = 0.5 * box.width, h = 0.5 * box.height
                classIndex[f] = truth.labels[best]
                positives.append(f)
                offsets += [(g.x1 - box.x1) / w, (g.y1 - box.y1) / h, (g.x2 - box.x2) / w, (g.y2 - box.y2) / h]
            }
        }
        return (classIndex, positives, offsets)
    }

    /// BorderDet's border losses: focal on the border class logits / max(1, N), L1 (smooth L1
    /// with β 0) on the positives' offsets / max(1, N), N the border positives of the batch.
    func borderLosses(_ out: Outputs, groundTruth: [GroundTruth]) -> [String: Tensor] {
        let t = borderTargets(out, groundTruth: groundTruth), k = config.numClasses
        let n = Float(Swift.max(1, t.positives.count))
        let cls = out.borderCls!.reshaped([-1, k]).softFocalLoss(SoftFocalTargets(classIndex: t.classIndex, score: ones(t.classIndex.count),
                                                                                  weight: ones(t.classIndex.count)))
        let reg = out.borderReg!.reshaped([-1, 4]).indexSelect(axis: 0, t.positives)
        return ["loss_border_cls": cls / n, "loss_border_reg": reg.l1Loss(target: t.offsets, weights: ones(t.positives.count)) / n]
    }
}
