import Foundation
import GradientChecking
import NN
import Testing
@testable import Detection
import Tensor

/// BorderDet's BorderAlign, border targets and border offsets, by hand, with finite differences.
@Suite("BorderDet") struct BorderDetTests {
    /// A 2 × 2 map with f(x, y) = x + 10y in each of the four border groups.
    static var ramp: Tensor { Tensor(shape: [1, 4, 2, 2], data: (0..<4).flatMap { _ in [0, 1, 10, 11] }) }

    @Test func borderAlignMaxPoolsEachBorder() {
        // Box (0, 0)–(0.5, 1): top samples x ∈ [0, 0.5] at y = 0 (max 0.5); left x = 0,
        // y ∈ [0, 1] (max 10); bottom from (0.5, 1) leftwards (10 + x: max 10.5); right from
        // (0.5, 1) up (0.5 + 10y: max 10.5). A point box at the origin reads 0 everywhere.
        let boxes = [box(0, 0, 0.5, 1), box(0, 0, 0.5, 1), box(0, 0, 0.5, 1), box(0, 0, 0, 0)]
        let out = Self.ramp.borderAlign(boxes: boxes)
        #expect(out.shape == [1, 4, 2, 2])
        #expect(close(out.data, [0.5, 0.5, 0.5, 0, 10, 10, 10, 0, 10.5, 10.5, 10.5, 0, 10.5, 10.5, 10.5, 0]), "\(out.data)")
    }

    @Test func borderAlignGradients() {
        var rng = RNG(seed: 4)
        let map = Tensor(shape: [2, 8, 3, 3], data: (0..<144).map { _ in rng.uniform() * 4 - 2 })
        let boxes = (0..<18).map { i in box(0.13 * Float(i % 3), 0.27, 1.21 + 0.1 * Float(i % 2), 1.93) }
        expectGradientsMatch([map], step: 1e-3) { $0[0].borderAlign(boxes: boxes) }
    }

    static func detector() -> DenseDetector {
        var rng = RNG(seed: 12)
        var c = DenseDetectorConfig(kind: .borderdet, numClasses: 2, backbone: .resnet(.init(depth: 18, widthMultiplier: 0.125, stem: .compact)))
        c.fpnChannels = 16; c.headChannels = 16; c.stackedConvs = 1
        return DenseDetector(c, rng: &rng)
    }

    @Test func borderTargetsFollowCoarseBoxIoU() {
        // Every point predicts one stride on each side, so the coarse box of point q at (x, y)
        // (stride s) is (x − s, y − s, x + s, y + s). A gt reaching 0.5 s further right overlaps
        // it with IoU 4/5 ≥ 0.6 (positive, class 1, offsets (0, 0, 0.5 s / s, 0) = (0, 0, 0.5, 0));
        // the next point's box overlaps that gt by 2.5/5.5 < 0.6 (negative).
        let d = Self.detector()
        let priors = d.priors(for: [(4, 4), (2, 2), (1, 1), (1, 1), (1, 1)].map { FeatureSize(height: $0.0, width: $0.1) })
        let p = priors.layout.count, q = 5   // level 0, row 1, column 1
        let c = priors.centers[q], s = priors.strides[q]
        let out = DenseDetector.Outputs(features: [], cls: Tensor(filled: 0, shape: [1, p, 2]), reg: Tensor(filled: 1, shape: [1, p, 4]),
                                        centerness: Tensor(filled: 0, shape: [1, p, 1]), priors: priors)
        let gt = box(c.x - s, c.y - s, c.x + 1.5 * s, c.y + s)
        #expect(d.pointBoxes(out, image: 0)[q] == box(c.x - s, c.y - s, c.x + s, c.y + s))
        let t = d.borderTargets(out, groundTruth: [GroundTruth(boxes: [gt], labels: [1])])
        #expect(t.positives == [q] && t.classIndex[q] == 1 && t.classIndex[q + 1] == -1)
        #expect(close(t.offsets, [0, 0, 0.5, 0]))
    }

    @Test func detectionsRefineTheCoarseBoxByTheBorderOffsets() {
        // One confident point of class 0 whose border offsets move its coarse box's right side
        // by 0.5 · (w/2): (x − s, y − s, x + s, y + s) becomes (x − s, y − s, x + 1.5s, y + s);
        // its score is √(√(σ(4)·σ(4))·σ(2)) = √(σ(4)·σ(2)).
        let d = Self.detector()
        let priors = d.priors(for: [(4, 4), (2, 2), (1, 1), (1, 1), (1, 1)].map { FeatureSize(height: $0.0, width: $0.1) })
        let p = priors.layout.count, q = 5
        var cls = [Float](repeating: -9, count: 2 * p), ctr = [Float](repeating: -9, count: p)
        var borderCls = [Float](repeating: -9, count: 2 * p), borderReg = [Float](repeating: 0, count: 4 * p)
        cls[2 * q] = 4; ctr[q] = 4; borderCls[2 * q] = 2; borderReg[4 * q + 2] = 0.5
        var out = DenseDetector.Outputs(features: [], cls: Tensor(shape: [1, p, 2], data: cls), reg: Tensor(filled: 1, shape: [1, p, 4]),
                                        centerness: Tensor(shape: [1, p, 1], data: ctr), priors: priors)
        out.borderCls = Tensor(shape: [1, p, 2], data: borderCls)
        out.borderReg = Tensor(shape: [1, p, 4], data: borderReg)
        let dets = d.detect(out, imageSizes: [ImageSize(width: 1000, height: 1000)])[0]
        let c = priors.centers[q], s = priors.strides[q]
        func sigmoid(_ x: Float) -> Float { 1 / (1 + Foundation.exp(-x)) }
        #expect(dets.scores.count == 1 && dets.labels == [0] && dets.priorIndices == [q])
        #expect(close(dets.scores[0], (sigmoid(4) * sigmoid(2)).squareRoot()))
        #expect(close(dets.boxes[0], box(Swift.max(c.x - s, 0), Swift.max(c.y - s, 0), c.x + 1.5 * s, c.y + s)))
    }

    @Test func borderLossesWithoutPositivesAreFinite() {
        // Early in training coarse boxes are tiny and nothing reaches IoU 0.6: the border class
        // loss is all background (divided by 1), the offset loss 0.
        let d = Self.detector()
        let priors = d.priors(for: [(4, 4), (2, 2), (1, 1), (1, 1), (1, 1)].map { FeatureSize(height: $0.0, width: $0.1) })
        let p = priors.layout.count
        var out = DenseDetector.Outputs(features: [], cls: Tensor(filled: 0, shape: [1, p, 2]), reg: Tensor(filled: 0.01, shape: [1, p, 4]),
                                        centerness: Tensor(filled: 0, shape: [1, p, 1]), priors: priors)
        out.borderCls = Tensor(filled: 0, shape: [1, p, 2]); out.borderReg = Tensor(filled: 0.3, shape: [1, p, 4])
        let l = d.borderLosses(out, groundTruth: [GroundTruth(boxes: [box(2, 2, 30, 30)], labels: [0])])
        // Every (point, class) is background at logit 0: 0.75 · ln 2 · 0.25 each.
        #expect(close(l["loss_border_cls"]!.item, Float(2 * p) * 0.75 * Float(M_LN2) * 0.25, 1e-3))
        #expect(l["loss_border_reg"]!.item == 0)
    }
}
