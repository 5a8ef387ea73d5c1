import Foundation

/// Optimal Transport Assignment (Ge et al. 2021) as the official code does it
/// (Megvii-BaseDetection/OTA, `fcos.py` `get_ground_truth`; the paper's centre prior is
/// replaced there by a geometric region, and the code is followed). Per image, without
/// gradients, from the current predictions:
/// 1. candidates of gt g: points p strictly inside g (min of the four side distances > 0.01)
///    and within `centerRadius`·stride of g's centre on both axes (the official 2.5), on every
///    level (no regress ranges);
/// 2. cost C_gp = Σ_c FL(z_pc, onehot(label_g)) + `regressionWeight`·(−log IoU(box_p, g))
///    + 1e6·[p not a candidate of g], FL the sigmoid focal loss (α 0.25, γ 2) on the raw class
///    logits z; the background row C_bg,p = Σ_c FL(z_pc, 0);
/// 3. supplies: each gt k_g = ⌊Σ of its `topCandidates` largest candidate IoUs⌋, at least 1;
///    the background N − Σ k_g; every point demands 1;
/// 4. π = Sinkhorn(C, supplies, demands) (ε 0.1, 50 rounds); each row divided by its maximum;
///    each point takes the row of largest π (ties → lower row): a gt, or the background.
///
/// `overlaps[p]` is the IoU of the point's predicted box with its assigned gt (0 for the
/// background): the target of OTA's IoU branch.
public struct OTAAssigner: Sendable {
    public var centerRadius: Float = 2.5
    public var regressionWeight: Float = 1.5
    public var topCandidates = 20
    /// The cost of a point outside a gt's candidate region.
    public var outsidePenalty: Float = 1e6
    public var focalAlpha: Float = 0.25
    public var focalGamma: Float = 2
    public var sinkhorn = SinkhornTransport()

    public init() {}

    /// `points` and `strides` per point; `classLogits` row-major points × classes (raw logits);
    /// `predictedBoxes` the decoded boxes of the points (detached).
    public func assign(points: [Point], strides: [Float], classLogits: [Float], numClasses: Int,
                       predictedBoxes: [Box], gts: [Box], gtLabels: [Int]) -> Assignment {
        let n = points.count, numGTs = gts.count
        precondition(strides.count == n && predictedBoxes.count == n && classLogits.count == n * numClasses,
                     "OTAAssigner: \(n) points, \(strides.count) strides, \(predictedBoxes.count) boxes, \(classLogits.count) logits")
        precondition(gtLabels.count == numGTs, "OTAAssigner: \(gtLabels.count) labels for \(numGTs) gts")
        if numGTs == 0 || n == 0 { return Assignment.allNegative(count: n) }

        // Σ_c FL(z_pc, 0) per point, and the one-hot cost adds FL(z, 1) − FL(z, 0) at the label.
        var background = [Float](repeating: 0, count: n)
        for p in 0..<n {
            var s: Float = 0
            for c in 0..<numClasses { s += focal(classLogits[p * numClasses + c], positive: false) }
            background[p] = s
        }
        var cost = SinkhornTransport.SparseCost(rowCount: numGTs + 1, columnCount: n)
        var supplies = [Float](repeating: 0, count: numGTs + 1)
        var candidateIoU: [[Float]] = []   // per gt, per cost entry of its row (to read IoUs back)
        var rowStart: [Int] = []
        for (g, gt) in gts.enumerated() {
            let cx = (gt.x1 + gt.x2) / 2, cy = (gt.y1 + gt.y2) / 2
            let candidates = (0..<n).filter { p in
                let q = points[p], r = centerRadius * strides[p]
                let inBox = Swift.min(Swift.min(q.x - gt.x1, q.y - gt.y1), Swift.min(gt.x2 - q.x, gt.y2 - q.y)) > 0.01
                return inBox && abs(q.x - cx) < r && abs(q.y - cy) < r
            }
            // A gt without candidates competes for every point through the penalised costs.
            let columns = candidates.isEmpty ? Array(0..<n) : candidates
            let penalty: Float = candidates.isEmpty ? outsidePenalty : 0
            let label = gtLabels[g]
            rowStart.append(cost.count)
            var ious: [Float] = []
            for p in columns {
                let iou = boxOverlap(predictedBoxes[p], gt)
                let z = classLogits[p * numClasses + label]
                let classification = background[p] - focal(z, positive: false) + focal(z, positive: true)
                let regression = -Foundation.log(Swift.max(iou, Float.ulpOfOne))
                cost.append(row: g, column: p, cost: classification + regressionWeight * regression + penalty)
                ious.append(iou)
            }
            candidateIoU.append(ious)
            // Dynamic k from the candidates' IoUs only (the official masks the IoUs the same way).
            let top = (candidates.isEmpty ? [] : ious).sorted(by: >).prefix(topCandidates)
            // A diverged network's NaN IoUs give k = 1; its NaN losses then stop the run.
            let total = top.reduce(0, +)
            supplies[g] = total.isFinite ? Float(Swift.max(1, Int(total))) : 1
        }
        for p in 0..<n { cost.append(row: numGTs, column: p, cost: background[p]) }
        // Never below 0 (the official does not guard; it would need more than N/20 gts per image).
        supplies[numGTs] = Swift.max(0, Float(n) - supplies[..<numGTs].reduce(0, +))
        let plan = sinkhorn.plan(cost, supply: supplies, demand: [Float](repeating: 1, count: n))

        // Rows rescaled to a maximum of 1, then each point's best row (strictly greater wins, so
        // a tie keeps the lower row, as torch.max).
        var rowMax = [Float](repeating: 0, count: numGTs + 1)
        for e in 0..<cost.count { rowMax[cost.rows[e]] = Swift.max(rowMax[cost.rows[e]], plan[e]) }
        var best = [Float](repeating: -1, count: n), bestRow = [Int](repeating: numGTs, count: n)
        var bestIoU = [Float](repeating: 0, count: n)
        for e in 0..<cost.count {
            let row = cost.rows[e], p = cost.columns[e]
            let value = rowMax[row] > 0 ? plan[e] / rowMax[row] : 0
            if value > best[p] || (value == best[p] && row < bestRow[p]) {
                best[p] = value; bestRow[p] = row
                bestIoU[p] = row < numGTs ? candidateIoU[row][e - rowStart[row]] : 0
            }
        }
        let indices = bestRow.map { $0 == numGTs ? Assignment.negative : $0 }
        let overlaps = (0..<n).map { indices[$0] >= 0 ? bestIoU[$0] : 0 }
        return Assignment(gtIndices: indices, overlaps: overlaps, numGTs: numGTs)
    }

    func focal(_ z: Float, positive: Bool) -> Float {
        sigmoidFocalLoss(z, positive: positive, alpha: focalAlpha, gamma: focalGamma)
    }
}
