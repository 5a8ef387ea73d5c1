import Foundation
import Tensor

/// AutoAssign's losses (Zhu et al. 2020) as mmdetection 2.x's `AutoAssignHead.loss`, which the
/// official code matches term for term. Per image, over the (gt i, point j) pairs with j strictly
/// inside gt i, on every level:
/// - p_ij = σ(cls_{j,c_i}) · σ(obj_j) · exp(−5(1 − GIoU(box_j, gt_i)));
/// - positive: w_ij = exp(3 p_ij) G_ij / Σ_j exp(3 p_ij) G_ij (G the `CenterPrior`), P_i =
///   Σ_j w_ij p_ij, loss 0.25 · Σ_i −log P_i (log floored near −87.3: `logFloor`);
/// - negative: v_ij = 1 / (1 − IoU_j), IoU_j the point's best IoU with any gt (detached),
///   min–max normalised per gt; W = 1 except W[j, c_i] = 1 − ṽ_ij (a later gt overwrites);
///   q = σ(cls)·σ(obj)·W over every point and class; loss 0.75 · Σ q²·(−log(1 − q));
/// - centre: 0.75 · #gts / Σ G per image, averaged over images; an image whose gts cover no
///   point adds 0 (mmdet adds #gts / 1e-12, a constant of zero gradient that only swamps the
///   logged value).
/// Normalisers over the batch: the positive loss by the number of gts, the negative by Σ G
/// (detached), each at least 1. Every gradient flows, through G and the weights too, except
/// the negative weights'.
extension DenseDetector {
    func autoAssignLosses(_ out: Outputs, groundTruth: [GroundTruth]) -> [String: Tensor] {
        guard let prior = head.centerPrior else { preconditionFailure("AutoAssign needs its centre prior") }
        let k = config.numClasses, p = out.priors.layout.count
        var positive = Tensor(scalar: 0), negative = Tensor(scalar: 0), center = Tensor(scalar: 0)
        var numGTs = 0, priorMass: Float = 0
        for (b, truth) in groundTruth.enumerated() {
            let rows = Array((b * p)..<((b + 1) * p))
            let cls = out.cls.reshaped([-1, k]).indexSelect(axis: 0, rows).sigmoid()           // [P, K]
            let objectness = out.centerness!.reshaped([-1, 1]).indexSelect(axis: 0, rows).sigmoid()  // [P, 1]
            let boxes = decodePositiveBoxes(out.reg.reshaped([-1, 4]).indexSelect(axis: 0, rows), local: Array(0..<p),
                                            priors: out.priors)
            let pairs = autoAssignPairs(truth.boxes, priors: out.priors)
            let gts = truth.boxes.count
            numGTs += gts

            // Negative weights: from each point's best IoU with any gt (detached).
            var weight = [Float](repeating: 1, count: p * k)
            if gts > 0 {
                let predicted = boxRows(boxes)
                let bestIoU = predicted.map { box in truth.boxes.map { boxOverlap(box, $0) }.max()! }
                for g in 0..<gts {
                    let points = pairs.gt.indices.filter { pairs.gt[$0] == g }.map { pairs.point[$0] }
                    guard !points.isEmpty else { continue }
                    let v = points.map { 1 / Swift.max(1 - bestIoU[$0], 1e-12) }
                    let lo = v.min()!, hi = v.max()!
                    for (j, value) in zip(points, v) { weight[j * k + truth.labels[g]] = 1 - (value - lo + 1e-12) / (hi - lo + 1e-12) }
                }
            }
            let q = cls * objectness * Tensor(shape: [p, k], data: weight)
            negative = negative + (q.square() * -(1 - q).clamped(min: Self.logFloor).log()).sum() * 0.75

            guard gts > 0 else { continue }
            let m = pairs.gt.count
            if m > 0 {
                let pairBoxes = boxes.indexSelect(axis: 0, pairs.point)
                let giou = pairBoxes.alignedGIoU(target: pairs.gt.map { truth.boxes[$0] }).reshaped([m])
                let localization = ((giou - 1) * 5).exp()
                let classScore = cls.take(zip(pairs.point, pairs.gt).map { $0 * k + truth.labels[$1] })
                let score = classScore * objectness.take(pairs.point) * localization              // p_ij
                let priorWeight = prior.weights(offsets: pairs.offsets, classes: pairs.gt.map { truth.labels[$0] })
                let numerator = (score * 3).exp() * priorWeight
                let denominator = Tensor(filled: 0, shape: [gts]).scatterAdd(axis: 0, indices: pairs.gt, source: numerator)
                let w = numerator / denominator.clamped(min: 1e-12).take(pairs.gt)
                let bag = Tensor(filled: 0, shape: [gts]).scatterAdd(axis: 0, indices: pairs.gt, source: w * score)  // P_i
                positive = positive + bag.clamped(min: Self.logFloor).log().sum() * -0.25
                let mass = priorWeight.sum()
                priorMass += mass.item
                center = center + Tensor(scalar: Float(gts)) / mass.clamped(min: 1e-12) * 0.75
            } else {
                // No gt covers any point: every bag is empty, −log of the floor each.
                positive = positive + Tensor(scalar: -0.25 * Foundation.log(Self.logFloor) * Float(gts))
            }
        }
        return ["loss_pos": positive / Float(Swift.max(numGTs, 1)),
                "loss_neg": negative / Swift.max(priorMass, 1),
                "loss_center": center / Float(Swift.max(groundTruth.count, 1))]
    }

    /// The smallest normal float: logs are taken of max(x, this), so an empty bag (or q = 1)
    /// gets log ≈ −87.3 and a zero gradient. Torch's BCE clamps the log at −100 instead; e⁻¹⁰⁰
    /// is subnormal in float32 and its reciprocal (log's derivative) overflows to ∞, and 0 · ∞
    /// would make the gradient NaN.
    static var logFloor: Float { Float.leastNormalMagnitude }

    /// The (gt, point) pairs of AutoAssign, gt by gt: points strictly inside the gt (min of the
    /// four side distances > 0) on every level, with their offsets from its centre in strides.
    func autoAssignPairs(_ gts: [Box], priors: Priors) -> (gt: [Int], point: [Int], offsets: [(x: Float, y: Float)]) {
        var gt: [Int] = [], point: [Int] = [], offsets: [(x: Float, y: Float)] = []
        for (g, box) in gts.enumerated() {
            let cx = (box.x1 + box.x2) / 2, cy = (box.y1 + box.y2) / 2
            for (j, c) in priors.centers.enumerated()
            where Swift.min(Swift.min(c.x - box.x1, c.y - box.y1), Swift.min(box.x2 - c.x, box.y2 - c.y)) > 0 {
                let s = priors.strides[j]
                gt.append(g); point.append(j); offsets.append(((c.x - cx) / s, (c.y - cy) / s))
            }
        }
        return (gt, point, offsets)
    }
}
