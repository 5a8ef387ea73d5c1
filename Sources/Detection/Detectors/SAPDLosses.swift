import Foundation
import Tensor

/// SAPD's training (Zhu et al., "Soft Anchor-Point Object Detection", ECCV 2020). No official
/// code was released; where the paper's text is silent this follows the unofficial Keras code
/// (xuannianz/SAPD) and FSAF, and the README's "Design decisions" lists each choice.
extension DenseDetector {
    /// The fraction of the schedule trained with hard selection of each gt's best level before
    /// the soft selection starts (the paper: 6 of 12 epochs).
    public static let sapdWarmUp: Float = 0.5
    /// Soft selection keeps each gt's k most probable levels (k = 3 reported best).
    public static let sapdTopLevels = 3
    /// λ of the selection network's cross-entropy.
    public static let sapdSelectionWeight: Float = 0.1

    /// The soft weight f of a positive point (§3.2, η = 1): min(l, r)·min(t, b) / (max(l, r)·
    /// max(t, b)) of its distances to the gt's sides (clamped at 0: 0 on or outside the box).
    public static func sapdSoftWeight(_ c: Point, _ g: Box) -> Float {
        let l = Swift.max(c.x - g.x1, 0), r = Swift.max(g.x2 - c.x, 0)
        let t = Swift.max(c.y - g.y1, 0), b = Swift.max(g.y2 - c.y, 0)
        let denominator = Swift.max(l, r) * Swift.max(t, b)
        return denominator > 0 ? Swift.min(l, r) * Swift.min(t, b) / denominator : 0
    }

    /// Each gt's (rows: the batch's gts in image order) level target, the level whose positive
    /// points have the smallest mean of focal loss (summed over classes) plus −ln IoU under the
    /// current, detached predictions (FSAF's online feature selection; ties → the finer level);
    /// nil for a gt that owns no point on any level.
    public func sapdLevelTargets(_ out: Outputs, _ t: DenseTargets) -> [Int?] {
        let k = config.numClasses, p = out.priors.layout.count, levels = out.priors.layout.levels.count
        let levelOf = out.priors.layout.levelIndices
        var rows: [Int?] = []
        out.cls.data.withUnsafeBufferPointer { z in
            for (b, truth) in t.groundTruth.enumerated() {
                let boxes = pointBoxes(out, image: b)
                var sum = [[Double]](repeating: [Double](repeating: 0, count: levels), count: truth.boxes.count)
                var count = [[Int]](repeating: [Int](repeating: 0, count: levels), count: truth.boxes.count)
                for (i, g) in t.assignments[b].gtIndices.enumerated() where g >= 0 {
                    let f = b * p + i, label = truth.labels[g]
                    var loss: Float = 0
                    for c in 0..<k { loss += sigmoidFocalLoss(z[f * k + c], positive: c == label) }
                    loss -= Foundation.log(Swift.max(boxOverlap(boxes[i], truth.boxes[g]), 1e-6))
                    sum[g][levelOf[i]] += Double(loss); count[g][levelOf[i]] += 1
                }
                for g in truth.boxes.indices {
                    let means = (0..<levels).map { count[g][$0] > 0 ? sum[g][$0] / Double(count[g][$0]) : .infinity }
                    let best = means.indices.min { means[$0] < means[$1] }!
                    rows.append(means[best].isFinite ? best : nil)
                }
            }
        }
        return rows
    }

    /// Per gt row, the weight of each level: one-hot at the level target during the warm-up;
    /// afterwards the selection network's softmax probabilities (detached: only the
    /// cross-entropy trains the network) of its `sapdTopLevels` most probable levels, the others
    /// 0, not renormalised.
    static func sapdLevelWeights(logits: [Float], levels: Int, targets: [Int?], soft: Bool) -> [[Float]] {
        targets.enumerated().map { row, target in
            guard soft else { return (0..<levels).map { $0 == target ? 1 : 0 } }
            let z = logits[(row * levels)..<((row + 1) * levels)]
            let m = z.max()!
            let e = z.map { Foundation.exp($0 - m) }, total = e.reduce(0, +)
            let kept = Set(e.indices.sorted { e[$0] > e[$1] || (e[$0] == e[$1] && $0 < $1) }.prefix(sapdTopLevels))
            return e.indices.map { kept.contains($0) ? e[$0] / total : 0 }
        }
    }

    /// SAPD's losses: the focal loss (α 0.25, γ 2) and the IoU loss (−ln IoU) of every positive
    /// point weighted by f × its gt's weight for the point's level, both divided by the sum of
    /// those weights over the batch (at least 1); negatives weigh 1, and so do the positives of
    /// levels whose weight is 0, as background (the Keras code ignores them, mmdetection's FSAF
    /// ignores only their gt's class: ignored, they scored high at test time with untrained
    /// boxes). Plus λ × the selection network's cross-entropy, averaged over the gts that have a
    /// level target.
    func sapdLosses(_ out: Outputs, _ t: DenseTargets) -> [String: Tensor] {
        let k = config.numClasses, p = out.priors.layout.count, levels = out.priors.layout.levels.count
        let levelOf = out.priors.layout.levelIndices
        let targets = sapdLevelTargets(out, t)
        // The selection network sees every gt of the batch (none: no crops, no cross-entropy).
        let logits = targets.isEmpty ? nil : levelSelection!(out.features, strides: strides, boxes: t.groundTruth.map(\.boxes))
        let weights = Self.sapdLevelWeights(logits: logits?.data ?? [], levels: levels, targets: targets, soft: t.softLevelSelection)

        var classIndex = t.classIndex, classWeight = [Float](repeating: 1, count: t.classIndex.count)
        var kept: [Int] = [], keptBoxes: [Box] = [], keptWeights: [Float] = []
        var firstRow = 0
        for (b, truth) in t.groundTruth.enumerated() {
            for (i, g) in t.assignments[b].gtIndices.enumerated() where g >= 0 {
                let f = b * p + i
                let w = weights[firstRow + g][levelOf[i]] * Self.sapdSoftWeight(out.priors.centers[i], truth.boxes[g])
                if w > 0 {
                    classWeight[f] = w
                    kept.append(f); keptBoxes.append(truth.boxes[g]); keptWeights.append(w)
                } else {
                    // An unselected level: background, so that it scores low at test time,
                    // where every level detects.
                    classIndex[f] = -1
                }
            }
            firstRow += truth.boxes.count
        }
        let normaliser = Swift.max(1, keptWeights.reduce(0, +))
        let focal = out.cls.reshaped([-1, k]).softFocalLoss(SoftFocalTargets(classIndex: classIndex, score: ones(classIndex.count),
                                                                            weight: classWeight))
        let boxes = decodePositiveBoxes(out.reg.reshaped([-1, 4]).indexSelect(axis: 0, kept), local: kept.map { $0 % p },
                                        priors: out.priors)

        let trained = targets.indices.filter { targets[$0] != nil }
        var select = Tensor(scalar: 0)
        if let logits, !trained.isEmpty {
            let picked = logits.logSoftmax(axis: 1).reshaped([-1]).take(trained.map { $0 * levels + targets[$0]! })
            select = picked.mean().scaled(by: -Self.sapdSelectionWeight)
        }
        return ["loss_cls": focal / normaliser, "loss_bbox": boxes.iouLoss(target: keptBoxes, weights: keptWeights) / normaliser,
                "loss_select": select]
    }
}
