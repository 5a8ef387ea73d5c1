import Foundation
import NN
import Testing
@testable import Detection
import Tensor

/// Rotated RetinaNet and GWD, with their own and with distribution heads, must learn to find
/// one bright bar at a random angle.
@Suite("Rotated detectors") struct RotatedDetectorTests {
    static func toyImage(seed: UInt64) -> (Tensor, GroundTruth) {
        var rng = RNG(seed: seed)
        let size = 64
        var pixels = (0..<(3 * size * size)).map { _ in 0.1 * rng.uniform() }
        let box = RotatedBox(centerX: 24 + 16 * rng.uniform(), centerY: 24 + 16 * rng.uniform(), width: 30 + 6 * rng.uniform(),
                             height: 9 + 4 * rng.uniform(), angle: (rng.uniform() * 2 - 1) * 1.4)
        let c = Foundation.cos(box.angle), s = Foundation.sin(box.angle)
        for y in 0..<size { for x in 0..<size {
            let dx = Float(x) + 0.5 - box.centerX, dy = Float(y) + 0.5 - box.centerY
            let u = c * dx + s * dy, v = -s * dx + c * dy
            guard Swift.abs(u) <= box.width / 2 && Swift.abs(v) <= box.height / 2 else { continue }
            for ch in 0..<3 { pixels[(ch * size + y) * size + x] = ch == 0 ? 0.9 : 0.4 }
        } }
        return (Tensor(shape: [1, 3, size, size], data: pixels),
                GroundTruth(boxes: [box.enclosingBox], labels: [1], rotatedBoxes: [box.normalized()]))
    }

    static func detector(_ kind: DenseDetectorKind, distribution: Bool) -> DenseDetector {
        var rng = RNG(seed: 3)
        var c = DenseDetectorConfig(kind: kind, numClasses: 2, backbone: .resnet(.init(depth: 18, widthMultiplier: 0.125, stem: .compact)))
        c.fpnChannels = 16; c.headChannels = 16; c.stackedConvs = 1
        if distribution { c.boxHead = .distribution }
        return DenseDetector(c, rng: &rng)
    }

    @Test func configuration() {
        let plain = Self.detector(.rotatedRetinanet, distribution: false), spread = Self.detector(.gwd, distribution: true)
        #expect(plain.config.regressionChannels == 5 && spread.config.regressionChannels == 45 && spread.config.regMax == 8)
        #expect(plain.head.regOut.weight.shape[0] == 9 * 5 && plain.config.postprocess.iouThreshold == 0.1)
        #expect(spread.rotatedBinValues == [-2, -1.5, -1, -0.5, 0, 0.5, 1, 1.5, 2])
        // Uniform bin logits decode to the middle value (0) for each of the five deltas.
        let deltas = spread.rotatedDeltas(Tensor(zeros: [2, 45]))
        #expect(deltas.shape == [2, 5] && deltas.data.allSatisfy { Swift.abs($0) < 1e-6 })
    }

    /// MaxIoU (0.5 / 0.4, low-quality matches) on rotated IoU. Gt 0: a 4×1 bar turned 90° at
    /// (10, 10): anchor 0 (the same bar upright, 1×4) has IoU 1 → positive; anchor 1 (the bar lying,
    /// 4×1) IoU 1/7 → negative. Gt 1: 2×2 at (30, 10); anchor 2 ([30,9,34,11]) overlaps it by 2:
    /// IoU 2 / (8 + 4 − 2) = 0.2 < 0.4, but it is gt 1's best anchor → positive by the low-quality
    /// match. Anchor 3, far away: negative.
    @Test func rotatedMaxIoUAssignmentHandWorked() {
        let d = Self.detector(.rotatedRetinanet, distribution: false)
        let anchors = [Box(x1: 9.5, y1: 8, x2: 10.5, y2: 12), Box(x1: 8, y1: 9.5, x2: 12, y2: 10.5),
                       Box(x1: 30, y1: 9, x2: 34, y2: 11), Box(x1: 50, y1: 50, x2: 52, y2: 52)]
        let truth = GroundTruth(boxes: [Box(x1: 9.5, y1: 8, x2: 10.5, y2: 12), Box(x1: 29, y1: 9, x2: 31, y2: 11)], labels: [0, 1],
                                rotatedBoxes: [RotatedBox(centerX: 10, centerY: 10, width: 4, height: 1, angle: -.pi / 2),
                                               RotatedBox(centerX: 30, centerY: 10, width: 2, height: 2, angle: 0)])
        let a = d.rotatedAssignment(anchors: anchors.map { RotatedQuad(DenseDetector.rotatedAnchor($0)) }, truth: truth)
        #expect(a.gtIndices == [0, Assignment.negative, 1, Assignment.negative])
        #expect(Swift.abs(a.overlaps[0] - 1) < 1e-5 && Swift.abs(a.overlaps[1] - 1.0 / 7) < 1e-5 && Swift.abs(a.overlaps[2] - 0.2) < 1e-5)
    }

    @Test(arguments: [(DenseDetectorKind.rotatedRetinanet, false), (.gwd, false), (.rotatedRetinanet, true), (.gwd, true)])
    func learnsAToyProblem(_ kind: DenseDetectorKind, _ distribution: Bool) throws {
        let samples = (0..<4).map { Self.toyImage(seed: UInt64(20 + $0)) }
        let (first, last, dets) = trainOnToyBatch(Self.detector(kind, distribution: distribution), samples, iterations: 100,
                                                  label: "\(kind) \(distribution)")
        #expect(last < 0.5 * first, "\(kind) \(distribution): loss \(first) → \(last)")
        for (d, gt) in zip(dets, samples.map(\.1)) {
            let best = try #require(d.scores.indices.max { d.scores[$0] < d.scores[$1] }, "\(kind): no detection")
            let rotated = try #require(d.rotatedBoxes)
            #expect(d.labels[best] == 1 && rotated.count == d.count)
            #expect(rotatedIoU(rotated[best], gt.rotatedBoxes[0]) > 0.5, "\(kind) \(distribution): \(rotated[best]) vs \(gt.rotatedBoxes[0])")
        }
    }
}
