import Testing
@testable import Detection

@Suite("ATSS assigner") struct ATSSAssignerTests {
    /// Level 0: 3 × 3 anchors of side 4 centred at (2|6|10, 2|6|10) (indices 0–8, row-major);
    /// level 1: 2 × 2 anchors of side 8 centred at (4|12, 4|12) (indices 9–12). topK 2.
    /// gt (1,1,9,7): centre (5,4), area 8·6 = 48.
    /// Distances on level 0: (6,2) and (6,6) √5 = 2.236 (indices 1, 4), then (2,2), (2,6) √13 …
    /// → candidates 1, 4. Level 1: (4,4) at 1, (12,4) at 7 → candidates 9, 10.
    /// IoUs: A1 (4,0,8,4): inter 4·3 = 12, union 16 + 48 − 12 = 52 → 3/13 = 0.230769
    ///       A4 (4,4,8,8): inter 4·3 = 12 → 3/13 = 0.230769
    ///       A9 (0,0,8,8): inter 7·6 = 42, union 64 + 48 − 42 = 70 → 0.6
    ///       A10 (8,0,16,8): inter 1·6 = 6, union 64 + 48 − 6 = 106 → 0.056604
    /// mean = (0.230769 + 0.230769 + 0.6 + 0.056604) / 4 = 1.118142 / 4 = 0.279536
    /// deviations −0.048767, −0.048767, 0.320464, −0.222932; squares 0.002378, 0.002378, 0.102697,
    /// 0.049699, sum 0.157152; unbiased variance 0.157152 / 3 = 0.052384 → std 0.228876
    /// threshold = 0.279536 + 0.228876 = 0.508412. Only A9 (0.6) passes; its centre (4,4) is inside
    /// the gt (min(3, 3, 5, 3) = 3 > 0.01) → A9 positive, all others negative.
    @Test func meanPlusStdThresholdByHand() {
        let level0 = [Float](arrayLiteral: 2, 6, 10).flatMap { cy in [Float](arrayLiteral: 2, 6, 10).map { cx in box(cx - 2, cy - 2, cx + 2, cy + 2) } }
        let level1 = [Float](arrayLiteral: 4, 12).flatMap { cy in [Float](arrayLiteral: 4, 12).map { cx in box(cx - 4, cy - 4, cx + 4, cy + 4) } }
        let r = ATSSAssigner(topK: 2).assignDetailed(anchors: level0 + level1, levelCounts: [9, 4], gts: [box(1, 1, 9, 7)])
        #expect(r.candidates == [[1, 4, 9, 10]])
        #expect(close(r.iouThresholds[0], 0.508412))
        #expect(r.assignment.gtIndices == [-1, -1, -1, -1, -1, -1, -1, -1, -1, 0, -1, -1, -1])
        #expect(close(r.assignment.overlaps[9], 0.6) && r.assignment.overlaps[0] == 0)
    }

    // Three levels of one anchor each, topK 1, so every anchor is a candidate:
    // A0 (0,0,10,10) centre (5,5); A1 (20,0,30,4) and A2 (20,10,30,20) overlap none of the gts below.
    // For candidate IoUs (v, 0, 0): mean v/3, deviations 2v/3, −v/3, −v/3, variance (6v²/9)/2 = v²/3,
    // std v/√3 → threshold v·(1/3 + 0.577350) = 0.910684·v < v, so A0 always passes the IoU test.
    let anchors = [box(0, 0, 10, 10), box(20, 0, 30, 4), box(20, 10, 30, 20)]

    /// gt (0,0,10,4): IoU(A0) = 40/100 = 0.4 ≥ 0.364274, but A0's centre y 5 lies below the gt's
    /// bottom 4 → not inside → negative. gt (0,0,10,5.5): IoU 0.55, centre 0.5 above the bottom
    /// → positive. gt (0,0,10,5.005): the centre is inside by 0.005, not by more than 0.01 → negative.
    @Test func centerInsideRuleWithMargin() {
        let atss = ATSSAssigner(topK: 1)
        let outside = atss.assignDetailed(anchors: anchors, levelCounts: [1, 1, 1], gts: [box(0, 0, 10, 4)])
        #expect(close(outside.iouThresholds[0], 0.910684 * 0.4))
        #expect(outside.assignment.gtIndices == [-1, -1, -1])
        #expect(atss.assign(anchors: anchors, levelCounts: [1, 1, 1], gts: [box(0, 0, 10, 5.5)]).gtIndices == [0, -1, -1])
        #expect(atss.assign(anchors: anchors, levelCounts: [1, 1, 1], gts: [box(0, 0, 10, 5.005)]).gtIndices == [-1, -1, -1])
    }

