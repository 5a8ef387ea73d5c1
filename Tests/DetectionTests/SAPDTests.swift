import Foundation
import GradientChecking
import NN
import Testing
@testable import Detection
import Tensor

/// SAPD's effective regions, soft weights, level weights, RoIAlign, IoU loss and losses, by hand.
@Suite("SAPD") struct SAPDTests {
    /// Points at cell centres of a 32-px input: level 0 (stride 8) at 4, 12, 20, 28; level 1
    /// (stride 16) at 8, 24 (indices 16–19, row-major).
    static let points = PointGenerator(strides: [8, 16], offset: 0.5)
        .gridPriors(featureSizes: [FeatureSize(height: 4, width: 4), FeatureSize(height: 2, width: 2)])

    @Test func effectiveRegionIncludesItsEdges() {
        // Centre (20, 20), 80 × 80: the region is [12, 28]², holding level 0's points at 12, 20
        // and 28 on each axis (9 points) and level 1's (24, 24).
        let a = SAPDAssigner().assign(points: Self.points, gts: [box(-20, -20, 60, 60)])
        #expect(a.positiveIndices == [5, 6, 7, 9, 10, 11, 13, 14, 15, 19])
        #expect(a.ignoredIndices.isEmpty)
    }

    @Test func anEmptyRegionTakesThePointNearestTheCentre() {
        // (8, 8)–(16, 24): centre (12, 16), region x ∈ [11.2, 12.8], y ∈ [14.4, 17.6] holds no
        // point; nearest: level 0 column 1 (x 12), row (16 − 4)/8 = 1.5 → 2 (y 20), index 9;
        // level 1 column (12 − 8)/16 → 0, row 0.5 → 1, index 18.
        let a = SAPDAssigner().assign(points: Self.points, gts: [box(8, 8, 16, 24)])
        #expect(a.positiveIndices == [9, 18])
    }

    @Test func theSmallestBoxOwnsASharedPoint() {
        // The whole image (centre (16, 16), region [12.8, 19.2]², empty) falls back to (20, 20)
        // and (24, 24), which the 4 × 4 box around (20, 20) also claims: it owns both.
        let a = SAPDAssigner().assign(points: Self.points, gts: [box(0, 0, 32, 32), box(18, 18, 22, 22)])
        #expect(a.positiveIndices == [10, 19] && a.gtIndices[10] == 1 && a.gtIndices[19] == 1)
    }

    @Test func softWeightIsTheUnrootedCenterness() {
        // l, r, t, b = 3, 7, 4, 6: (3·4)/(7·6); the centre weighs 1; outside the box 0.
        #expect(close(DenseDetector.sapdSoftWeight(Point(x: 3, y: 4), box(0, 0, 10, 10)), 12 / 42))
        #expect(DenseDetector.sapdSoftWeight(Point(x: 5, y: 5), box(0, 0, 10, 10)) == 1)
        #expect(DenseDetector.sapdSoftWeight(Point(x: 11, y: 5), box(0, 0, 10, 10)) == 0)
    }

    @Test func levelWeightsAreOneHotThenTheTopThreeProbabilities() {
        // Logits ln(1, 2, 3, 4, 1): softmax 1/11, 2/11, 3/11, 4/11, 1/11; the top three are
        // levels 3, 2, 1, not renormalised. Equal logits keep the three finest, 0.2 each.
        let z: [Float] = [0, Foundation.log(2), Foundation.log(3), Foundation.log(4), 0] + [Float](repeating: 0, count: 5)
        let hard = DenseDetector.sapdLevelWeights(logits: z, levels: 5, targets: [2, nil], soft: false)
        #expect(hard == [[0, 0, 1, 0, 0], [0, 0, 0, 0, 0]])
        let soft = DenseDetector.sapdLevelWeights(logits: z, levels: 5, targets: [2, nil], soft: true)
        #expect(close(soft[0], [0, 2 / 11, 3 / 11, 4 / 11, 0]) && close(soft[1], [0.2, 0.2, 0.2, 0, 0]))
    }

