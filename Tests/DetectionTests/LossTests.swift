import Foundation
import GradientChecking
import Testing
@testable import Detection
import Tensor

@Suite("Detection losses") struct LossTests {
    let logits = randomInput([4, 3], seed: 1, low: -3, high: 3)

    /// Focal loss at t ∈ {0, 1} equals −α(1−p)^γ log p and −(1−α)p^γ log(1−p), worked per element.
    @Test func focalLossValues() {
        let targets = SoftFocalTargets(classIndex: [2, -1, 0, 1], score: [1, 1, 1, 1], weight: [1, 1, 0, 2])
        let loss = logits.softFocalLoss(targets, gamma: 2, alpha: 0.25).item
        var want = 0.0
        for i in 0..<4 where targets.weight[i] > 0 {
            for c in 0..<3 {
                let p = 1 / (1 + Foundation.exp(-Double(logits.data[i * 3 + c])))
                let positive = c == targets.classIndex[i]
                let l = positive ? -0.25 * (1 - p) * (1 - p) * Foundation.log(p) : -0.75 * p * p * Foundation.log(1 - p)
                want += Double(targets.weight[i]) * l
            }
        }
        #expect(Swift.abs(Double(loss) - want) < 1e-4 * Swift.max(1, want))
    }

    /// QFL: BCE(z, y)·|y − σ(z)|² with y the IoU on the target class.
    @Test func qualityFocalLossValues() {
        let targets = SoftFocalTargets(classIndex: [1, -1, 0, 2], score: [0.7, 0, 0.3, 0.95], weight: [1, 1, 1, 1])
        let loss = logits.softFocalLoss(targets, gamma: 2, alpha: nil).item
        var want = 0.0
        for i in 0..<4 { for c in 0..<3 {
            let z = Double(logits.data[i * 3 + c]), p = 1 / (1 + Foundation.exp(-z))
            let y = c == targets.classIndex[i] ? Double(targets.score[i]) : 0
            want += -(y * Foundation.log(p) + (1 - y) * Foundation.log(1 - p)) * (y - p) * (y - p)
        } }
        #expect(Swift.abs(Double(loss) - want) < 1e-4 * Swift.max(1, want))
    }

    @Test func focalLossGradients() {
        let targets = SoftFocalTargets(classIndex: [2, -1, 0, 1], score: [1, 0.6, 0.4, 1], weight: [1, 1, 0, 2])
        expectGradientsMatch([logits], step: 1e-3) { $0[0].softFocalLoss(targets, gamma: 2, alpha: 0.25) }
        expectGradientsMatch([logits], step: 1e-3) { $0[0].softFocalLoss(targets, gamma: 2, alpha: nil) }
        expectGradientsMatch([logits], step: 1e-3) { $0[0].softFocalLoss(targets, gamma: 1.5, alpha: nil) * 3 }
    }

    /// DFL for y = 2.3 over 5 bins: 0.7·CE(z, 2) + 0.3·CE(z, 3).
    @Test func distributionFocalLoss() {
        let z = randomInput([2, 5], seed: 2)
        let loss = z.distributionFocalLoss(targets: [2.3, 0.5], weights: [1, 2]).item
        func ce(_ r: Int, _ k: Int) -> Double {
            let row = (0..<5).map { Double(z.data[r * 5 + $0]) }
            return Foundation.log(row.map(Foundation.exp).reduce(0, +)) - row[k]
        }
        let want = 0.7 * ce(0, 2) + 0.3 * ce(0, 3) + 2 * (0.5 * ce(1, 0) + 0.5 * ce(1, 1))
        #expect(Swift.abs(Double(loss) - want) < 1e-4)
        expectGradientsMatch([z]) { $0[0].distributionFocalLoss(targets: [2.3, 0.5], weights: [1, 2]) }
    }

    /// A unit box against one shifted by 0.5: intersection 0.5, union 1.5, hull 1.5 ⇒ GIoU = 1/3
    /// (loss 2/3); a box against itself: loss 0. Disjoint boxes [0,0,1,1] and [2,0,3,1]: IoU 0,
    /// hull 3, union 2 ⇒ GIoU = −1/3 (loss 4/3).
    @Test func giouLoss() {
        let pred = Tensor(shape: [3, 4], data: [0, 0, 1, 1, 0, 0, 2, 2, 0, 0, 1, 1])
        let target = [Box(x1: 0.5, y1: 0, x2: 1.5, y2: 1), Box(x1: 0, y1: 0, x2: 2, y2: 2), Box(x1: 2, y1: 0, x2: 3, y2: 1)]
        let loss = pred.giouLoss(target: target, weights: [1, 1, 0.5]).item
        #expect(Swift.abs(loss - (2.0 / 3 + 0 + 0.5 * 4.0 / 3)) < 1e-4)
        let p = Tensor(shape: [3, 4], data: [0.1, 0.2, 1.3, 1.1, 2, 2, 3.5, 2.7, 0, 0, 0.4, 0.5])
        let t = [Box(x1: 0.3, y1: 0, x2: 1.5, y2: 1.2), Box(x1: 2.2, y1: 1.6, x2: 3, y2: 3), Box(x1: 1, y1: 1, x2: 2, y2: 2)]
        expectGradientsMatch([p], step: 1e-3) { $0[0].giouLoss(target: t, weights: [1, 0.5, 2]) }
    }

