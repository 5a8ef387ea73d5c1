import Foundation
import GradientChecking
import Testing
@testable import Tensor

/// Deformable convolution against a direct loop, against plain convolution at zero offsets, and
/// by finite differences in all its inputs.
@Suite("Deformable convolution") struct DeformableConvTests {
    /// Zero offsets read the regular grid: the result is the plain convolution's.
    @Test(arguments: [Conv2dOptions(stride: 1, padding: 1), Conv2dOptions(stride: 2, padding: 1),
                      Conv2dOptions(stride: 1, padding: 2, dilation: 2), Conv2dOptions(stride: 1, padding: 0)])
    func zeroOffsetsArePlainConvolution(_ options: Conv2dOptions) {
        let x = randomInput([2, 3, 6, 7], seed: 1), w = randomInput([4, 3, 3, 3], seed: 2), b = randomInput([4], seed: 3)
        let plain = x.conv2d(weight: w, bias: b, options: options)
        let offset = Tensor(zeros: [2, 18, plain.shape[2], plain.shape[3]])
        let deformed = x.deformableConv2d(offset: offset, weight: w, bias: b, options: options)
        #expect(deformed.shape == plain.shape)
        #expect(zip(deformed.data, plain.data).allSatisfy { abs($0 - $1) < 1e-4 })
    }

    /// Fractional offsets, some reaching outside the map: a direct loop over taps with the
    /// bilinear formula (mmcv's `deformable_im2col_bilinear`: corners outside read zero).
    @Test func fractionalOffsetsMatchADirectLoop() {
        let (n, cin, h, wd, cout, k) = (1, 2, 5, 4, 3, 3)
        let x = randomInput([n, cin, h, wd], seed: 4), w = randomInput([cout, cin, k, k], seed: 5)
        let offset = randomInput([n, 2 * k * k, 5, 4], seed: 6, low: -1.7, high: 1.7)
        let y = x.deformableConv2d(offset: offset, weight: w, options: Conv2dOptions(stride: 1, padding: 1))
        func pixel(_ c: Int, _ i: Int, _ j: Int) -> Double {
            i >= 0 && i < h && j >= 0 && j < wd ? Double(x.data[(c * h + i) * wd + j]) : 0
        }
        func sample(_ c: Int, _ py: Double, _ px: Double) -> Double {
            let y0 = Int(Foundation.floor(py)), x0 = Int(Foundation.floor(px)), fy = py - Double(y0), fx = px - Double(x0)
            return (1 - fy) * ((1 - fx) * pixel(c, y0, x0) + fx * pixel(c, y0, x0 + 1))
                + fy * ((1 - fx) * pixel(c, y0 + 1, x0) + fx * pixel(c, y0 + 1, x0 + 1))
        }
        var want = [Double]()
        for co in 0..<cout { for oy in 0..<5 { for ox in 0..<4 {
            var acc = 0.0
            for ci in 0..<cin { for i in 0..<k { for j in 0..<k {
                let t = i * k + j
                let dy = Double(offset.data[((2 * t) * 5 + oy) * 4 + ox]), dx = Double(offset.data[((2 * t + 1) * 5 + oy) * 4 + ox])
                acc += Double(w.data[((co * cin + ci) * k + i) * k + j]) * sample(ci, Double(oy - 1 + i) + dy, Double(ox - 1 + j) + dx)
            } } }
            want.append(acc)
        } } }
        #expect(y.shape == [1, cout, 5, 4])
        #expect(zip(y.data, want).allSatisfy { abs(Double($0) - $1) < 1e-4 })
    }

    /// Gradients to the input, the offsets (kept off integer positions, where bilinear sampling
    /// has kinks), the weight and the bias.
    @Test func gradientsMatchFiniteDifferences() {
        let x = randomInput([2, 2, 4, 5], seed: 7), w = randomInput([3, 2, 3, 3], seed: 8), b = randomInput([3], seed: 9)
        let raw = randomInput([2, 18, 2, 3], seed: 10, low: 0.1, high: 0.4)
        // Offsets in ±(0.1…0.4) + a whole step: never within 0.1 of an integer.
        let offset = Tensor(shape: raw.shape, data: raw.data.enumerated().map { $0.offset % 3 == 0 ? -$0.element : $0.element + Float($0.offset % 2) })
        expectGradientsMatch([x, offset, w, b], step: 1e-2) {
            $0[0].deformableConv2d(offset: $0[1], weight: $0[2], bias: $0[3], options: Conv2dOptions(stride: 2, padding: 1))
        }
    }
}