    @Test func roiAlignReadsBinCentres() {
        // f(x, y) = x + 10y on a 4 × 4 map of stride 8. Box (0, 0, 16, 16) is (−0.5, −0.5) to
        // (1.5, 1.5) in map coordinates: 2 × 2 bins centred on (0, 0), (1, 0), (0, 1), (1, 1).
        // (8, 8, 24, 24) reads (1, 1)…(2, 2). Image 1 has no box; rows follow the images.
        let ramp = (0..<16).map { Float($0 % 4 + 10 * ($0 / 4)) }
        let map = Tensor(shape: [3, 1, 4, 4], data: ramp + ramp + ramp)
        let out = map.roiAlign(boxes: [[box(0, 0, 16, 16), box(8, 8, 24, 24)], [], [box(0, 0, 16, 16)]], stride: 8, size: 2)
        #expect(out.shape == [3, 1, 2, 2])
        #expect(close(out.data, [0, 1, 10, 11, 11, 12, 21, 22, 0, 1, 10, 11]))
    }

    @Test func roiAlignGradients() {
        var rng = RNG(seed: 7)
        let map = Tensor(shape: [2, 3, 4, 4], data: (0..<96).map { _ in rng.uniform() * 4 - 2 })
        let boxes = [[box(1.3, 2.1, 25.7, 19.9), box(5, 7.2, 13.1, 30.6)], [box(0.7, 3.3, 17.9, 22.2)]]
        expectGradientsMatch([map], step: 1e-3) { $0[0].roiAlign(boxes: boxes, stride: 8, size: 3) }
    }

    @Test func iouLossIsMinusLogIoU() {
        // IoU((0, 0, 2, 2), (1, 1, 3, 3)) = 1/7; a perfect box costs 0; weights multiply.
        let pred = Tensor(shape: [2, 4], data: [0, 0, 2, 2, 1, 1, 3, 3])
        let loss = pred.iouLoss(target: [box(1, 1, 3, 3), box(1, 1, 3, 3)], weights: [2, 5])
        #expect(close(loss.item, 2 * Foundation.log(7)))
    }

    @Test func iouLossGradients() {
        let pred = Tensor(shape: [2, 4], data: [0.2, 0.3, 2.1, 2.4, 1.1, 0.6, 3.3, 2.8])
        expectGradientsMatch([pred], step: 1e-3) { $0[0].iouLoss(target: [box(1, 1, 3, 3), box(0.5, 0.9, 2.5, 3.1)], weights: [1, 0.5]) }
    }

    static func detector() -> DenseDetector {
        var rng = RNG(seed: 12)
        var c = DenseDetectorConfig(kind: .sapd, numClasses: 2, backbone: .resnet(.init(depth: 18, widthMultiplier: 0.125, stem: .compact)))
        c.fpnChannels = 16; c.headChannels = 16; c.stackedConvs = 1
        return DenseDetector(c, rng: &rng)
    }

    /// A 16-px input (the compact stem's strides 4–64: levels 4 × 4, 2 × 2, 1 × 1, 1 × 1, 1 × 1,
    /// 23 points), zero class logits, every distance 1/8 (× 4 strides: half a stride), zero
    /// features.
    static func outputs(_ d: DenseDetector) -> DenseDetector.Outputs {
        let sizes = [(4, 4), (2, 2), (1, 1), (1, 1), (1, 1)]
        let priors = d.priors(for: sizes.map { FeatureSize(height: $0.0, width: $0.1) })
        return DenseDetector.Outputs(features: sizes.map { Tensor(filled: 0, shape: [1, 16, $0.0, $0.1]) },
                                     cls: Tensor(filled: 0, shape: [1, 23, 2]), reg: Tensor(filled: 0.125, shape: [1, 23, 4]),
                                     centerness: nil, priors: priors)
    }

