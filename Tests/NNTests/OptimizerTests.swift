import Foundation
import Testing
@testable import NN
import Tensor

@Suite("Optimizers and schedules") struct OptimizerTests {
    /// Two SGD steps worked by hand: d = g + wd·p, buf = μ·buf + d, p -= lr·buf.
    @Test func sgdMomentumAndWeightDecay() {
        let p = Tensor(shape: [2], data: [1, -2], requiresGrad: true)
        let sgd = SGD([p], learningRate: 0.1, momentum: 0.9, weightDecay: 0.01)
        p.grad = [0.5, 0.25]
        sgd.step()
        // d = [0.51, 0.23]; p = [1 − 0.051, −2 − 0.023]
        #expect(Swift.abs(p.data[0] - 0.949) < 1e-6 && Swift.abs(p.data[1] + 2.023) < 1e-6)
        p.grad = [0.5, 0.25]
        sgd.step()
        // d = [0.5 + 0.00949, 0.25 − 0.02023]; buf = 0.9·[0.51, 0.23] + d
        let buf0: Float = 0.9 * 0.51 + 0.50949, buf1: Float = 0.9 * 0.23 + 0.22977
        #expect(Swift.abs(p.data[0] - (0.949 - 0.1 * buf0)) < 1e-6)
        #expect(Swift.abs(p.data[1] - (-2.023 - 0.1 * buf1)) < 1e-6)
    }

    /// One AdamW step by hand: after bias correction the step is lr·sign(g) (|m̂| = √v̂).
    @Test func adamWFirstStep() {
        let p = Tensor(shape: [2], data: [1, -1], requiresGrad: true)
        let adam = AdamW([p], learningRate: 0.01, weightDecay: 0.1)
        p.grad = [3, -0.5]
        adam.step()
        // p·(1 − lr·wd) − lr·g/(|g| + eps)
        #expect(Swift.abs(p.data[0] - (1 * 0.999 - 0.01)) < 1e-6)
        #expect(Swift.abs(p.data[1] - (-1 * 0.999 + 0.01)) < 1e-6)
    }

    @Test func parameterGroupsScaleTheLearningRate() {
        let a = Tensor(shape: [1], data: [1], requiresGrad: true), b = Tensor(shape: [1], data: [1], requiresGrad: true)
        let sgd = SGD(groups: [ParameterGroup(name: "backbone", parameters: [a], learningRateMultiplier: 0.1, weightDecay: 0),
                               ParameterGroup(name: "head", parameters: [b], weightDecay: 0)],
                      learningRate: 1, momentum: 0)
        a.grad = [1]; b.grad = [1]
        sgd.step()
        #expect(Swift.abs(a.data[0] - 0.9) < 1e-6 && Swift.abs(b.data[0] - 0) < 1e-6)
    }

    @Test func frozenParametersDoNotMove() {
        let p = Tensor(shape: [1], data: [1], requiresGrad: true)
        p.requiresGrad = false
        p.grad = [1]
        SGD([p], learningRate: 1).step()
        #expect(p.data == [1])
    }

    @Test func gradientClippingBoundsTheGlobalNorm() {
        let a = Tensor(shape: [2], data: [0, 0], requiresGrad: true), b = Tensor(shape: [1], data: [0], requiresGrad: true)
        a.grad = [3, 0]; b.grad = [4]
        let norm = clipGradientNorm([a, b], maxNorm: 1)
        #expect(Swift.abs(norm - 5) < 1e-5)
        #expect(Swift.abs(a.grad![0] - 0.6) < 1e-4 && Swift.abs(b.grad![0] - 0.8) < 1e-4)
    }

    /// mmdet 1x: linear warm-up from 0.001× over 500 iterations, ×0.1 at the milestones.
    @Test func warmupAndStepSchedule() {
        let s = LearningRateSchedule(baseLearningRate: 0.01, warmupIterations: 500, warmupRatio: 0.001,
                                     decay: .step(milestones: [8000, 11000], gamma: 0.1))
        #expect(Swift.abs(s.learningRate(at: 0) - 0.00001) < 1e-9)
        #expect(Swift.abs(s.learningRate(at: 250) - 0.01 * (0.001 + 0.999 * 0.5)) < 1e-8)
        #expect(Swift.abs(s.learningRate(at: 500) - 0.01) < 1e-9)
        #expect(Swift.abs(s.learningRate(at: 8000) - 0.001) < 1e-9)
        #expect(Swift.abs(s.learningRate(at: 11000) - 0.0001) < 1e-9)
        let c = LearningRateSchedule(baseLearningRate: 1, decay: .cosine(totalIterations: 100, minimumRatio: 0))
        #expect(Swift.abs(c.learningRate(at: 50) - 0.5) < 1e-6 && c.learningRate(at: 100) < 1e-6)
    }

    @Test func priorProbabilityBias() {
        let b = Initializer.priorProbabilityBias(0.01)
        #expect(Swift.abs(1 / (1 + Foundation.exp(-b)) - 0.01) < 1e-6)
    }
}
