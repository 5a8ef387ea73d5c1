@testable import Detection
import Testing
@testable import Distillation

@Suite("LD: valuable localization region") struct LDRegionTests {
    // Anchors against gt1 = [0,0,10,10] and gt2 = [0,0,10,4], (IoU, DIoU) worked by hand
    // (DIoU = IoU − centre distance² / enclosing diagonal²):
    //   a0 [0,0,10,10]   gt1 (1, 1)              gt2 (0.4, 0.4 − 9/200 = 0.355)
    //   a1 [0,0,10,5]    gt1 (0.5, 0.5 − 6.25/200 = 0.46875)   gt2 (0.8, 0.8 − 0.25/125 = 0.798)
    //   a2 [5,5,15,15]   gt1 (25/175 = 0.142857, 0.142857 − 50/450 = 0.031746)   gt2 (0, < 0)
    //   a3 [2,0,12,10]   gt1 (80/120, 0.666667 − 4/244 = 0.650273)   gt2 (32/108 = 0.296296, 0.296296 − 13/244 = 0.243018)
    //   a4 [0,0,10,2.5]  gt1 (0.25, 0.25 − 14.0625/200 = 0.179688)  gt2 (0.625, 0.625 − 0.5625/116 = 0.620151)
    let anchors = [Box(x1: 0, y1: 0, x2: 10, y2: 10), Box(x1: 0, y1: 0, x2: 10, y2: 5), Box(x1: 5, y1: 5, x2: 15, y2: 15),
                   Box(x1: 2, y1: 0, x2: 12, y2: 10), Box(x1: 0, y1: 0, x2: 10, y2: 2.5)]
    let gt1 = Box(x1: 0, y1: 0, x2: 10, y2: 10), gt2 = Box(x1: 0, y1: 0, x2: 10, y2: 4)

    func pairs(_ r: [(prior: Int, weight: Float)]) -> [Int: Float] { Dictionary(uniqueKeysWithValues: r.map { ($0.prior, $0.weight) }) }

    func near(_ a: [Int: Float], _ b: [Int: Float]) -> Bool {
        a.keys.sorted() == b.keys.sorted() && a.allSatisfy { Swift.abs($0.value - b[$0.key]!) < 1e-4 }
    }

    /// thr 0.5, γ 0.25: band [0.125, 0.5) holds a1 (0.46875) and a4 (0.179688), weighted by IoU.
    @Test func bandAndIoUWeights() {
        let vlr = ValuableLocalizationRegion(gamma: 0.25)
        #expect(near(pairs(vlr.select(anchors: anchors, gts: [gt1], thresholds: [0.5])), [1: 0.5, 4: 0.25]))
        // The paper's indicator.
        let indicator = ValuableLocalizationRegion(gamma: 0.25, weighting: .indicator)
        #expect(near(pairs(indicator.select(anchors: anchors, gts: [gt1], thresholds: [0.5])), [1: 1, 4: 1]))
        // γ = 0: [0, 0.5) adds a2 (0.031746); γ = 1: empty (Table 1c's "VLR shrinks to empty").
        #expect(near(pairs(ValuableLocalizationRegion(gamma: 0).select(anchors: anchors, gts: [gt1], thresholds: [0.5])),
                     [1: 0.5, 2: 0.142857, 4: 0.25]))
        #expect(ValuableLocalizationRegion(gamma: 1).select(anchors: anchors, gts: [gt1], thresholds: [0.5]).isEmpty)
        // A single ATSS candidate gives a NaN threshold: nothing.
        #expect(vlr.select(anchors: anchors, gts: [gt1], thresholds: [.nan]).isEmpty)
    }

    /// thr 1: the code's band is open above (a0's DIoU 1 is out), the paper's closed.
    @Test func upperBound() {
        let open = ValuableLocalizationRegion(gamma: 0.25), closed = ValuableLocalizationRegion(gamma: 0.25, includesUpperBound: true)
        #expect(Set(open.select(anchors: anchors, gts: [gt1], thresholds: [1]).map(\.prior)) == [1, 3])
        #expect(Set(closed.select(anchors: anchors, gts: [gt1], thresholds: [1]).map(\.prior)) == [0, 1, 3])
    }

    /// Two gts, thresholds 0.5 and 0.9 (gt2's band [0.225, 0.9)): a prior in several bands takes
    /// the highest IoU among its band gts.
    @Test func bestBandGT() {
        let r = ValuableLocalizationRegion(gamma: 0.25).select(anchors: anchors, gts: [gt1, gt2], thresholds: [0.5, 0.9])
        #expect(near(pairs(r), [0: 0.4, 1: 0.8, 3: 0.296296, 4: 0.625]))
    }

    /// Batch level: flat indices b·P + i; stored ATSS thresholds are used, else ATSS runs on the
    /// anchors; `excludesPositives` drops the positives.
    @Test func batchSelection() {
        let priors = LDFixture.priors([(2, 2)], strides: [8])
        let gt = Box(x1: 0, y1: 0, x2: 12, y2: 8)
        let truth = [GroundTruth(boxes: [gt], labels: [0]), GroundTruth(boxes: [gt], labels: [0])]
        // Image 0 stores thr 0.5: only anchor 1 (DIoU 0.1375, IoU 0.25; see LDLossTests).
        // Image 1 stores none: ATSS on the 4 anchors gives its own threshold.
        var targets = LDFixture.targets(priors, truth: truth, positives: [0, 5], gtOf: [0, 0])
        targets.atssThresholds = [[0.5], []]
        let atss = ATSSAssigner().assignDetailed(anchors: priors.anchors, levelCounts: [4], gts: [gt]).iouThresholds
        let vlr = ValuableLocalizationRegion(gamma: 0.25)
        let second = vlr.select(anchors: priors.anchors, gts: [gt], thresholds: atss)
        let got = vlr.select(priors: priors, truth: truth, targets: targets)
        #expect(got.indices == [1] + second.map { 4 + $0.prior } && got.weights == [0.25] + second.map(\.weight))
        #expect(!second.isEmpty)
        let excluding = ValuableLocalizationRegion(gamma: 0.25, excludesPositives: true)
        let kept = excluding.select(priors: priors, truth: truth, targets: targets).indices
        #expect(kept == got.indices.filter { $0 != 0 && $0 != 5 })
    }
}