    @Test func integralAndSmallLosses() {
        let z = randomInput([3, 4, 5], seed: 3)
        let d = z.integralOfDistribution()
        #expect(d.shape == [3, 4])
        expectGradientsMatch([z]) { $0[0].integralOfDistribution() }
        let x = randomInput([3, 2], seed: 4)
        expectGradientsMatch([x]) { $0[0].binaryCrossEntropyWithLogits(target: [0, 1, 0.5, 0.2, 1, 0], weights: [1, 1, 2, 0, 1, 1]) }
        let y = smoothInput([3, 2], seed: 5)
        expectGradientsMatch([y], step: 1e-3) { $0[0].l1Loss(target: [0.01, 0, 0, 0, 0, 0], weights: [1, 2, 0.5]) }
        #expect(Swift.abs(Tensor(shape: [1, 2], data: [1, -2]).l1Loss(target: [0, 0], weights: [2]).item - 6) < 1e-6)
    }
}

/// GWD (mmrotate `GDLoss`, gwd, log1p, τ 0, normalised), worked by hand on axis-aligned boxes.
@Suite("GWD loss") struct GaussianWassersteinLossTests {
    static func rows(_ boxes: [[Float]]) -> Tensor { Tensor(shape: [boxes.count, 5], data: boxes.flatMap { $0 }) }
    static func box(_ v: [Float]) -> RotatedBox { RotatedBox(centerX: v[0], centerY: v[1], width: v[2], height: v[3], angle: v[4]) }

    /// (0,0,2,2) vs (3,4,2,2): Σ = I both, d² = 25 + 0, d = 5, scale (2·2·2·2)^¼ = 2 → log(3.5).
    /// (0,0,4,2) vs (0,0,2,2): Σp = diag(4, 1), d² = 5 + 2 − 2·√(5 + 2·2) = 1, scale 32^¼ →
    /// log(1 + 1/32^¼) = 0.350990. Weights 1 and 2.
    @Test func handWorked() {
        let loss = Self.rows([[0, 0, 2, 2, 0], [0, 0, 4, 2, 0]])
            .gaussianWassersteinLoss(target: [Self.box([3, 4, 2, 2, 0]), Self.box([0, 0, 2, 2, 0])], weights: [1, 2]).item
        let want = Foundation.log(3.5) + 2 * Foundation.log1p(1 / Foundation.pow(32, 0.25))
        #expect(Swift.abs(Double(loss) - want) < 1e-5, "\(loss) vs \(want)")
    }

    /// Invariant under turning the prediction by π, or by π/2 with its sides swapped, and under
    /// turning prediction and target together; zero (up to the 1e-7 clamps) on the target.
    @Test func invariances() {
        let target = [Self.box([5, 6, 8, 3, 0.4])]
        func loss(_ v: [Float]) -> Float { Self.rows([v]).gaussianWassersteinLoss(target: target, weights: [1]).item }
        let base = loss([6, 5, 7, 4, 0.1])
        #expect(Swift.abs(loss([6, 5, 7, 4, 0.1 + .pi]) - base) < 1e-5)
        #expect(Swift.abs(loss([6, 5, 4, 7, 0.1 + .pi / 2]) - base) < 1e-5)
        #expect(loss([5, 6, 8, 3, 0.4]) < 1e-3)
        let turned = Self.rows([[6, 5, 7, 4, 0.9]]).gaussianWassersteinLoss(target: [Self.box([5, 6, 8, 3, 1.2])], weights: [1]).item
        // Turning both by 0.8 about their own centres changes the centre offset's frame only.
        #expect(Swift.abs(turned - base) < 1e-5)
    }

    @Test func gradients() {
        let pred = Tensor(shape: [3, 5], data: [5, 6, 7, 4, 0.3, 1, 2, 3, 5, -0.7, 10, 9, 6, 6.5, 1.1])
        let target = [Self.box([5.5, 6, 8, 3, 0.4]), Self.box([2, 2, 4, 4, -0.2]), Self.box([9, 10, 5, 7, 0.9])]
        expectGradientsMatch([pred], step: 1e-3) { $0[0].gaussianWassersteinLoss(target: target, weights: [1, 0.5, 2]) }
    }
}
