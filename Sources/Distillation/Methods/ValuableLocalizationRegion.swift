import Detection
import Foundation

/// Where a logit-mimicking term (LD, KD, TBR) applies: LD paper §3.4.
public enum DistillationRegion: Sendable, Equatable {
    /// The main distillation region: the student's positive priors (its label assignment).
    case main
    /// The valuable localization region, an outward extension of the main region.
    case valuableLocalization(ValuableLocalizationRegion)
}

/// Selected priors of a batch: flat indices b·P + i (DenseTargets' convention) with a weight each.
public struct PriorSelection: Sendable, Equatable {
    public var indices: [Int]
    public var weights: [Float]
    public init(indices: [Int] = [], weights: [Float] = []) { self.indices = indices; self.weights = weights }
    public var count: Int { indices.count }
}

/// The valuable localization region (LD paper Alg. 1; methods.md D2). A prior is in it for gt g
/// when γ·thr_g ≤ DIoU(prior anchor, g) < thr_g, thr_g being the assigner's positive threshold.
/// Defaults follow the code (`ATSSAssigner.get_vlr_region` + GFL `LDHead`), which differs from
/// the paper where it matters:
/// - thr_g is ATSS's adaptive mean + std, computed even for detectors assigned otherwise;
/// - the weight is the plain IoU with the best (highest-IoU) band gt, not the paper's 0/1
///   indicator (`weighting: .indicator` is the paper);
/// - the band's upper end is open (`includesUpperBound` is the paper's ≤);
/// - the band may overlap the positives (the RetinaNet head removes them: `excludesPositives`).
/// `LDHeadConstants` holds each student detector's choices.
public struct ValuableLocalizationRegion: Sendable, Equatable {
    /// `.studentScore`: the student's detached max class score, as LD's FCOS head weights its
    /// region; `select` then gives weight 1 and the LD term reads the score.
    public enum Weighting: Sendable, Equatable { case iou, indicator, studentScore }

    public var gamma: Float
    public var weighting: Weighting
    public var includesUpperBound: Bool
    public var excludesPositives: Bool

    public init(gamma: Float = 0.25, weighting: Weighting = .iou, includesUpperBound: Bool = false,
                excludesPositives: Bool = false) {
        self.gamma = gamma; self.weighting = weighting
        self.includesUpperBound = includesUpperBound; self.excludesPositives = excludesPositives
    }

    /// One image: every anchor (all levels, flat) against its gts with their thresholds; returns
    /// the band's anchors with their weights. NaN thresholds (a single ATSS candidate) select none.
    public func select(anchors: [Box], gts: [Box], thresholds: [Float]) -> [(prior: Int, weight: Float)] {
        precondition(gts.count == thresholds.count, "VLR: \(thresholds.count) thresholds for \(gts.count) gts")
        var out: [(prior: Int, weight: Float)] = []
        for (i, a) in anchors.enumerated() {
            var best = -Float.infinity
            for (g, gt) in gts.enumerated() {
                let d = boxOverlap(a, gt, mode: .diou), thr = thresholds[g]
                let inBand = d >= gamma * thr && (includesUpperBound ? d <= thr : d < thr)
                if inBand { best = Swift.max(best, boxOverlap(a, gt, mode: .iou)) }
            }
            if best > -.infinity { out.append((i, weighting == .iou ? best : 1)) }
        }
        return out
    }

    /// The whole batch. Thresholds come from the student's ATSS assignment when it has one,
    /// else from `thresholds(priors:gts:)`.
    public func select(priors: DenseDetector.Priors, truth: [GroundTruth], targets: DenseTargets) -> PriorSelection {
        let p = priors.layout.count
        let anchors = priors.regionAnchors
        var selection = PriorSelection()
        for (b, gt) in truth.enumerated() where !gt.boxes.isEmpty {
            let stored = b < targets.atssThresholds.count ? targets.atssThresholds[b] : []
            let thresholds = stored.count == gt.boxes.count ? stored : Self.thresholds(priors: priors, gts: gt.boxes)
            for (i, w) in select(anchors: anchors, gts: gt.boxes, thresholds: thresholds) {
                if excludesPositives && targets.assignments[b].isPositive(i) { continue }
                selection.indices.append(b * p + i); selection.weights.append(w)
            }
        }
        return selection
    }
}

extension ValuableLocalizationRegion {
    /// thr_g for a student not assigned by ATSS (RetinaNet, FCOS): mean + std of the IoUs of
    /// the 9 region anchors nearest g's centre on each level, as the LD heads' `get_vlr_region`
    /// computes it. RetinaNet's 9 anchors per location all count (the nearest 9 are usually
    /// the 9 shapes at the nearest location); ignore regions play no part (the code passes
    /// none). FCOS points use pseudo anchors (`regionAnchors`).
    public static func thresholds(priors: DenseDetector.Priors, gts: [Box]) -> [Float] {
        ATSSAssigner().assignDetailed(anchors: priors.regionAnchors, levelCounts: priors.layout.levelCounts, gts: gts)
            .iouThresholds
    }
}

extension DenseDetector.Priors {
    /// Boxes for the region rules (VLR, fine-grained masks): the anchors, or for point priors
    /// (FCOS) squares of side 8·stride around the points: ATSS's anchor, the only anchor shape
    /// LD's one-prior heads use (the FCOS head's own band function, which would need such boxes,
    /// is commented out in the released code).
    public var regionAnchors: [Box] {
        guard points != nil else { return anchors }
        return zip(centers, strides).map { c, s in Box(centerX: c.x, centerY: c.y, width: 8 * s, height: 8 * s) }
    }
}
