import Foundation
import NN
import Testing
@testable import Detection
import Tensor

/// End-to-end checks of the dense detectors (the rotated ones on angle-0 boxes) on a toy problem: each must learn to find one
/// bright square of class 1 among dim clutter within a short schedule.
@Suite("Dense detectors") struct DenseDetectorTests {
    static func toyImage(seed: UInt64) -> (Tensor, GroundTruth) {
        var rng = RNG(seed: seed)
        let size = 64
        var pixels = (0..<(3 * size * size)).map { _ in 0.1 * rng.uniform() }
        let w = 14 + Float(rng.int(below: 10)), h = 14 + Float(rng.int(below: 10))
        let x1 = Float(4 + rng.int(below: size - 30)), y1 = Float(4 + rng.int(below: size - 30))
        for c in 0..<3 { for y in Int(y1)..<Int(y1 + h) { for x in Int(x1)..<Int(x1 + w) {
            pixels[(c * size + y) * size + x] = c == 0 ? 0.9 : 0.4
        } } }
        return (Tensor(shape: [1, 3, size, size], data: pixels),
                GroundTruth(boxes: [Box(x1: x1, y1: y1, x2: x1 + w, y2: y1 + h)], labels: [1],
                            rotatedBoxes: [RotatedBox(centerX: x1 + w / 2, centerY: y1 + h / 2, width: w, height: h, angle: 0)]))
    }

    func makeDetector(_ kind: DenseDetectorKind) -> DenseDetector {
        var rng = RNG(seed: 3)
        var c = DenseDetectorConfig(kind: kind, numClasses: 2,
                                    backbone: .resnet(.init(depth: 18, widthMultiplier: 0.125, stem: .compact)))
        c.fpnChannels = 16; c.headChannels = 16; c.stackedConvs = 1; c.regMax = 8
        c.fcosRangeScale = 0.08
        return DenseDetector(c, rng: &rng)
    }

    @Test(arguments: DenseDetectorKind.allCases)
    func learnsAToyProblem(_ kind: DenseDetectorKind) throws {
        let samples = (0..<4).map { Self.toyImage(seed: UInt64(10 + $0)) }
        let (first, last, dets) = trainOnToyBatch(makeDetector(kind), samples, iterations: 80, label: "\(kind)")
        #expect(last < 0.5 * first, "\(kind): loss \(first) → \(last)")
        for (d, gt) in zip(dets, samples.map(\.1)) {
            let best = try #require(d.scores.indices.max { d.scores[$0] < d.scores[$1] }, "\(kind): no detection")
            #expect(d.labels[best] == 1, "\(kind): top label \(d.labels[best])")
            #expect(d.boxes[best].iou(gt.boxes[0]) > 0.5, "\(kind): top box \(d.boxes[best]) vs \(gt.boxes[0])")
        }
    }
}
