/// The result of assigning ground-truth boxes to priors (anchors or points), one entry per prior.
///
/// Codes (`gtIndices[i]`):
/// - `≥ 0`: positive, the index of the assigned gt in the gt array given to the assigner;
/// - `Assignment.negative` (−1): background;
/// - `Assignment.ignored` (−2): neither (MaxIoU's band between the thresholds, priors inside
///   ignore/crowd regions); ignored priors get no classification loss.
/// mmdet's `AssignResult.gt_inds` is this plus one (0 background, −1 ignored, i + 1 positive).
///
/// `overlaps[i]` is the quality the assigner used for prior i; see each assigner:
/// `MaxIoUAssigner`: the prior's max IoU over all gts (mmdet `max_overlaps`, −1 where ignored by
/// IoF); `ATSSAssigner`: the IoU with the assigned gt for positives, 0 otherwise;
/// `FCOSAssigner`: 0 (FCOS uses no IoU).
public struct Assignment: Equatable, Sendable {
    public static let negative = -1
    public static let ignored = -2

    public var gtIndices: [Int]
    public var overlaps: [Float]
    /// Number of gts the assignment was made against.
    public let numGTs: Int

    public init(gtIndices: [Int], overlaps: [Float], numGTs: Int) {
        precondition(gtIndices.count == overlaps.count, "Assignment: \(gtIndices.count) indices, \(overlaps.count) overlaps")
        self.gtIndices = gtIndices; self.overlaps = overlaps; self.numGTs = numGTs
    }

    /// Every prior negative (no gts).
    public static func allNegative(count: Int) -> Assignment {
        Assignment(gtIndices: [Int](repeating: negative, count: count), overlaps: [Float](repeating: 0, count: count), numGTs: 0)
    }

    /// Number of priors.
    public var count: Int { gtIndices.count }
    public func isPositive(_ i: Int) -> Bool { gtIndices[i] >= 0 }
    public var positiveIndices: [Int] { gtIndices.indices.filter { gtIndices[$0] >= 0 } }
    public var negativeIndices: [Int] { gtIndices.indices.filter { gtIndices[$0] == Self.negative } }
    public var ignoredIndices: [Int] { gtIndices.indices.filter { gtIndices[$0] == Self.ignored } }
    public var numPositives: Int { gtIndices.reduce(0) { $0 + ($1 >= 0 ? 1 : 0) } }

    /// Classification target per prior: `gtLabels[gt]` for positives, `background` otherwise
    /// (mmdet v2 uses `num_classes` as the background label). Combine with `labelWeights` to drop
    /// ignored priors from the loss.
    public func labels(gtLabels: [Int], background: Int) -> [Int] {
        precondition(gtLabels.count == numGTs, "Assignment.labels: \(gtLabels.count) labels for \(numGTs) gts")
        return gtIndices.map { $0 >= 0 ? gtLabels[$0] : background }
    }

    /// 1 for positives and negatives, 0 for ignored priors (mmdet `label_weights` with the
    /// pseudo sampler and `pos_weight = −1`).
    public var labelWeights: [Float] { gtIndices.map { $0 == Self.ignored ? 0 : 1 } }

    /// The assigned gt box of every positive, in `positiveIndices` order.
    public func positiveGTs(_ gts: [Box]) -> [Box] {
        gtIndices.compactMap { $0 >= 0 ? gts[$0] : nil }
    }

    /// mmdet `unmap`: an assignment computed on the subset of priors flagged in `inside` (in
    /// order) spread back over all priors; priors outside get `ignored` (mmdet gives them the
    /// background label with weight 0) and overlap 0.
    public func unmapped(inside: [Bool]) -> Assignment {
        var indices = [Int](repeating: Self.ignored, count: inside.count)
        var overlaps = [Float](repeating: 0, count: inside.count)
        var j = 0
        for (i, flag) in inside.enumerated() where flag {
            indices[i] = gtIndices[j]; overlaps[i] = self.overlaps[j]; j += 1
        }
        precondition(j == count, "Assignment.unmapped: \(j) inside flags for \(count) priors")
        return Assignment(gtIndices: indices, overlaps: overlaps, numGTs: numGTs)
    }
}
