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
