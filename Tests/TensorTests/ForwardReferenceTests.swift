import Foundation
import Testing
@testable import Tensor
import GradientChecking

/// Forward values against naive double-precision implementations written from the definitions.
/// (The gradient checks only prove that backward matches forward; these prove forward itself.)
@Suite("Forward references") struct ForwardReferenceTests {
    func expectClose(_ got: [Float], _ want: [Double], tolerance: Double = 1e-4, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(got.count == want.count, sourceLocation: sourceLocation)
        let worst = zip(got, want).map { Swift.abs(Double($0) - $1) / Swift.max(1, Swift.abs($1)) }.max() ?? 0
        #expect(worst <= tolerance, "worst relative error \(worst)", sourceLocation: sourceLocation)
    }

    @Test(arguments: [
        ([2, 3, 7, 6], [4, 3, 3, 3], Conv2dOptions(stride: 1, padding: 1)),
        ([1, 4, 9, 8], [6, 2, 3, 3], Conv2dOptions(stride: (2, 1), padding: (1, 2), dilation: (2, 1), groups: 2)),
        ([2, 3, 5, 5], [3, 1, 3, 3], Conv2dOptions(stride: 2, padding: 1, groups: 3)),
        ([2, 5, 4, 3], [2, 5, 1, 1], Conv2dOptions()),
        ([3, 4, 8, 9], [6, 2, 1, 1], Conv2dOptions(groups: 2)),   // pointwise, image by image
    ])
    func convolution(_ input: [Int], _ weight: [Int], _ o: Conv2dOptions) {
        let x = randomInput(input, seed: 1), w = randomInput(weight, seed: 2), b = randomInput([weight[0]], seed: 3)
        let y = x.conv2d(weight: w, bias: b, options: o)
        let (n, cin, h, wd) = (input[0], input[1], input[2], input[3])
        let (cout, cinG, kh, kw) = (weight[0], weight[1], weight[2], weight[3])
        let oh = y.shape[2], ow = y.shape[3], coutG = cout / o.groups
        var want = [Double]()
        for bi in 0..<n { for co in 0..<cout { for oy in 0..<oh { for ox in 0..<ow {
            var acc = Double(b.data[co])
            let g = co / coutG
            for ci in 0..<cinG { for i in 0..<kh { for j in 0..<kw {
                let iy = oy * o.stride.0 - o.padding.0 + i * o.dilation.0, ix = ox * o.stride.1 - o.padding.1 + j * o.dilation.1
                guard iy >= 0 && iy < h && ix >= 0 && ix < wd else { continue }
                acc += Double(x.data[((bi * cin + g * cinG + ci) * h + iy) * wd + ix]) * Double(w.data[((co * cinG + ci) * kh + i) * kw + j])
            } } }
            want.append(acc)
        } } } }
        #expect(y.shape == [n, cout, (h + 2 * o.padding.0 - o.dilation.0 * (kh - 1) - 1) / o.stride.0 + 1,
                            (wd + 2 * o.padding.1 - o.dilation.1 * (kw - 1) - 1) / o.stride.1 + 1])
        expectClose(y.data, want)
    }

    @Test func groupAndBatchNormalization() {
        let x = randomInput([2, 4, 3, 2], seed: 4), gamma = randomInput([4], seed: 5), beta = randomInput([4], seed: 6)
        let y = x.groupNorm(groups: 2, weight: gamma, bias: beta)
        var want = [Double](repeating: 0, count: x.count)
        for n in 0..<2 { for g in 0..<2 {
            let idx = (0..<2).flatMap { c in (0..<6).map { ((n * 4 + g * 2 + c) * 6) + $0 } }
            let vals = idx.map { Double(x.data[$0]) }
            let m = vals.reduce(0, +) / 12, v = vals.map { ($0 - m) * ($0 - m) }.reduce(0, +) / 12
            for i in idx { want[i] = (Double(x.data[i]) - m) / (v + 1e-5).squareRoot() * Double(gamma.data[(i / 6) % 4]) + Double(beta.data[(i / 6) % 4]) }
        } }
        expectClose(y.data, want)

        let rm = Tensor(zeros: [4]), rv = Tensor(filled: 1, shape: [4])
        let bn = x.batchNorm(weight: gamma, bias: beta, runningMean: rm, runningVar: rv, training: true, momentum: 0.1)
        var bnWant = [Double](repeating: 0, count: x.count)
        for c in 0..<4 {
            let idx = (0..<2).flatMap { n in (0..<6).map { (n * 4 + c) * 6 + $0 } }
            let vals = idx.map { Double(x.data[$0]) }
            let m = vals.reduce(0, +) / 12, v = vals.map { ($0 - m) * ($0 - m) }.reduce(0, +) / 12
            for i in idx { bnWant[i] = (Double(x.data[i]) - m) / (v + 1e-5).squareRoot() * Double(gamma.data[c]) + Double(beta.data[c]) }
            // Running estimates move 10 % towards the batch mean and the unbiased batch variance.
            #expect(Swift.abs(Double(rm.data[c]) - 0.1 * m) < 1e-5)
            #expect(Swift.abs(Double(rv.data[c]) - (0.9 + 0.1 * v * 12 / 11)) < 1e-5)
        }
        expectClose(bn.data, bnWant)
    }

    @Test func poolingAndUpsampling() {
        let x = randomInput([1, 2, 5, 4], seed: 7)
        func at(_ c: Int, _ i: Int, _ j: Int) -> Double { Double(x.data[(c * 5 + i) * 4 + j]) }
        let mp = x.maxPool2d(kernel: 3, stride: 2, padding: 1)
        var mpWant = [Double]()
        for c in 0..<2 { for oy in 0..<3 { for ox in 0..<2 {
            var best = -Double.infinity
            for i in (oy * 2 - 1)...(oy * 2 + 1) where i >= 0 && i < 5 { for j in (ox * 2 - 1)...(ox * 2 + 1) where j >= 0 && j < 4 { best = Swift.max(best, at(c, i, j)) } }
            mpWant.append(best)
        } } }
        expectClose(mp.data, mpWant)
        let ap = x.avgPool2d(kernel: 2, stride: 2)
        var apWant = [Double]()
        for c in 0..<2 { for oy in 0..<2 { for ox in 0..<2 {
            apWant.append((at(c, 2 * oy, 2 * ox) + at(c, 2 * oy + 1, 2 * ox) + at(c, 2 * oy, 2 * ox + 1) + at(c, 2 * oy + 1, 2 * ox + 1)) / 4)
        } } }
        expectClose(ap.data, apWant)
        let up = x.upsampleNearest(scale: 2)
        expectClose(up.data, (0..<2).flatMap { c in (0..<10).flatMap { i in (0..<8).map { j in at(c, i / 2, j / 2) } } })
    }

    /// Ceil-mode average pooling, values from PyTorch 2 (`F.avg_pool2d(..., ceil_mode=True)`):
    /// the partial last window divides by its real pixels, or by its part inside the padded map.
    @Test func ceilModeAveragePooling() {
        let nine = Tensor(shape: [1, 1, 3, 3], data: (1...9).map(Float.init))
        expectClose(nine.avgPool2d(kernel: 2, stride: 2, countIncludePad: false, ceilMode: true).data, [3, 4.5, 7.5, 9])
        expectClose(nine.avgPool2d(kernel: 2, stride: 2, ceilMode: true).data, [3, 4.5, 7.5, 9])
        let sixteen = Tensor(shape: [1, 1, 4, 4], data: (1...16).map(Float.init))
        expectClose(sixteen.avgPool2d(kernel: 3, stride: 2, padding: 1, ceilMode: true).data,
                    [1.5555556, 3.3333333, 2, 6.3333333, 11, 6, 4.5, 7.5, 4])
        let twentyFive = Tensor(shape: [1, 1, 5, 5], data: (1...25).map(Float.init))
        expectClose(twentyFive.avgPool2d(kernel: 3, stride: 2, padding: 1, ceilMode: true).data,
                    [1.7777778, 3.6666667, 3.1111112, 7.6666665, 13, 9.666667, 8.444445, 13.666667, 9.777778])
    }

    @Test func bilinearSamplingInterpolates() {
        let x = randomInput([1, 1, 3, 4], seed: 8)
        func at(_ i: Int, _ j: Int) -> Double { i >= 0 && i < 3 && j >= 0 && j < 4 ? Double(x.data[i * 4 + j]) : 0 }
        let pts: [(Double, Double)] = [(1.25, 0.5), (0, 0), (3.5, 2.0), (-0.5, 1.0), (2.9, 1.1)]
        let y = x.bilinearSample(at: Tensor(shape: [1, 5, 2], data: pts.flatMap { [Float($0.0), Float($0.1)] }))
        let want = pts.map { (px, py) -> Double in
            let x0 = Int(Foundation.floor(px)), y0 = Int(Foundation.floor(py)), fx = px - Double(x0), fy = py - Double(y0)
            return (1 - fy) * ((1 - fx) * at(y0, x0) + fx * at(y0, x0 + 1)) + fy * ((1 - fx) * at(y0 + 1, x0) + fx * at(y0 + 1, x0 + 1))
        }
        expectClose(y.data, want)
        // A diverging offset puts a point far outside: zero, not a trap converting it to Int.
        let far = x.bilinearSample(at: Tensor(shape: [1, 2, 2], data: [1e30, 1, -1e30, -3e29]))
        #expect(far.data == [0, 0])
    }

    @Test func softmaxFamily() {
        let x = randomInput([3, 5], seed: 9, low: -4, high: 4)
        let rows = (0..<3).map { r in (0..<5).map { Double(x.data[r * 5 + $0]) } }
        let lse = rows.map { row in Foundation.log(row.map { Foundation.exp($0) }.reduce(0, +)) }
        expectClose(x.logsumexp(axis: 1).data, lse)
        expectClose(x.softmax(axis: 1).data, (0..<3).flatMap { r in rows[r].map { Foundation.exp($0 - lse[r]) } })
        expectClose(x.logSoftmax(axis: 1).data, (0..<3).flatMap { r in rows[r].map { $0 - lse[r] } })
    }
}

