import NN
import Testing
@testable import Detection
import Tensor

/// |a − b| ≤ tol.
func close(_ a: Float, _ b: Float, _ tol: Float = 1e-5) -> Bool { Swift.abs(a - b) <= tol }

func close(_ a: Box, _ b: Box, _ tol: Float = 1e-4) -> Bool {
    close(a.x1, b.x1, tol) && close(a.y1, b.y1, tol) && close(a.x2, b.x2, tol) && close(a.y2, b.y2, tol)
}

func close(_ a: [Float], _ b: [Float], _ tol: Float = 1e-5) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { close($0, $1, tol) }
}

/// Box(x1, y1, x2, y2) without labels, for compact fixtures.
func box(_ x1: Float, _ y1: Float, _ x2: Float, _ y2: Float) -> Box { Box(x1: x1, y1: y1, x2: x2, y2: y2) }

/// Trains `detector` with AdamW (lr 3e-3) on one fixed batch for `iterations` steps, checking
/// that every step has positives and a finite loss; returns the first and the last total loss,
/// and the detections of the trained model on the same images (64 × 64).
func trainOnToyBatch(_ detector: DenseDetector, _ samples: [(Tensor, GroundTruth)], iterations: Int,
                     label: String) -> (first: Float, last: Float, detections: [Detections]) {
    let optimizer = AdamW(detector.parameters, learningRate: 3e-3, weightDecay: 0)
    let images = Tensor.concat(samples.map(\.0), axis: 0), truth = samples.map(\.1)
    var first: Float = 0, last: Float = 0
    for it in 0..<iterations {
        let out = detector(images)
        let targets = detector.targets(for: out.priors, groundTruth: truth, predictions: out)
        #expect(targets.numPositives > 0, "\(label) iteration \(it): no positives")
        let terms = detector.losses(out, targets)
        let loss = terms.values.dropFirst().reduce(terms.values.first!, +)
        #expect(loss.item.isFinite, "\(label) iteration \(it): loss \(loss.item) \(terms.mapValues(\.item))")
        if it == 0 { first = loss.item }
        last = loss.item
        optimizer.zeroGrad()
        loss.backward()
        optimizer.step()
    }
    detector.train(false)
    let out = GradMode.withoutGrad { detector(images) }
    return (first, last, detector.detect(out, imageSizes: Array(repeating: ImageSize(width: 64, height: 64), count: samples.count)))
}
