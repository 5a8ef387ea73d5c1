import Foundation

/// Probabilistic Anchor Assignment (Kim & Lee 2020) as mmdetection 2.x's `PAAHead` does it
/// (`paa_head.py`: `get_pos_loss`, `paa_reassign`, `gmm_separation_scheme`), or with the
/// official code's rules (`Rules.officialCode`, kkhoot/PAA `paa/loss.py`, where steps 2–4 say
/// "official"). Per image, from the current predictions, without gradients:
/// 1. an initial `MaxIoUAssigner` (positive and negative thresholds 0.1, low-quality matches
///    down to IoU 0) proposes positives;
/// 2. each proposed positive p of gt g scores s_p = Σ_c FL(z_pc, onehot(label_g))
///    + `Rules.boxLossWeight`·(1 − GIoU(box_p, g)) (mmdet's GIoU loss weight 1.3 multiplies
///    in; the official code adds the GIoU loss unweighted: 1);
/// 3. per gt and level, the `topK` proposals of lowest score are its candidates; a gt with fewer
///    than 2 candidates gets no positive (mmdet; the official code makes a single one positive);
/// 4. a two-component GMM (`GaussianMixture1D.fitPAA`) is fitted to the candidates' scores,
///    sorted ascending; of the candidates the GMM puts in component 0 (started at the minimum),
///    the first ones up to the one of highest mixture density are positive (the paper's Fig. 3(c));
///    when it puts none there, none is positive (mmdet; the official code makes every candidate
///    positive, "for high recall");
/// 5. every other proposal becomes background (label weight 1; nothing is ignored).
///
/// `overlaps[p]` is the IoU of a positive's predicted box with its gt (0 otherwise).
public struct PAAAssigner: Sendable {
    /// Whose rules decide the anchor score's GIoU weight and the gts with few or no foreground
    /// candidates.
    public enum Rules: String, Sendable, Codable {
        /// mmdetection's `PAAHead` (GIoU × 1.3; under 2 candidates or no foreground: no positive).
        case mmdetection
        /// kkhoot/PAA (GIoU × 1; a single candidate is positive; no foreground: all candidates).
        case officialCode

        /// The GIoU loss's weight in the anchor score: mmdet's loss weight 1.3, the official code's 1.
        var boxLossWeight: Float { self == .officialCode ? 1 : 1.3 }
        /// Whether a gt's single candidate is positive (mmdet needs 2 to fit the GMM).
        var keepsSingleCandidate: Bool { self == .officialCode }
        /// Whether every candidate is positive when the GMM's component 0 is empty (mmdet: none).
        var keepsAllWithoutForeground: Bool { self == .officialCode }
    }

    public var topK = 9
    public var rules: Rules
    public var initial = MaxIoUAssigner(posIoUThreshold: 0.1, negIoUThreshold: 0.1, minPosIoU: 0)

    public init(rules: Rules = .mmdetection) {
        self.rules = rules
    }

    /// `anchors` flat level by level (`levelCounts` per level); `classLogits` anchors × classes
    /// (raw logits); `predictedBoxes` the decoded predictions of the anchors (detached).
    public func assign(anchors: [Box], levelCounts: [Int], classLogits: [Float], numClasses: Int,
                       predictedBoxes: [Box], gts: [Box], gtLabels: [Int]) -> Assignment {
        let n = anchors.count
        precondition(levelCounts.reduce(0, +) == n && predictedBoxes.count == n && classLogits.count == n * numClasses,
                     "PAAAssigner: \(n) anchors, level counts \(levelCounts), \(predictedBoxes.count) boxes, \(classLogits.count) logits")
        precondition(gtLabels.count == gts.count, "PAAAssigner: \(gtLabels.count) labels for \(gts.count) gts")
        let proposed = initial.assign(priors: anchors, gts: gts)
        var indices = proposed.gtIndices.map { $0 >= 0 ? Assignment.negative : $0 }
        var overlaps = [Float](repeating: 0, count: n)
        if gts.isEmpty { return Assignment(gtIndices: indices, overlaps: overlaps, numGTs: 0) }

        let level = levelCounts.enumerated().flatMap { [Int](repeating: $0.offset, count: $0.element) }
        var score = [Float](repeating: 0, count: n)
        for p in 0..<n where proposed.gtIndices[p] >= 0 { score[p] = cost(p, gt: proposed.gtIndices[p], classLogits, numClasses,
                                                                            predictedBoxes, gts, gtLabels) }
        for g in gts.indices {
            var candidates: [Int] = []
            for l in levelCounts.indices {
                let mine = (0..<n).filter { proposed.gtIndices[$0] == g && level[$0] == l }
                candidates += mine.sorted { (score[$0], $0) < (score[$1], $1) }.prefix(topK)
            }
            guard candidates.count >= 2 || (rules.keepsSingleCandidate && candidates.count == 1) else { continue }
            candidates.sort { (score[$0], $0) < (score[$1], $1) }
            let positives = candidates.count == 1 ? [0]
                : Self.separation(sortedScores: candidates.map { score[$0] }, rules: rules)
            for i in positives {
                let p = candidates[i]
                indices[p] = g
                overlaps[p] = boxOverlap(predictedBoxes[p], gts[g])
            }
        }
        return Assignment(gtIndices: indices, overlaps: overlaps, numGTs: gts.count)
    }

    /// mmdet's `gmm_separation_scheme` on one gt's candidate scores (ascending, at least 2):
    /// the positions of the positives. Of the candidates the GMM puts in component 0, those up
    /// to the first one of highest mixture density (torch.argmax keeps the first). When it puts
    /// none there: no positive (mmdet), or every candidate (official code).
    public static func separation(sortedScores: [Float], rules: Rules = .mmdetection) -> [Int] {
        let gmm = GaussianMixture1D.fitPAA(sortedScores)
        let foreground = sortedScores.indices.filter { gmm.predict(Double(sortedScores[$0])) == 0 }
        guard !foreground.isEmpty else { return rules.keepsAllWithoutForeground ? Array(sortedScores.indices) : [] }
        let densities = foreground.map { gmm.logDensity(Double(sortedScores[$0])) }
        let cut = densities.indices.reduce(0) { densities[$1] > densities[$0] ? $1 : $0 }
        return Array(foreground[...cut])
    }

    /// s_p of a proposed positive: its focal loss against the gt's one-hot over every class,
    /// plus the weighted GIoU loss of its predicted box.
    func cost(_ p: Int, gt g: Int, _ logits: [Float], _ numClasses: Int, _ boxes: [Box], _ gts: [Box], _ labels: [Int]) -> Float {
        var classification: Float = 0
        for c in 0..<numClasses { classification += sigmoidFocalLoss(logits[p * numClasses + c], positive: c == labels[g]) }
        return classification + rules.boxLossWeight * (1 - boxOverlap(boxes[p], gts[g], mode: .giou))
    }
}