@Suite("Broadcasting and shapes") struct BroadcastingTests {
    @Test func broadcastShapes() {
        #expect(broadcastShape([2, 3, 4], [3, 1]) == [2, 3, 4])
        #expect(broadcastShape([], [5]) == [5])
        #expect(broadcastShape([1], [2, 1, 3]) == [2, 1, 3])
        #expect(broadcastShape([4, 1], [1, 4]) == [4, 4])
    }

    @Test func broadcastArithmeticValues() {
        let a = Tensor(shape: [2, 1, 3], data: [1, 2, 3, 4, 5, 6]), b = Tensor(shape: [2, 1], data: [10, 20])
        let c = a + b
        #expect(c.shape == [2, 2, 3])
        #expect(c.data == [11, 12, 13, 21, 22, 23, 14, 15, 16, 24, 25, 26])
        #expect((Tensor(scalar: 2) * a).data == a.data.map { 2 * $0 })
        // A size-1 dimension on both sides stays size 1.
        #expect((Tensor(zeros: [1, 3]) + Tensor(zeros: [1, 1])).shape == [1, 3])
        // Sum back to a broadcast operand's shape.
        // Σ over i and k of a[i, k] + b[j] = 21 + 6·b[j]
        #expect(sumToShape(c.data, from: [2, 2, 3], to: [2, 1]) == [81, 141])
    }

