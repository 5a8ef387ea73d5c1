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

    @Test func everyCellOverlappingTheRegionCounts() {
        // Centre (20, 20), 80 × 80: the region is [12, 28]², which level 0's cells [8, 16],
        // [16, 24] and [24, 32] overlap on each axis (9 points; [0, 8] only touches nothing) and
        // both of level 1's cells do: 13 positives, all inside the box.
        let a = SAPDAssigner().assign(points: Self.points, gts: [box(-20, -20, 60, 60)])
        #expect(a.positiveIndices == [5, 6, 7, 9, 10, 11, 13, 14, 15, 16, 17, 18, 19])
        #expect(a.ignoredIndices.isEmpty)
    }

    @Test func aPointMustLieInsideItsBox() {
        // (8, 8)–(16, 24): region x ∈ [11.2, 12.8], y ∈ [14.4, 17.6]. Level 0: column [8, 16]
        // and rows [8, 16], [16, 24] overlap it: (12, 12) and (12, 20), inside. Level 1: cell
        // [0, 16]² overlaps it, but its point (8, 8) lies on the box's edge, not inside.
        let a = SAPDAssigner().assign(points: Self.points, gts: [box(8, 8, 16, 24)])
        #expect(a.positiveIndices == [5, 9])
    }

    @Test func theSmallestBoxOwnsASharedPoint() {
        // The whole image (region [12.8, 19.2]²) takes level 0's (12|20, 12|20) and all of level
        // 1; the 4 × 4 box around (20, 20) takes (20, 20) from it, and level 1's (24, 24) lies
        // outside the small box, so the large one keeps it.
        let a = SAPDAssigner().assign(points: Self.points, gts: [box(0, 0, 32, 32), box(18, 18, 22, 22)])
        #expect(a.positiveIndices == [5, 6, 9, 10, 16, 17, 18, 19])
        #expect(a.gtIndices[10] == 1 && [5, 6, 9, 16, 17, 18, 19].allSatisfy { a.gtIndices[$0] == 0 })
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
        // f(x, y) = x + 10y (channel 0) and 100 + f (channel 1) on a 4 × 4 map of stride 8: bilinear
        // sampling reads a linear ramp exactly. Box (2, 2, 18, 18) is (−0.25, −0.25) to (1.75,
        // 1.75) in map coordinates: bins centred on 0.25 and 1.25. (8, 8, 24, 24): 1 and 2.
        // (−4, −4, 12, 12): −0.5 (within a cell of the map: clamped onto its edge, 0) and 0.5.
        // Image 1 has no box; rows follow the images.
        let ramp = (0..<16).map { Float($0 % 4 + 10 * ($0 / 4)) }
        let image = ramp + ramp.map { $0 + 100 }
        let map = Tensor(shape: [3, 2, 4, 4], data: image + image + image)
        let out = map.roiAlign(boxes: [[box(2, 2, 18, 18), box(8, 8, 24, 24)], [], [box(-4, -4, 12, 12)]], stride: 8, size: 2)
        #expect(out.shape == [3, 2, 2, 2])
        let first: [Float] = [2.75, 3.75, 12.75, 13.75], second: [Float] = [11, 12, 21, 22], third: [Float] = [0, 0.5, 5, 5.5]
        let expected = [first, second, third].flatMap { $0 + $0.map { $0 + 100 } }
        #expect(close(out.data, expected, 1e-4), "\(out.data)")
    }

    @Test func roiAlignReadsZeroFarOutside() {
        // A box entirely beyond one cell past the map's edge: every sample reads zero.
        let map = Tensor(filled: 1, shape: [1, 1, 2, 2])
        #expect(map.roiAlign(boxes: [[box(40, 40, 56, 56)]], stride: 8, size: 2).data == [0, 0, 0, 0])
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
        // gt (9, 9, 11, 11), class 1. Its one positive: (10, 10) on level 0 (index 10, soft weight
        // 1, box (8, 8, 12, 12): IoU 1/4); the other levels' cells overlapping its region have
        // their points outside it. The warm-up trains level 0 at weight 1: with p = 0.5 a
        // negative class costs 0.75·0.25·ln 2 and the positive 0.25·0.25·ln 2; 22 background
        // points × 2 classes + point 10. The normaliser is max(1, 1) = 1.
        let d = Self.detector(), out = Self.outputs(d)
        let truth = [GroundTruth(boxes: [box(9, 9, 11, 11)], labels: [1])]
        var t = d.targets(for: out.priors, groundTruth: truth, trainingProgress: 0.25)
        #expect(!t.softLevelSelection && t.positives == [10])
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

    /// Regression rows for gt (0, 0, 16, 16) on the 16-px input: level 0 predicts points (IoU 0,
    /// −ln 10⁻⁶ = 13.8), level 1's four points (4|12, 4|12) the gt exactly, level 2's (8, 8)
    /// the box (−2, −2, 18, 18), IoU 0.64.
    static let wholeImageRegression: [Float] = {
        var reg = [Float](repeating: 0, count: 23 * 4)
        for (j, c) in [(4, 4), (12, 4), (4, 12), (12, 12)].enumerated() {
            let (x, y) = (Float(c.0), Float(c.1))
            for (side, d) in [x, y, 16 - x, 16 - y].enumerated() { reg[(16 + j) * 4 + side] = d / 32 }
        }
        for side in 0..<4 { reg[20 * 4 + side] = 10 / 64 }
        return reg
    }()

    @Test func theLevelTargetIsTheSmallestMeanLoss() {
        // Per point, focal (both classes, p = 0.5) f₀ = 0.1733 plus −ln IoU: level 0 averages
        // f₀ + 13.8, level 1 f₀ (sum 4f₀ = 0.69), level 2 f₀ + 0.446 = 0.62. The mean picks level
        // 1; a sum would pick level 2.
        let d = Self.detector(), base = Self.outputs(d)
        let out = DenseDetector.Outputs(features: base.features, cls: base.cls, reg: Tensor(shape: [1, 23, 4], data: Self.wholeImageRegression),
                                        centerness: nil, priors: base.priors)
        let t = d.targets(for: out.priors, groundTruth: [GroundTruth(boxes: [box(0, 0, 16, 16)], labels: [1])])
        #expect(t.positives == [5, 6, 9, 10, 16, 17, 18, 19, 20])
        #expect(d.sapdLevelTargets(out, t) == [1])
    }

    @Test func lossesOfTwoImagesInEitherOrder() throws {
        // Image A: gt (9, 9, 11, 11) as in `lossesOfOneSmallBox` (level 0, weight 1, IoU 1/4).
        // Image B: gt (0, 0, 16, 16) with `wholeImageRegression` (level 1: four points of soft
        // weight (4·4)/(12·12) = 1/9, exact boxes; its level 0 and 2 positives are background).
        // Normaliser 1 + 4/9 = 13/9; background rows 22 (A) + 19 (B), 2 classes each.
        let d = Self.detector(), base = Self.outputs(d)
        let a = (truth: GroundTruth(boxes: [box(9, 9, 11, 11)], labels: [1]), reg: [Float](repeating: 0.125, count: 23 * 4))
        let b = (truth: GroundTruth(boxes: [box(0, 0, 16, 16)], labels: [1]), reg: Self.wholeImageRegression)
        func losses(_ images: [(truth: GroundTruth, reg: [Float])]) -> [String: Float] {
            let out = DenseDetector.Outputs(features: base.features.map { Tensor(filled: 0, shape: [2] + $0.shape.dropFirst()) },
                                            cls: Tensor(filled: 0, shape: [2, 23, 2]),
                                            reg: Tensor(shape: [2, 23, 4], data: images.flatMap(\.reg)), centerness: nil, priors: base.priors)
            let t = d.targets(for: out.priors, groundTruth: images.map(\.truth), trainingProgress: 0)
            return d.losses(out, t).mapValues(\.item)
        }
        let ln2 = Foundation.log(Float(2)), negative = 0.75 * 0.25 * ln2, positive = 0.25 * 0.25 * ln2
        let ab = losses([a, b]), ba = losses([b, a])
        #expect(close(try #require(ab["loss_cls"]), 82 * negative * 9 / 13 + negative + positive, 1e-4))
        #expect(close(try #require(ab["loss_bbox"]), Foundation.log(4) * 9 / 13, 1e-5))
        #expect(close(try #require(ab["loss_select"]), 0.1 * Foundation.log(5), 1e-6))
        for key in ["loss_cls", "loss_bbox", "loss_select"] { #expect(close(try #require(ba[key]), try #require(ab[key]), 1e-5), "\(key)") }
    }

    @Test func detectionLossesLeaveTheSelectionNetworkUntouched() throws {
        // After the warm-up the level weights come from the selection network but are detached,
        // and the level targets come from detached predictions: the focal and IoU losses send
        // no gradient into the network, and its cross-entropy none into the head's outputs.
        // (cls and reg are leaves here, not computed from `features`, so the features' only
        // gradient path is the network.)
        let d = Self.detector(), base = Self.outputs(d)
        var rng = RNG(seed: 3)
        let features = base.features.map { f in Tensor(shape: f.shape, data: (0..<f.count).map { _ in rng.uniform() * 2 - 1 }) }
        let cls = Tensor(filled: 0, shape: [1, 23, 2]), reg = Tensor(shape: [1, 23, 4], data: Self.wholeImageRegression)
        for x in features + [cls, reg] { x.requiresGrad = true }
        let out = DenseDetector.Outputs(features: features, cls: cls, reg: reg, centerness: nil, priors: base.priors)
        let t = d.targets(for: out.priors, groundTruth: [GroundTruth(boxes: [box(0, 0, 16, 16)], labels: [1])], trainingProgress: 0.75)
        #expect(t.softLevelSelection)
        let network = try #require(d.levelSelection)
        func gradientNorm(_ tensors: [Tensor]) -> Float { tensors.reduce(0) { $0 + ($1.grad ?? []).reduce(0) { $0 + $1 * $1 } } }

        var losses = d.losses(out, t)
        (try #require(losses["loss_cls"]) + (try #require(losses["loss_bbox"]))).backward()
        #expect(gradientNorm([cls, reg]) > 0)
        #expect(gradientNorm(network.parameters) == 0 && gradientNorm(features) == 0)

        for x in network.parameters + features + [cls, reg] { x.grad = nil }
        losses = d.losses(out, t)
        try #require(losses["loss_select"]).backward()
        #expect(gradientNorm(network.parameters) > 0 && gradientNorm(features) > 0)
        #expect(gradientNorm([cls, reg]) == 0)
    }

    @Test func aBoxWithoutPointsHasNoLevelTarget() {
        // (1, 1, 1.5, 1.5) is smaller than every cell and no point lies inside it: no positive,
        // no level target, nothing added to the selection network's cross-entropy.
        let d = Self.detector(), out = Self.outputs(d)
        let t = d.targets(for: out.priors, groundTruth: [GroundTruth(boxes: [box(9, 9, 11, 11), box(1, 1, 1.5, 1.5)], labels: [1, 0])])
        #expect(t.positives == [10])
        #expect(d.sapdLevelTargets(out, t) == [0, nil])
    }
}
