import Foundation
import GradientChecking
import NN
import Testing
@testable import Detection
import Tensor

/// RetinaNet, FCOS and ATSS with `boxHead: .distribution` (LD's "GFL-ified" heads): n = 2, so
/// each side is 3 bin logits and its distance the expected bin, in strides.
@Suite("GFL-ified box heads") struct DistributionBoxHeadTests {
    static let kinds: [DenseDetectorKind] = [.retinanet, .fcos, .atss]

    static func detector(_ kind: DenseDetectorKind, head: DenseBoxHead = .distribution, regMax: Int = 2) -> DenseDetector {
        var c = DenseDetectorConfig(kind: kind, numClasses: 2, backbone: .resnet(.init(depth: 18, widthMultiplier: 0.125, stem: .compact)))
        c.fpnChannels = 16; c.headChannels = 16; c.stackedConvs = 1; c.regMax = regMax; c.boxHead = head
        c.fcosRangeScale = 0.08
        var rng = RNG(seed: 3)
        return DenseDetector(c, rng: &rng)
    }

    /// P3 of 3×3 locations, P4–P7 of one each.
    static let sizes = [FeatureSize(height: 3, width: 3)] + Array(repeating: FeatureSize(height: 1, width: 1), count: 4)

    /// The prior at P3 location (x 2, y 2), location 8: RetinaNet's anchor 4 there (ratio 1,
    /// scale 2^(1/3)), the others' only prior. Its centre: anchors sit on the corner (2s, 2s),
    /// FCOS points at the cell centre (2.5 s, 2.5 s).
    static func probe(_ kind: DenseDetectorKind, stride s: Float) -> (index: Int, center: Point) {
        kind == .retinanet ? (8 * 9 + 4, Point(x: 2 * s, y: 2 * s))
            : (8, kind == .fcos ? Point(x: 2.5 * s, y: 2.5 * s) : Point(x: 2 * s, y: 2 * s))
    }

    @Test func defaultIsNativeAndChannelsFollowTheHead() {
        let plain = DenseDetectorConfig(kind: .retinanet, numClasses: 2, backbone: .resnet(.init(depth: 18)))
        #expect(plain.boxHead == .native && !plain.predictsDistributions && plain.regressionChannels == 4)
        for kind in Self.kinds {
            var c = plain
            c.kind = kind; c.regMax = 7; c.boxHead = .distribution
            #expect(c.predictsDistributions && c.regressionChannels == 32, "\(kind)")
        }
        var gfl = plain
        gfl.kind = .gfl; gfl.regMax = 7
        #expect(gfl.predictsDistributions && gfl.regressionChannels == 32)   // with either setting
        // The head's output: RetinaNet's 9 anchors per location each get 4·(n + 1) logits.
        let d = Self.detector(.retinanet)
        let out = GradMode.withoutGrad { d(Tensor(zeros: [1, 3, 32, 32])) }
        #expect(out.reg.shape == [1, out.priors.layout.count, 12] && out.priors.layout.levels.allSatisfy { $0.priorsPerLocation == 9 })
        #expect(d.head.regOut.weight.shape[0] == 9 * 12)
    }

    /// Side logits (l, t, r, b) = (0,0,0), (0,0,ln 2), (ln 2,0,0), (ln 3,0,0): softmaxes
    /// (⅓,⅓,⅓), (¼,¼,½), (½,¼,¼), (⅗,⅕,⅕) → expected bins 1, 1.25, 0.75, 0.6. The box is the
    /// prior's centre ± those × stride, in training (differentiable) and inference decoding.
    @Test(arguments: kinds) func decodesKnownLogits(_ kind: DenseDetectorKind) {
        let d = Self.detector(kind)
        let priors = d.priors(for: Self.sizes)
        let s = Float(d.strides[0])
        let (i, c) = Self.probe(kind, stride: s)
        #expect(close(priors.centers[i].x, c.x) && close(priors.centers[i].y, c.y))
        let ln2 = Float(Foundation.log(2.0)), ln3 = Float(Foundation.log(3.0))
        let logits: [Float] = [0, 0, 0, 0, 0, ln2, ln2, 0, 0, ln3, 0, 0]
        let want = box(c.x - 1 * s, c.y - 1.25 * s, c.x + 0.75 * s, c.y + 0.6 * s)
        let trained = d.decodePositiveBoxes(Tensor(shape: [1, 12], data: logits), local: [i], priors: priors)
        #expect(close(box(trained.data[0], trained.data[1], trained.data[2], trained.data[3]), want))
        var reg = [Float](repeating: 0, count: priors.layout.count * 12)
        reg.replaceSubrange((12 * i)..<(12 * i + 12), with: logits)
        let inferred = d.decodeBox(reg: reg, prior: i, priors: priors, maxShape: ImageSize(width: 1000, height: 1000))
        #expect(close(inferred, want))
    }