    @Test func shapeEdgeCases() {
        let x = Tensor(shape: [2, 3, 4], data: (0..<24).map(Float.init))
        #expect(x.reshaped([-1, 4]).shape == [6, 4])
        #expect(x.permuted([0, 1, 2]).data == x.data)
        #expect(x.permuted([2, 1, 0]).data[1] == 12)          // [0,0,1] ← x[1,0,0]
        #expect(x.slice(axis: 2, 3..<4).data == [3, 7, 11, 15, 19, 23])
        #expect(x.slice(axis: 1, 1..<1).shape == [2, 0, 4])     // empty slices are allowed
        #expect(Tensor.concat([x, x], axis: -1).shape == [2, 3, 8])
        #expect(x.split(axis: 0, sizes: [1, 1]).map(\.shape) == [[1, 3, 4], [1, 3, 4]])
        #expect(Tensor.stack([x, x], axis: 3).shape == [2, 3, 4, 2])
        // Σ over n and k of 12n + 4i + k = 60 + 32i
        #expect(x.sum(axes: [0, 2]).data == [60, 92, 124])
        #expect(x.max(axis: 1).data == [8, 9, 10, 11, 20, 21, 22, 23])
        #expect(x.argmax(axis: 2) == [3, 3, 3, 3, 3, 3])
        #expect(Tensor(zeros: [0, 3]).sum().item == 0)
    }
}

