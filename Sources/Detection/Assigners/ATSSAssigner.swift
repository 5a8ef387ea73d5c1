import Foundation

/// Adaptive Training Sample Selection (Zhang et al. 2020) exactly as mmdetection 2.x's
/// `ATSSAssigner` (ATSS, GFL, and LD's students). For each gt g:
/// 1. distance from every anchor centre to g's centre (Euclidean, float32 as torch);
/// 2. on each level, the `topK` anchors with the smallest distance are candidates
///    (min(topK, level size) of them);
/// 3. threshold t_g = mean + std of the candidates' IoUs with g (std unbiased, n − 1, as
///    torch.std; a single candidate gives NaN and so no positive, as in mmdet);
/// 4. a candidate is positive for g when IoU ≥ t_g and its centre is inside g with margin:
///    min(cx − x1, cy − y1, x2 − cx, y2 − cy) > 0.01.
/// An anchor positive for several gts takes the one of highest IoU (ties → lowest gt index).
/// Everything else is negative. With `ignoreIoFThreshold > 0`, anchors whose IoF (over the
/// anchor's area) with an ignore box exceeds it get distance 1e8 (so they are chosen only when
/// a level has too few other anchors) and are ignored unless they end up positive.
///
/// Ties in the distance ranking are broken towards the lower anchor index. torch.topk leaves
/// that order unspecified, so when a tie straddles the k-th place (common: a gt centre midway
/// between grid points) mmdet may pick a different but equally near anchor.
public struct ATSSAssigner: Sendable {
    public var topK: Int
    /// ≤ 0 disables ignore regions (mmdet default −1).
    public var ignoreIoFThreshold: Float

    public init(topK: Int = 9, ignoreIoFThreshold: Float = -1) {
        precondition(topK >= 1, "ATSSAssigner: topK \(topK) < 1")
        self.topK = topK; self.ignoreIoFThreshold = ignoreIoFThreshold
    }

    /// The assignment plus the intermediate quantities other methods reuse (LD's valuable
    /// localization region is built from the per-gt ATSS thresholds).
    public struct Result: Sendable {
        public var assignment: Assignment
        /// t_g = mean + std of the candidates' IoUs, per gt.
        public var iouThresholds: [Float]
        /// The candidate anchors of each gt (level by level, nearest first within a level).
        public var candidates: [[Int]]
    }

    public func assign(anchors: Anchors, gts: [Box], ignoredGTs: [Box] = []) -> Assignment {
        assignDetailed(anchors: anchors.boxes, levelCounts: anchors.levelCounts, gts: gts, ignoredGTs: ignoredGTs).assignment
    }

    /// `anchors` flat, level by level, `levelCounts` anchors per level (mmdet
    /// `num_level_bboxes`, counted after dropping invalid anchors if any were dropped).
    public func assign(anchors: [Box], levelCounts: [Int], gts: [Box], ignoredGTs: [Box] = []) -> Assignment {
        assignDetailed(anchors: anchors, levelCounts: levelCounts, gts: gts, ignoredGTs: ignoredGTs).assignment
    }

