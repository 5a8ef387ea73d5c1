import Foundation
import GradientChecking
import NN
import Testing
@testable import Detection
import Tensor

/// AutoAssign's centre prior and losses: hand-worked prior values, the losses against a plain
/// double-precision evaluation of mmdetection's formulas, and finite-difference gradients.
@Suite("AutoAssign") struct AutoAssignTests {
    @Test func centerPriorIsAnUnnormalisedGaussianOfTheOffsetInStrides() {
        let prior = CenterPrior(numClasses: 2)
        let g = prior.weights(offsets: [(1, 0), (0, 2), (-1, 1)], classes: [0, 1, 1])
        #expect(close(g.data, [Foundation.exp(-0.5), Foundation.exp(-2), Foundation.exp(-1)].map(Float.init)))
        // Class 1 centred one stride right, twice as wide vertically: offset (1, 0) sits on the
        // mean (1); offset (0, 2) is one stride off in x (e^−½) and 2/2 spreads off in y (e^−½).
        prior.mean.withMutableData { $0[2] = 1 }
        prior.sigma.withMutableData { $0[3] = 2 }
        let shifted = prior.weights(offsets: [(1, 0), (0, 2)], classes: [1, 1])
        #expect(close(shifted.data, [1, Float(Foundation.exp(-1.0))]))
    }

    @Test func centerPriorGradients() {
        let prior = CenterPrior(numClasses: 3)
        prior.mean.assign([0.3, -0.2, 0.1, 0.4, -0.5, 0.2])
        prior.sigma.assign([1.2, 0.8, 1.5, 0.9, 1.1, 1.3])
        expectGradientsMatch([prior.mean, prior.sigma], step: 1e-3) { _ in
            prior.weights(offsets: [(0.5, -1), (1.5, 0.2), (-0.7, 0.9), (0.1, 0.1)], classes: [0, 2, 2, 1])
        }
    }

    /// A tiny AutoAssign detector, its priors on 4×4, 2×2 and three 1×1 levels, random outputs
    /// (positive distances, clear of the ReLU's kink) and, in the first image, two overlapping
    /// gts of both classes; a second image (`images: 2`) holds one larger gt, so that per-image
    /// and per-batch normalisers differ.
    struct Case {
        let detector: DenseDetector
        let priors: DenseDetector.Priors
        let cls: Tensor, reg: Tensor, objectness: Tensor
        let truths: [GroundTruth]

        init(images: Int = 1) {
            var rng = RNG(seed: 21)
            var c = DenseDetectorConfig(kind: .autoassign, numClasses: 2, backbone: .resnet(.init(depth: 18, widthMultiplier: 0.125, stem: .compact)))
            c.fpnChannels = 16; c.headChannels = 16; c.stackedConvs = 1
            detector = DenseDetector(c, rng: &rng)
            let sizes = [(4, 4), (2, 2), (1, 1), (1, 1), (1, 1)].map { FeatureSize(height: $0.0, width: $0.1) }
            priors = detector.priors(for: sizes)
            let p = priors.layout.count
            cls = Tensor(shape: [images, p, 2], data: (0..<(images * 2 * p)).map { _ in rng.uniform() * 4 - 2 })
            reg = Tensor(shape: [images, p, 4], data: (0..<(images * 4 * p)).map { _ in 0.3 + rng.uniform() * 2 })
            objectness = Tensor(shape: [images, p, 1], data: (0..<(images * p)).map { _ in rng.uniform() * 4 - 2 })
            let s = Float(detector.strides[0])
            truths = [GroundTruth(boxes: [box(0.2 * s, 0.3 * s, 2.6 * s, 2.2 * s), box(1.1 * s, 0.6 * s, 3.7 * s, 3.4 * s)], labels: [1, 0]),
                      GroundTruth(boxes: [box(0.4 * s, 0.2 * s, 3.8 * s, 3.6 * s)], labels: [1])].prefix(images).map { $0 }
            detector.head.centerPrior!.mean.assign([0.2, -0.1, -0.3, 0.25])
            detector.head.centerPrior!.sigma.assign([1.1, 0.9, 1.3, 0.8])
        }