    /// A0 positive for G0 (0,0,10,6), IoU 0.6, and G1 (0,0,10,8), IoU 0.8 → the higher IoU, G1.
    /// With a duplicate G2 = G1 the IoUs tie → the lower index, G1.
    @Test func severalGTsTakeHighestIoU() {
        let atss = ATSSAssigner(topK: 1)
        let a = atss.assign(anchors: anchors, levelCounts: [1, 1, 1], gts: [box(0, 0, 10, 6), box(0, 0, 10, 8)])
        #expect(a.gtIndices == [1, -1, -1] && close(a.overlaps[0], 0.8))
        let tie = atss.assign(anchors: anchors, levelCounts: [1, 1, 1], gts: [box(0, 0, 10, 6), box(0, 0, 10, 8), box(0, 0, 10, 8)])
        #expect(tie.gtIndices == [1, -1, -1])
    }

    /// Two candidates (v, w) never pass: the threshold (v + w)/2 + |v − w|/√2 exceeds max(v, w) unless
    /// v = w. One candidate in total gives std NaN (n − 1 = 0) and no positive, as in mmdet.
    @Test func fewCandidates() {
        let atss = ATSSAssigner(topK: 1)
        #expect(atss.assign(anchors: Array(anchors[0...1]), levelCounts: [1, 1], gts: [box(0, 0, 10, 8)]).numPositives == 0)
        let single = atss.assignDetailed(anchors: [anchors[0]], levelCounts: [1], gts: [box(0, 0, 10, 8)])
        #expect(single.iouThresholds[0].isNaN && single.assignment.numPositives == 0)
    }

    /// Ignore regions (IoF threshold 0.5, IoF over the anchor's area). Level 0 = {A0 (0,0,10,10) centre
    /// (5,5), A3 (2,0,12,10) centre (7,5)}, then A1, A2 on their own levels; gt (0,0,10,8), centre (5,4).
    /// Ignore box (−5,0,7,10): IoF(A0) = 7·10/100 = 0.7 > 0.5 → A0 ignored and pushed to distance 1e8;
    /// IoF(A3) = 5·10/100 = 0.5, not > 0.5. So level 0's nearest becomes A3 (√5 instead of A0's 1):
    /// candidates A3, A1, A2 with IoUs (0.551724, 0, 0) — A3: inter 8·8 = 64, union 100 + 80 − 64 = 116 —
    /// and A3 (centre inside) is positive. Without the ignore box A0 (IoU 0.8) would be.
    /// An ignored anchor that is still a candidate (alone on its level) can become positive, as in mmdet.
    @Test func ignoreRegions() {
        let boxes = [anchors[0], box(2, 0, 12, 10), anchors[1], anchors[2]]
        let gt = [box(0, 0, 10, 8)]
        let atss = ATSSAssigner(topK: 1, ignoreIoFThreshold: 0.5)
        let r = atss.assignDetailed(anchors: boxes, levelCounts: [2, 1, 1], gts: gt, ignoredGTs: [box(-5, 0, 7, 10)])
        #expect(r.candidates[0] == [1, 2, 3])
        #expect(r.assignment.gtIndices == [Assignment.ignored, 0, -1, -1])
        #expect(close(r.assignment.overlaps[1], 64.0 / 116))
        #expect(ATSSAssigner(topK: 1).assign(anchors: boxes, levelCounts: [2, 1, 1], gts: gt).gtIndices == [0, -1, -1, -1])
        let alone = atss.assign(anchors: anchors, levelCounts: [1, 1, 1], gts: gt, ignoredGTs: [box(-5, 0, 7, 10)])
        #expect(alone.gtIndices == [0, -1, -1])
    }

    @Test func noGTs() {
        #expect(ATSSAssigner().assign(anchors: anchors, levelCounts: [1, 1, 1], gts: []).gtIndices == [-1, -1, -1])
    }
}