    @Test func lossesOfOneSmallBox() throws {
        // gt (9, 9, 11, 11), class 1. Its positives: (10, 10) on level 0 (index 10, soft weight
        // 1, box (8, 8, 12, 12): IoU 1/4) and the fallback points 19–22 of levels 1–4 (all
        // outside the gt: soft weight 0, so background). Level 0 is the only level with a point
        // inside the gt, so the warm-up trains level 0 at weight 1: with p = 0.5 a negative class
        // costs 0.75·0.25·ln 2 and the positive 0.25·0.25·ln 2; 22 background points × 2
        // classes + point 10. The normaliser is max(1, 1) = 1.
        let d = Self.detector(), out = Self.outputs(d)
        let truth = [GroundTruth(boxes: [box(9, 9, 11, 11)], labels: [1])]
        var t = d.targets(for: out.priors, groundTruth: truth, trainingProgress: 0.25)
        #expect(!t.softLevelSelection && t.positives == [10, 19, 20, 21, 22])
        #expect(d.sapdLevelTargets(out, t) == [0])
        let ln2 = Foundation.log(Float(2)), negative = 0.75 * 0.25 * ln2, positive = 0.25 * 0.25 * ln2
        var losses = d.losses(out, t)
        #expect(close(try #require(losses["loss_cls"]).item, 44 * negative + negative + positive, 1e-4))
        #expect(close(try #require(losses["loss_bbox"]).item, Foundation.log(4), 1e-5))
        // Zero features give zero logits: the cross-entropy is ln 5, times λ = 0.1.
        #expect(close(try #require(losses["loss_select"]).item, 0.1 * Foundation.log(5), 1e-6))
        // After the warm-up the softmax weighs level 0 by 0.2 (the top three are the finest
        // levels on a tie): point 10 weighs 0.2 and the normaliser stays 1.
        t = d.targets(for: out.priors, groundTruth: truth, trainingProgress: 0.5)
        #expect(t.softLevelSelection)
        losses = d.losses(out, t)
        #expect(close(try #require(losses["loss_cls"]).item, 44 * negative + 0.2 * (negative + positive), 1e-4))
        #expect(close(try #require(losses["loss_bbox"]).item, 0.2 * Foundation.log(4), 1e-5))
    }

    @Test func theLevelTargetCountsOnlyPointsInsideTheGt() {
        // Zero distances make every predicted box a point (IoU 0: −ln 10⁻⁶ = 13.8), except level
        // 3's fallback point (16, 16), whose distances 7/(4·32) left and up give (9, 9, 16, 16):
        // IoU 4/49, −ln 2.5. Its mean loss is the smallest (equal focal terms), but (16, 16)
        // lies outside the gt (9, 9, 11, 11), so level 0, whose (10, 10) is inside, is the target.
        let d = Self.detector(), base = Self.outputs(d)
        var reg = [Float](repeating: 0, count: 23 * 4)
        reg[21 * 4] = 7 / 128; reg[21 * 4 + 1] = 7 / 128
        let out = DenseDetector.Outputs(features: base.features, cls: base.cls, reg: Tensor(shape: [1, 23, 4], data: reg),
                                        centerness: nil, priors: base.priors)
        let t = d.targets(for: out.priors, groundTruth: [GroundTruth(boxes: [box(9, 9, 11, 11)], labels: [1])])
        #expect(t.positives.contains(21))
        #expect(d.sapdLevelTargets(out, t) == [0])
    }

    @Test func aBoxWithoutPointsHasNoLevelTarget() {
        // The whole image loses every fallback point to the small box it contains: no target,
        // so it adds nothing to the selection network's cross-entropy.
        let d = Self.detector(), out = Self.outputs(d)
        let t = d.targets(for: out.priors, groundTruth: [GroundTruth(boxes: [box(0, 0, 16, 16), box(9, 9, 11, 11)], labels: [0, 1])])
        #expect(t.assignments[0].gtIndices.allSatisfy { $0 != 0 })
        #expect(d.sapdLevelTargets(out, t) == [nil, 0])
    }
}
