import Testing
@testable import Detection

@Suite("MaxIoU assigner") struct MaxIoUAssignerTests {
    // Anchors and gts, with the IoUs worked by hand:
    // G0 = (0,0,10,9) area 90; G1 = (10,5,16,15) area 60.
    // A0 (0,0,10,10):  G0: inter 10·9 = 90, union 100 + 90 − 90 = 100 → 0.9;      G1: 0 (touching edge)
    // A1 (10,0,20,10): G0: 0;  G1: inter 6·5 = 30, union 100 + 60 − 30 = 130 → 0.230769
    // A2 (0,10,10,20): 0 with both
    // A3 (30,30,40,40): 0 with both
    // A4 (0,3,10,13):  G0: inter 10·6 = 60, union 100 + 90 − 60 = 130 → 0.461538; G1: 0
    // A5 (10,10,20,20): G1: inter 6·5 = 30 → 0.230769 (ties A1 for G1's best IoU)
    let anchors = [box(0, 0, 10, 10), box(10, 0, 20, 10), box(0, 10, 10, 20), box(30, 30, 40, 40), box(0, 3, 10, 13), box(10, 10, 20, 20)]
    let gts = [box(0, 0, 10, 9), box(10, 5, 16, 15)]

    /// RetinaNet thresholds: A0 ≥ 0.5 → G0; A2, A3 < 0.4 → negative; A4 in [0.4, 0.5) → ignored;
    /// A1 and A5 are below 0.4 but are G1's best (0.230769 ≥ min_pos_iou 0), and with
    /// gt_max_assign_all both tying anchors become G1's positives (low-quality matches).
    @Test func lowQualityMatchesAndIgnoreBand() {
        let a = MaxIoUAssigner.retinaNet.assign(priors: anchors, gts: gts)
        #expect(a.gtIndices == [0, 1, Assignment.negative, Assignment.negative, Assignment.ignored, 1])
        #expect(close(a.overlaps, [0.9, 0.230769, 0, 0, 0.461538, 0.230769]))
        #expect(a.positiveIndices == [0, 1, 5] && a.negativeIndices == [2, 3] && a.ignoredIndices == [4])
        #expect(a.labels(gtLabels: [3, 7], background: 80) == [3, 7, 80, 80, 80, 7])
        #expect(a.labelWeights == [1, 1, 1, 1, 0, 1])
        #expect(a.positiveGTs(gts) == [gts[0], gts[1], gts[1]])
    }

    /// min_pos_iou 0.3 > 0.230769: G1 gets no low-quality match, A1 and A5 stay negative.
    /// Without gt_max_assign_all only the first argmax (A1) is matched.
    @Test func minPosIoUAndFirstArgmaxOnly() {
        var strict = MaxIoUAssigner.retinaNet
        strict.minPosIoU = 0.3
        #expect(strict.assign(priors: anchors, gts: gts).gtIndices == [0, -1, -1, -1, -2, -1])
        var single = MaxIoUAssigner.retinaNet
        single.gtMaxAssignAll = false
        #expect(single.assign(priors: anchors, gts: gts).gtIndices == [0, 1, -1, -1, -2, -1])
        var noLowQuality = MaxIoUAssigner.retinaNet
        noLowQuality.matchLowQuality = false
        #expect(noLowQuality.assign(priors: anchors, gts: gts).gtIndices == [0, -1, -1, -1, -2, -1])
    }

    /// Ignore region (28,28,40,40) with IoF threshold 0.5: A3's IoF over its own area is
    /// 100/100 = 1 > 0.5, so its IoUs become −1 and it is neither negative nor positive.
    @Test func ignoreRegionsByIoF() {
        var assigner = MaxIoUAssigner.retinaNet
        assigner.ignoreIoFThreshold = 0.5
        let a = assigner.assign(priors: anchors, gts: gts, ignoredGTs: [box(28, 28, 40, 40)])
        #expect(a.gtIndices == [0, 1, -1, -2, -2, 1])
        #expect(a.overlaps[3] == -1)
    }

    /// No gts: all negative; no priors: empty.
    @Test func emptyInputs() {
        #expect(MaxIoUAssigner.retinaNet.assign(priors: anchors, gts: []).gtIndices == [Int](repeating: -1, count: 6))
        #expect(MaxIoUAssigner.retinaNet.assign(priors: [], gts: gts).count == 0)
    }

    /// mmdet's quirk, kept: a gt overlapping no anchor has best IoU 0 ≥ min_pos_iou 0, so every
    /// anchor with IoU 0 to it — here all six, even A0 with 0.9 to G0 — becomes its positive.
    @Test func gtOverlappingNothingTakesEveryZeroIoUAnchor() {
        let a = MaxIoUAssigner.retinaNet.assign(priors: anchors, gts: [gts[0], box(100, 100, 110, 110)])
        #expect(a.gtIndices == [1, 1, 1, 1, 1, 1])
    }
}