    public func assignDetailed(anchors: [Box], levelCounts: [Int], gts: [Box], ignoredGTs: [Box] = []) -> Result {
        let n = anchors.count, numGTs = gts.count
        precondition(levelCounts.reduce(0, +) == n, "ATSSAssigner: level counts \(levelCounts) for \(n) anchors")
        if numGTs == 0 || n == 0 {
            return Result(assignment: Assignment.allNegative(count: n), iouThresholds: [Float](repeating: 0, count: numGTs),
                          candidates: [[Int]](repeating: [], count: numGTs))
        }
        let cx = anchors.map { ($0.x1 + $0.x2) / 2 }, cy = anchors.map { ($0.y1 + $0.y2) / 2 }
        var assigned = [Int](repeating: Assignment.negative, count: n)
        var ignoredAnchor = [Bool](repeating: false, count: n)
        if ignoreIoFThreshold > 0 && !ignoredGTs.isEmpty {
            for j in 0..<n {
                var maxIoF: Float = -.infinity
                for ig in ignoredGTs { maxIoF = Swift.max(maxIoF, boxOverlap(anchors[j], ig, mode: .iof)) }
                if maxIoF > ignoreIoFThreshold { ignoredAnchor[j] = true; assigned[j] = Assignment.ignored }
            }
        }
        var bestIoU = [Float](repeating: -.infinity, count: n)
        var bestGT = [Int](repeating: -1, count: n)
        var thresholds = [Float](repeating: 0, count: numGTs)
        var allCandidates: [[Int]] = []
        allCandidates.reserveCapacity(numGTs)
        var nearest = NearestK(k: topK)
        for (g, gt) in gts.enumerated() {
            let gx = (gt.x1 + gt.x2) / 2, gy = (gt.y1 + gt.y2) / 2
            var candidates: [Int] = []
            var start = 0
            for count in levelCounts {
                nearest.reset()
                for j in start..<(start + count) {
                    let dx = cx[j] - gx, dy = cy[j] - gy
                    nearest.offer(ignoredAnchor[j] ? 1e8 : (dx * dx + dy * dy).squareRoot(), j)
                }
                candidates += nearest.indices
                start += count
            }
            let ious = candidates.map { boxOverlap(anchors[$0], gt) }
            let threshold = Self.meanPlusStd(ious)
            thresholds[g] = threshold
            for (c, j) in candidates.enumerated() where ious[c] >= threshold {
                let inside = Swift.min(Swift.min(cx[j] - gt.x1, cy[j] - gt.y1), Swift.min(gt.x2 - cx[j], gt.y2 - cy[j])) > 0.01
                // Strict: an IoU tie keeps the earlier gt, as torch.max over the gt axis.
                if inside && (bestGT[j] < 0 || ious[c] > bestIoU[j]) { bestIoU[j] = ious[c]; bestGT[j] = g }
            }
            allCandidates.append(candidates)
        }
        var overlaps = [Float](repeating: 0, count: n)
        for j in 0..<n where bestGT[j] >= 0 { assigned[j] = bestGT[j]; overlaps[j] = bestIoU[j] }
        return Result(assignment: Assignment(gtIndices: assigned, overlaps: overlaps, numGTs: numGTs),
                      iouThresholds: thresholds, candidates: allCandidates)
    }

    /// mean + unbiased std, each rounded to float32 as torch's `mean(0)` and `std(0)` return
    /// them, then added in float32. Accumulated in double so the candidates' order cannot matter.
    static func meanPlusStd(_ values: [Float]) -> Float {
        let n = Double(values.count)
        let mean = values.reduce(0.0) { $0 + Double($1) } / n
        let variance = values.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / (n - 1)
        return Float(mean) + Float(variance.squareRoot())
    }
}

/// The k smallest (distance, index) pairs of a stream, kept sorted; an equal distance never
/// displaces an earlier index, so ties resolve towards the lower index. O(k) per accepted offer,
/// O(1) per rejected one — most offers are rejected after the first few.
struct NearestK {
    let k: Int
    private(set) var distances: [Float] = []
    private(set) var indices: [Int] = []

    init(k: Int) { self.k = k; distances.reserveCapacity(k); indices.reserveCapacity(k) }

    mutating func reset() { distances.removeAll(keepingCapacity: true); indices.removeAll(keepingCapacity: true) }

    @inline(__always)
    mutating func offer(_ d: Float, _ index: Int) {
        if distances.count == k {
            guard d < distances[k - 1] else { return }
            distances.removeLast(); indices.removeLast()
        }
        var pos = distances.count
        while pos > 0 && distances[pos - 1] > d { pos -= 1 }
        distances.insert(d, at: pos); indices.insert(index, at: pos)
    }
}