        func losses(_ cls: Tensor, _ reg: Tensor, _ objectness: Tensor) -> [String: Tensor] {
            let out = DenseDetector.Outputs(features: [], cls: cls, reg: reg, centerness: objectness, priors: priors)
            return detector.losses(out, detector.targets(for: priors, groundTruth: truths, predictions: out))
        }
    }

    /// mmdetection's normalisers: the positive loss over the batch's gts, the negative over the
    /// batch's Σ G, the centre loss per image (#gts / Σ G) and then averaged over the images.
    @Test(arguments: [1, 2])
    func lossesEqualTheFormulasInDouble(images: Int) {
        let t = Case(images: images)
        let got = t.losses(t.cls, t.reg, t.objectness).mapValues { Double($0.item) }
        let p = t.priors.layout.count, k = 2
        func sigmoid(_ x: Float) -> Double { 1 / (1 + Foundation.exp(-Double(x))) }
        let mean = t.detector.head.centerPrior!.mean.data.map(Double.init), sigma = t.detector.head.centerPrior!.sigma.data.map(Double.init)
        func overlap(_ a: [Double], _ b: Box, generalized: Bool) -> Double {
            let iw = Swift.max(Swift.min(a[2], Double(b.x2)) - Swift.max(a[0], Double(b.x1)), 0)
            let ih = Swift.max(Swift.min(a[3], Double(b.y2)) - Swift.max(a[1], Double(b.y1)), 0)
            let union = (a[2] - a[0]) * (a[3] - a[1]) + Double(b.area) - iw * ih
            guard generalized else { return iw * ih / Swift.max(union, 1e-6) }
            let ew = Swift.max(a[2], Double(b.x2)) - Swift.min(a[0], Double(b.x1))
            let eh = Swift.max(a[3], Double(b.y2)) - Swift.min(a[1], Double(b.y1))
            return iw * ih / (union + 1e-6) - (ew * eh + 1e-6 - union - 1e-6) / (ew * eh + 1e-6)
        }
        var positive = 0.0, negative = 0.0, batchPriorMass = 0.0, centerPerImage: [Double] = []
        for (image, truth) in t.truths.enumerated() {
            let row = image * p
            let boxes = (0..<p).map { j -> [Double] in
                let c = t.priors.centers[j], s = Double(t.priors.strides[j])
                let d = (0..<4).map { Double(Swift.max(t.reg.data[4 * (row + j) + $0], 0)) * s }
                return [Double(c.x) - d[0], Double(c.y) - d[1], Double(c.x) + d[2], Double(c.y) + d[3]]
            }
            var priorMass = 0.0
            var weight = [Double](repeating: 1, count: p * k)
            let bestIoU = boxes.map { b in truth.boxes.map { overlap(b, $0, generalized: false) }.max()! }
            for (g, gt) in truth.boxes.enumerated() {
                let c = truth.labels[g]
                let inside = (0..<p).filter { j in
                    let q = t.priors.centers[j]
                    return Swift.min(Swift.min(q.x - gt.x1, q.y - gt.y1), Swift.min(gt.x2 - q.x, gt.y2 - q.y)) > 0
                }
                #expect(inside.count >= 3, "image \(image) gt \(g) covers \(inside.count) points")
                var numerators: [Double] = [], scores: [Double] = []
                for j in inside {
                    let score = sigmoid(t.cls.data[(row + j) * k + c]) * sigmoid(t.objectness.data[row + j])
                        * Foundation.exp(-5 * (1 - overlap(boxes[j], gt, generalized: true)))
                    let s = Double(t.priors.strides[j])
                    let dx = (Double(t.priors.centers[j].x) - Double(gt.x1 + gt.x2) / 2) / s - mean[2 * c]
                    let dy = (Double(t.priors.centers[j].y) - Double(gt.y1 + gt.y2) / 2) / s - mean[2 * c + 1]
                    let prior = Foundation.exp(-dx * dx / (2 * sigma[2 * c] * sigma[2 * c])) * Foundation.exp(-dy * dy / (2 * sigma[2 * c + 1] * sigma[2 * c + 1]))
                    priorMass += prior
                    numerators.append(Foundation.exp(3 * score) * prior); scores.append(score)
                }
                let total = numerators.reduce(0, +)
                positive -= Foundation.log(zip(numerators, scores).reduce(0) { $0 + $1.0 / total * $1.1 })
                let v = inside.map { 1 / (1 - bestIoU[$0]) }
                for (j, value) in zip(inside, v) { weight[j * k + c] = 1 - (value - v.min()! + 1e-12) / (v.max()! - v.min()! + 1e-12) }
            }
            for j in 0..<p { for c in 0..<k {
                let q = sigmoid(t.cls.data[(row + j) * k + c]) * sigmoid(t.objectness.data[row + j]) * weight[j * k + c]
                negative += q * q * -Foundation.log(1 - q)
            } }
            batchPriorMass += priorMass
            centerPerImage.append(Double(truth.boxes.count) / priorMass)
        }
        let numGTs = Double(t.truths.map(\.boxes.count).reduce(0, +))
        let want = ["loss_pos": 0.25 * positive / numGTs, "loss_neg": 0.75 * negative / Swift.max(batchPriorMass, 1),
                    "loss_center": 0.75 * centerPerImage.reduce(0, +) / Double(images)]
        for (key, value) in want {
            #expect(Swift.abs(got[key]! - value) < 1e-4 * Swift.max(1, Swift.abs(value)), "\(key): \(got[key]!) vs \(value)")
        }
        if images == 2 {
            // The case separates the normalisers: pooling the centre loss's #gts / Σ G over the
            // batch lands more than 10 tolerances from the per-image mean.
            let pooled = 0.75 * numGTs / batchPriorMass, perImage = want["loss_center"]!
            #expect(Swift.abs(pooled - perImage) > 10 * 1e-4 * Swift.max(1, perImage), "pooled \(pooled) vs per image \(perImage)")
        }
    }

