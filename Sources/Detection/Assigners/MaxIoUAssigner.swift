/// mmdetection 2.x's `MaxIoUAssigner` (RetinaNet, RPN, R-CNN, RepPoints refine). In order (the
/// order matters, later steps overwrite earlier ones):
/// 1. every prior starts ignored;
/// 2. negative if its max IoU over the gts lies in [negIoULowerBound, negIoUThreshold);
/// 3. positive for its argmax gt if its max IoU ≥ posIoUThreshold (ties → lowest gt index);
/// 4. low-quality matches (`matchLowQuality`): for each gt i in order whose best IoU over all
///    priors is ≥ minPosIoU, the priors reaching that best IoU (all of them with
///    `gtMaxAssignAll`, else the first) become positives of gt i — so a later gt overwrites an
///    earlier one, and a step-3 positive can be taken by a gt it matches less well.
/// Optional ignore regions: priors whose IoF with an ignore/crowd box exceeds
/// `ignoreIoFThreshold` (IoF over the prior's area when `ignoreWrtCandidates`, else over the
/// ignore box's) get IoU −1 with every gt before step 2, so they stay ignored unless a
/// low-quality match takes them.
///
/// mmdet quirk kept on purpose: with minPosIoU = 0, a gt that overlaps no prior at all has best
/// IoU 0, so every prior with IoU 0 to it becomes its positive. Degenerate gts should be
/// filtered before assignment (mmdet's pipelines drop them too).
public struct MaxIoUAssigner: Sendable {
    public var posIoUThreshold: Float
    public var negIoUThreshold: Float
    /// Lower end of the negative band (mmdet's tuple form `neg_iou_thr=(lo, hi)`); 0 for the
    /// float form.
    public var negIoULowerBound: Float
    public var minPosIoU: Float
    public var gtMaxAssignAll: Bool
    public var matchLowQuality: Bool
    /// ≤ 0 disables ignore regions (mmdet default −1).
    public var ignoreIoFThreshold: Float
    public var ignoreWrtCandidates: Bool

    public init(posIoUThreshold: Float = 0.5, negIoUThreshold: Float = 0.4, negIoULowerBound: Float = 0,
                minPosIoU: Float = 0, gtMaxAssignAll: Bool = true, matchLowQuality: Bool = true,
                ignoreIoFThreshold: Float = -1, ignoreWrtCandidates: Bool = true) {
        self.posIoUThreshold = posIoUThreshold; self.negIoUThreshold = negIoUThreshold
        self.negIoULowerBound = negIoULowerBound; self.minPosIoU = minPosIoU
        self.gtMaxAssignAll = gtMaxAssignAll; self.matchLowQuality = matchLowQuality
        self.ignoreIoFThreshold = ignoreIoFThreshold; self.ignoreWrtCandidates = ignoreWrtCandidates
    }

    /// RetinaNet (and RepPoints refine): pos 0.5, neg 0.4, min_pos_iou 0, low-quality matching.
    public static let retinaNet = MaxIoUAssigner()

    /// Assigns `gts` to `priors`; `ignoredGTs` are crowd/ignore regions (only used with a
    /// positive `ignoreIoFThreshold`).
    public func assign(priors: [Box], gts: [Box], ignoredGTs: [Box] = []) -> Assignment {
        // mmdet computes overlaps as gts × priors; the row-major layout keeps each gt's priors contiguous.
        var overlaps = boxOverlaps(gts, priors)
        if ignoreIoFThreshold > 0 && !ignoredGTs.isEmpty && !priors.isEmpty && !gts.isEmpty {
            for (j, prior) in priors.enumerated() {
                var maxIoF: Float = -.infinity
                for ig in ignoredGTs {
                    maxIoF = Swift.max(maxIoF, ignoreWrtCandidates ? boxOverlap(prior, ig, mode: .iof) : boxOverlap(ig, prior, mode: .iof))
                }
                if maxIoF > ignoreIoFThreshold { for i in 0..<gts.count { overlaps[i, j] = -1 } }
            }
        }
        return assign(overlaps: overlaps)
    }

    /// mmdet `assign_wrt_overlaps`: the assignment from a precomputed gts × priors overlap matrix.
    public func assign(overlaps: OverlapMatrix) -> Assignment {
        let numGTs = overlaps.rows, n = overlaps.cols
        if numGTs == 0 || n == 0 { return Assignment.allNegative(count: n) }
        var maxOverlaps = [Float](repeating: -.infinity, count: n)
        var argmax = [Int](repeating: 0, count: n)
        var gtMax = [Float](repeating: -.infinity, count: numGTs)
        var gtArgmax = [Int](repeating: 0, count: numGTs)
        overlaps.values.withUnsafeBufferPointer { v in
            for i in 0..<numGTs {
                let row = i * n
                for j in 0..<n {
                    let o = v[row + j]
                    // Strict comparisons keep the first maximum, as torch.max(dim) does.
                    if o > maxOverlaps[j] { maxOverlaps[j] = o; argmax[j] = i }
                    if o > gtMax[i] { gtMax[i] = o; gtArgmax[i] = j }
                }
            }
        }
        var assigned = [Int](repeating: Assignment.ignored, count: n)
        for j in 0..<n {
            let m = maxOverlaps[j]
            if m >= negIoULowerBound && m < negIoUThreshold { assigned[j] = Assignment.negative }
            if m >= posIoUThreshold { assigned[j] = argmax[j] }
        }
        if matchLowQuality {
            overlaps.values.withUnsafeBufferPointer { v in
                for i in 0..<numGTs where gtMax[i] >= minPosIoU {
                    if gtMaxAssignAll {
                        let row = i * n, best = gtMax[i]
                        for j in 0..<n where v[row + j] == best { assigned[j] = i }
                    } else {
                        assigned[gtArgmax[i]] = i
                    }
                }
            }
        }
        return Assignment(gtIndices: assigned, overlaps: maxOverlaps, numGTs: numGTs)
    }
}
