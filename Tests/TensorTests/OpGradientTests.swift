import Testing
@testable import Tensor
import GradientChecking

/// One finite-difference gradient check per op (and per interesting configuration of it).
@Suite("Op gradients") struct OpGradientTests {
    @Test func broadcastingArithmetic() {
        let a = randomInput([2, 3, 4], seed: 1), b = randomInput([3, 1], seed: 2)
        expectGradientsMatch([a, b]) { $0[0] + $0[1] }
        expectGradientsMatch([a, b]) { $0[0] - $0[1] }
        expectGradientsMatch([a, b]) { $0[0] * $0[1] }
        let c = randomInput([1, 3, 1], seed: 3, low: 0.5, high: 2)
        expectGradientsMatch([a, c]) { $0[0] / $0[1] }
        let d = randomInput([2, 3, 4], seed: 37, low: 0.5, high: 2)
        expectGradientsMatch([c, d]) { $0[0] / $0[1] }
        let s = randomInput([], seed: 4)
        expectGradientsMatch([a, s]) { $0[0] * $0[1] + $0[1] }
    }

    @Test func elementwiseMaximumMinimum() {
        let a = smoothInput([3, 4], seed: 5), b = smoothInput([3, 4], seed: 6, gap: 0.037)
        expectGradientsMatch([a, b], step: 1e-3) { Tensor.maximum($0[0], $0[1]) }
        expectGradientsMatch([a, b], step: 1e-3) { Tensor.minimum($0[0], $0[1]) }
    }

    @Test func unaryOps() {
        let x = randomInput([2, 5], seed: 7)
        let positive = randomInput([2, 5], seed: 8, low: 0.3, high: 2)
        let kinked = smoothInput([2, 5], seed: 9)
        expectGradientsMatch([x]) { $0[0] * 3 }
        expectGradientsMatch([x]) { -$0[0] }
        expectGradientsMatch([kinked]) { $0[0].relu() }
        expectGradientsMatch([x]) { $0[0].exp() }
        expectGradientsMatch([positive]) { $0[0].log() }
        expectGradientsMatch([positive]) { $0[0].sqrt() }
        expectGradientsMatch([kinked]) { $0[0].abs() }
        expectGradientsMatch([x]) { $0[0].square() }
        expectGradientsMatch([positive]) { $0[0].pow(1.7) }
        expectGradientsMatch([x]) { $0[0].sigmoid() }
        expectGradientsMatch([x]) { $0[0].tanh() }
        expectGradientsMatch([x]) { ($0[0] * 3).sin() }
        expectGradientsMatch([x]) { ($0[0] * 3).cos() }
        expectGradientsMatch([positive]) { $0[0].log1p() }
        expectGradientsMatch([kinked]) { $0[0].clamped(min: -0.1, max: 0.2) }
        expectGradientsMatch([x]) { ($0[0] * 4).softplus() }
    }

    @Test func reductions() {
        let x = randomInput([2, 3, 4], seed: 10)
        expectGradientsMatch([x]) { $0[0].sum() }
        expectGradientsMatch([x]) { $0[0].mean() }
        expectGradientsMatch([x]) { $0[0].sum(axis: 1) }
        expectGradientsMatch([x]) { $0[0].sum(axis: -1, keepDims: true) }
        expectGradientsMatch([x]) { $0[0].mean(axes: [0, 2]) }
        let distinct = smoothInput([2, 3, 4], seed: 11)
        expectGradientsMatch([distinct]) { $0[0].max(axis: 1) }
        expectGradientsMatch([distinct]) { $0[0].min(axis: 2) }
        expectGradientsMatch([x]) { $0[0].logsumexp(axis: 1) }
        expectGradientsMatch([x]) { $0[0].softmax(axis: 2) }
        expectGradientsMatch([x]) { $0[0].logSoftmax(axis: 0) }
    }

    @Test func shapeOps() {
        let x = randomInput([2, 3, 4], seed: 12)
        expectGradientsMatch([x]) { $0[0].reshaped([4, -1]) }
        expectGradientsMatch([x]) { $0[0].permuted([2, 0, 1]) }
        expectGradientsMatch([x]) { $0[0].transposed() }
        expectGradientsMatch([x]) { $0[0].slice(axis: 1, 1..<3) }
        let y = randomInput([2, 2, 4], seed: 13)
        expectGradientsMatch([x, y]) { Tensor.concat([$0[0], $0[1]], axis: 1) }
        expectGradientsMatch([x]) { $0[0].split(axis: 2, sizes: [1, 3])[1] * 2 }
        expectGradientsMatch([y, y.detached()]) { Tensor.stack([$0[0], $0[1]], axis: 1) }
        let row = randomInput([1, 3, 1], seed: 14)
        expectGradientsMatch([row]) { $0[0].broadcast(to: [2, 3, 4]) }
    }

    @Test func indexingOps() {
        let x = randomInput([3, 4], seed: 15)
        expectGradientsMatch([x]) { $0[0].take([0, 5, 5, 11]) }
        expectGradientsMatch([x]) { $0[0].maskedSelect((0..<12).map { $0 % 3 == 1 }) }
        expectGradientsMatch([x]) { $0[0].indexSelect(axis: 1, [3, 0, 3]) }
        expectGradientsMatch([x]) { $0[0].gather(axis: 1, indices: [1, 1, 0, 3, 2, 2], indexShape: [3, 2]) }
        let src = randomInput([3, 2], seed: 16)
        expectGradientsMatch([x, src]) { $0[0].scatterAdd(axis: 1, indices: [1, 1, 0, 3, 2, 0], source: $0[1]) }
    }