    @Test func gradients() {
        // The negative loss's weights and normaliser are detached functions of the boxes and the
        // prior, so finite differences see them move: its gradient is checked in cls and
        // objectness only; the positive and centre losses in every input.
        let t = Case()
        let prior = t.detector.head.centerPrior!
        expectGradientsMatch([t.cls, t.reg, t.objectness, prior.mean, prior.sigma], step: 1e-3, tolerance: 3e-2) { x in
            let l = t.losses(x[0], x[1], x[2])
            return l["loss_pos"]! + l["loss_center"]!
        }
        expectGradientsMatch([t.cls, t.objectness], step: 1e-3, tolerance: 3e-2) { x in t.losses(x[0], t.reg, x[1])["loss_neg"]! }
    }

    @Test func saturatedScoresKeepFiniteGradients() throws {
        // σ(cls) = σ(obj) = 1 in float32 makes 1 − q exactly 0 wherever W = 1: the loss and
        // every gradient must stay finite (a NaN would spread through the shared head).
        let t = Case()
        let cls = Tensor(filled: 30, shape: t.cls.shape), objectness = Tensor(filled: 30, shape: t.objectness.shape)
        for x in [cls, t.reg, objectness] { x.requiresGrad = true }
        let l = t.losses(cls, t.reg, objectness)
        let total = l["loss_pos"]! + l["loss_neg"]! + l["loss_center"]!
        #expect(total.item.isFinite)
        total.backward()
        for x in [cls, t.reg, objectness] { #expect(try #require(x.grad).allSatisfy(\.isFinite)) }
    }
}