    /// One positive whose logits are all 0 (every side decodes to 1 stride) and a gt of half-side
    /// 2 strides on the same centre: IoU = (2s)²/(4s)² = ¼, the gt encloses the box, GIoU = ¼,
    /// loss 0.75. RetinaNet: ×2 / N_pos = 1.5. ATSS: ×2, centerness target 1 / Σ 1 = 1.5.
    /// FCOS: ×1 = 0.75. Centerness BCE(0, 1) = ln 2. No DFL (the official heads have none). A gt
    /// equal to the decoded box gives 0; no positive gives a zero box loss.
    @Test(arguments: kinds) func lossesOnAHandMadeCase(_ kind: DenseDetectorKind) {
        let d = Self.detector(kind)
        let priors = d.priors(for: Self.sizes)
        let p = priors.layout.count, s = Float(d.strides[0])
        let (i, c) = Self.probe(kind, stride: s)
        func losses(gt: Box?) -> [String: Float] {
            let out = DenseDetector.Outputs(features: [], cls: Tensor(zeros: [1, p, 2]), reg: Tensor(zeros: [1, p, 12]),
                                            centerness: kind == .retinanet ? nil : Tensor(zeros: [1, p, 1]), priors: priors)
            var classIndex = [Int](repeating: -1, count: p)
            if gt != nil { classIndex[i] = 1 }
            let t = DenseTargets(classIndex: classIndex, classWeight: [Float](repeating: 1, count: p),
                                 positives: gt == nil ? [] : [i], positiveBoxes: gt.map { [$0] } ?? [],
                                 assignments: [], atssThresholds: [])
            return d.losses(out, t).mapValues(\.item)
        }
        let keys: Set<String> = kind == .retinanet ? ["loss_cls", "loss_bbox"] : ["loss_cls", "loss_bbox", "loss_centerness"]
        let far = losses(gt: box(c.x - 2 * s, c.y - 2 * s, c.x + 2 * s, c.y + 2 * s))
        #expect(Set(far.keys) == keys && far.values.allSatisfy(\.isFinite))
        #expect(close(far["loss_bbox"]!, kind == .fcos ? 0.75 : 1.5, 1e-4), "\(far)")
        if kind != .retinanet { #expect(close(far["loss_centerness"]!, Float(Foundation.log(2.0)), 1e-5)) }
        let exact = losses(gt: box(c.x - s, c.y - s, c.x + s, c.y + s))
        #expect(close(exact["loss_bbox"]!, 0, 1e-4))
        let none = losses(gt: nil)
        #expect(Set(none.keys) == keys && none["loss_bbox"] == 0 && none.values.allSatisfy(\.isFinite), "\(none)")
    }

    /// The box loss's gradient reaches the bin logits (integral, then GIoU) correctly.
    @Test func boxLossGradient() {
        let d = Self.detector(.retinanet)
        let priors = d.priors(for: Self.sizes)
        let p = priors.layout.count, s = Float(d.strides[0])
        let (i, c) = Self.probe(.retinanet, stride: s)
        let reg = randomInput([1, p, 12], seed: 11, low: -1, high: 1)
        var classIndex = [Int](repeating: -1, count: p)
        classIndex[i] = 0
        let t = DenseTargets(classIndex: classIndex, classWeight: [Float](repeating: 1, count: p), positives: [i],
                             positiveBoxes: [box(c.x - 1.7 * s, c.y - 0.4 * s, c.x + 0.9 * s, c.y + 1.3 * s)],
                             assignments: [], atssThresholds: [])
        expectGradientsMatch([reg], step: 1e-2) { x in
            let out = DenseDetector.Outputs(features: [], cls: Tensor(zeros: [1, p, 2]), reg: x[0], centerness: nil, priors: priors)
            return d.losses(out, t)["loss_bbox"]!
        }
    }

    /// Each GFL-ified detector learns DenseDetectorTests' toy problem, and its decoded top box
    /// finds the square: training and inference read the distributions the same way.
    @Test(arguments: kinds) func learnsTheToyProblem(_ kind: DenseDetectorKind) throws {
        let detector = Self.detector(kind, regMax: 8)
        let optimizer = AdamW(detector.parameters, learningRate: 3e-3, weightDecay: 0)
        let samples = (0..<4).map { DenseDetectorTests.toyImage(seed: UInt64(10 + $0)) }
        let images = Tensor.concat(samples.map(\.0), axis: 0), truth = samples.map(\.1)
        for _ in 0..<80 {
            let out = detector(images)
            let terms = detector.losses(out, detector.targets(for: out.priors, groundTruth: truth, predictions: out))
            let loss = terms.values.dropFirst().reduce(terms.values.first!, +)
            optimizer.zeroGrad()
            loss.backward()
            optimizer.step()
        }
        detector.train(false)
        let out = GradMode.withoutGrad { detector(images) }
        let dets = detector.detect(out, imageSizes: Array(repeating: ImageSize(width: 64, height: 64), count: 4))
        for (d, gt) in zip(dets, truth) {
            let best = try #require(d.scores.indices.max { d.scores[$0] < d.scores[$1] }, "\(kind): no detection")
            #expect(d.boxes[best].iou(gt.boxes[0]) > 0.5, "\(kind): top box \(d.boxes[best]) vs \(gt.boxes[0])")
        }
    }
}