    @Test func matrixProducts() {
        let a = randomInput([3, 4], seed: 17), b = randomInput([4, 5], seed: 18)
        expectGradientsMatch([a, b]) { $0[0].matmul($0[1]) }
        let ba = randomInput([2, 3, 4], seed: 19), bb = randomInput([2, 4, 2], seed: 20)
        expectGradientsMatch([ba, bb]) { $0[0].matmul($0[1]) }
        expectGradientsMatch([ba, b]) { $0[0].matmul($0[1]) }
        let x = randomInput([2, 3, 4], seed: 21), w = randomInput([5, 4], seed: 22), bias = randomInput([5], seed: 23)
        expectGradientsMatch([x, w, bias]) { $0[0].linear(weight: $0[1], bias: $0[2]) }
    }

    @Test(arguments: [
        ("3x3 pad 1", [2, 3, 6, 5], [4, 3, 3, 3], Conv2dOptions(stride: 1, padding: 1)),
        ("3x3 stride 2", [1, 2, 7, 7], [3, 2, 3, 3], Conv2dOptions(stride: 2, padding: 1)),
        ("dilation 2", [1, 2, 7, 6], [2, 2, 3, 3], Conv2dOptions(stride: 1, padding: 2, dilation: 2)),
        ("groups 2", [2, 4, 5, 5], [6, 2, 3, 3], Conv2dOptions(stride: 1, padding: 1, groups: 2)),
        ("depthwise", [1, 3, 5, 4], [3, 1, 3, 3], Conv2dOptions(stride: 2, padding: 1, groups: 3)),
        ("pointwise", [2, 3, 4, 4], [5, 3, 1, 1], Conv2dOptions()),
        ("asymmetric", [1, 2, 6, 7], [2, 2, 1, 3], Conv2dOptions(stride: (1, 2), padding: (0, 1))),
    ])
    func convolution(_ name: String, _ input: [Int], _ weight: [Int], _ options: Conv2dOptions) {
        let x = randomInput(input, seed: 24), w = randomInput(weight, seed: 25), b = randomInput([weight[0]], seed: 26)
        expectGradientsMatch([x, w, b]) { $0[0].conv2d(weight: $0[1], bias: $0[2], options: options) }
    }

    @Test func normalizations() {
        let x = randomInput([3, 4, 2, 3], seed: 27)
        let gamma = randomInput([4], seed: 28, low: 0.5, high: 1.5), beta = randomInput([4], seed: 29)
        let rm = Tensor(zeros: [4]), rv = Tensor(filled: 1, shape: [4])
        expectGradientsMatch([x, gamma, beta], tolerance: 3e-2) {
            $0[0].batchNorm(weight: $0[1], bias: $0[2], runningMean: rm, runningVar: rv, training: true)
        }
        let em = randomInput([4], seed: 30), ev = randomInput([4], seed: 31, low: 0.5, high: 2)
        expectGradientsMatch([x, gamma, beta]) {
            $0[0].batchNorm(weight: $0[1], bias: $0[2], runningMean: em, runningVar: ev, training: false)
        }
        expectGradientsMatch([x, gamma, beta], tolerance: 3e-2) { $0[0].groupNorm(groups: 2, weight: $0[1], bias: $0[2]) }
        expectGradientsMatch([x, gamma, beta], tolerance: 3e-2) { $0[0].instanceNorm(weight: $0[1], bias: $0[2]) }
        let lg = randomInput([3], seed: 32, low: 0.5, high: 1.5), lb = randomInput([3], seed: 33)
        expectGradientsMatch([x, lg, lb], tolerance: 3e-2) { $0[0].layerNorm(normalizedCount: 3, weight: $0[1], bias: $0[2]) }
    }

    @Test func pooling() {
        let x = smoothInput([2, 2, 5, 5], seed: 34)
        expectGradientsMatch([x], step: 1e-3) { $0[0].maxPool2d(kernel: 3, stride: 2, padding: 1) }
        expectGradientsMatch([x]) { $0[0].avgPool2d(kernel: 3, stride: 2, padding: 1) }
        expectGradientsMatch([x]) { $0[0].avgPool2d(kernel: 2, stride: 1, padding: 1, countIncludePad: false) }
        expectGradientsMatch([x]) { $0[0].avgPool2d(kernel: 2, stride: 2, countIncludePad: false, ceilMode: true) }
        expectGradientsMatch([x]) { $0[0].avgPool2d(kernel: 3, stride: 2, padding: 1, ceilMode: true) }
        expectGradientsMatch([x]) { $0[0].globalAvgPool() }
        expectGradientsMatch([x]) { $0[0].upsampleNearest(scale: 2) }
        expectGradientsMatch([x]) { $0[0].upsampleNearest(height: 7, width: 3) }
    }

    @Test func bilinearSampling() {
        let x = randomInput([2, 3, 4, 5], seed: 35)
        // Points inside, on the border band and outside; none on integer coordinates (kinks).
        let pts = Tensor(shape: [2, 4, 2], data: [0.3, 0.6, 3.7, 2.2, -0.4, 1.3, 4.2, 3.4,
                                                   1.5, 1.25, 2.8, 0.1, 4.6, -0.3, 0.45, 2.9])
        expectGradientsMatch([x, pts], step: 1e-2) { $0[0].bilinearSample(at: $0[1]) }
    }

    @Test func stopGradient() {
        let x = randomInput([3], seed: 36)
        x.requiresGrad = true
        let y = (x * x.detached()).sum()
        y.backward()
        // d/dx (x · stop(x)) = stop(x): the detached factor contributes nothing.
        for i in 0..<3 { #expect(Swift.abs(x.grad![i] - x.data[i]) < 1e-6) }
    }
}