/// Larger maps and batches than the cases above (the batched im2col layout with several images
/// of hundreds of columns each).
@Suite("Convolution on large maps") struct LargeMapConvolutionTests {
    @Test func largeMapMatchesNaiveConvolution() {
        let x = randomInput([2, 3, 16, 17], seed: 40), w = randomInput([4, 3, 3, 3], seed: 41), b = randomInput([4], seed: 42)
        let y = x.conv2d(weight: w, bias: b, options: Conv2dOptions(stride: 1, padding: 1))
        // Every output equals the naive double-precision convolution.
        var worst = 0.0
        for n in 0..<2 { for co in 0..<4 { for oy in 0..<16 { for ox in 0..<17 {
            var acc = Double(b.data[co])
            for ci in 0..<3 { for i in 0..<3 { for j in 0..<3 {
                let iy = oy - 1 + i, ix = ox - 1 + j
                guard iy >= 0 && iy < 16 && ix >= 0 && ix < 17 else { continue }
                acc += Double(x.data[((n * 3 + ci) * 16 + iy) * 17 + ix]) * Double(w.data[((co * 3 + ci) * 3 + i) * 3 + j])
            } } }
            worst = Swift.max(worst, Swift.abs(acc - Double(y.data[((n * 4 + co) * 16 + oy) * 17 + ox])))
        } } } }
        #expect(worst < 1e-4)
    }

    @Test(arguments: [
        Conv2dOptions(stride: 1, padding: 1),                 // adjoint-convolution backward
        Conv2dOptions(stride: (1, 1), padding: (0, 0)),       // pointwise, image by image
        Conv2dOptions(stride: 1, padding: 0, groups: 2),      // grouped pointwise, image by image
        Conv2dOptions(stride: 1, padding: 1, groups: 2),      // grouped: col2im backward
    ])
    func gradients(_ o: Conv2dOptions) {
        let k = o.padding.0 == 0 ? 1 : 3
        let x = randomInput([2, 2, 16, 16], seed: 43), w = randomInput([2, 2 / o.groups, k, k], seed: 44)
        let bias = randomInput([2], seed: 45)
        expectGradientsMatch([x, w, bias]) { $0[0].conv2d(weight: $0[1], bias: $0[2], options: o) }
    }

    /// An odd batch: the pointwise weight gradient deals images to two lanes, one of them gets two.
    @Test func pointwiseGradientsWithAnOddBatch() {
        let x = randomInput([3, 4, 8, 8], seed: 46), w = randomInput([2, 2, 1, 1], seed: 47)
        let bias = randomInput([2], seed: 48)
        expectGradientsMatch([x, w, bias]) { $0[0].conv2d(weight: $0[1], bias: $0[2], options: Conv2dOptions(groups: 2)) }
    }

    /// The image-by-image pointwise path (64 positions and more) and the batched one (fewer) give
    /// the same values: the same product on an 8×8 map and on its four 2×8 slices stacked as images.
    @Test func pointwisePathsAgree() {
        let x = randomInput([1, 3, 8, 8], seed: 49), w = randomInput([5, 3, 1, 1], seed: 50)
        let whole = x.conv2d(weight: w)
        // The 8×8 map as four 2×8 images (16 positions each: the batched path).
        var sliced = [Float]()
        for part in 0..<4 { for c in 0..<3 { for row in 0..<2 { for col in 0..<8 {
            sliced.append(x.data[(c * 8 + part * 2 + row) * 8 + col])
        } } } }
        let parts = Tensor(shape: [4, 3, 2, 8], data: sliced).conv2d(weight: w)
        var worst: Float = 0
        for part in 0..<4 { for o in 0..<5 { for row in 0..<2 { for col in 0..<8 {
            let a = whole.data[(o * 8 + part * 2 + row) * 8 + col], b = parts.data[((part * 5 + o) * 2 + row) * 8 + col]
            worst = Swift.max(worst, Swift.abs(a - b))
        } } } }
        #expect(worst < 1e-5)
    }
}
