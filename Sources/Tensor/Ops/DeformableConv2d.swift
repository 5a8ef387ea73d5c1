/// Deformable convolution (Dai et al. 2017, "DCNv1"; mmcv's `DeformConv2d` with one offset
/// group): every kernel tap reads the input at its regular position plus a learned offset, by
/// bilinear interpolation. Built from `bilinearSample` and `matmul`, so its gradients (to the
/// input, the offsets and the weight) are theirs.

extension Tensor {
    /// x [N, Cin, H, W], offset [N, 2·kh·kw, Hout, Wout], weight [Cout, Cin, kh, kw] → [N, Cout,
    /// Hout, Wout]. Offset channels 2t and 2t+1 are tap t's (dy, dx), taps in row-major order
    /// (t = i·kw + j), as mmcv lays them out. Tap t of output (oy, ox) reads
    /// (oy·sh − ph + i·dh + dy, ox·sw − pw + j·dw + dx); outside the map it reads zeros.
    public func deformableConv2d(offset: Tensor, weight: Tensor, bias: Tensor? = nil,
                                 options: Conv2dOptions = Conv2dOptions()) -> Tensor {
        precondition(rank == 4 && weight.rank == 4 && weight.shape[1] == shape[1] && options.groups == 1,
                     "deformableConv2d: input \(shape), weight \(weight.shape); expected [N,C,H,W], [Cout,C,kh,kw], one group")
        let (n, cin, h, w) = (shape[0], shape[1], shape[2], shape[3])
        let (cout, kh, kw) = (weight.shape[0], weight.shape[2], weight.shape[3])
        let (sh, sw) = options.stride, (ph, pw) = options.padding, (dh, dw) = options.dilation
        let ho = (h + 2 * ph - dh * (kh - 1) - 1) / sh + 1, wo = (w + 2 * pw - dw * (kw - 1) - 1) / sw + 1
        let taps = kh * kw, positions = ho * wo
        precondition(offset.shape == [n, 2 * taps, ho, wo],
                     "deformableConv2d: offset \(offset.shape); expected \([n, 2 * taps, ho, wo])")
        // The regular grid as sampling points (x, y), ordered (tap, position), for every image.
        var regular = [Float](repeating: 0, count: taps * positions * 2)
        for t in 0..<taps {
            let (i, j) = (t / kw, t % kw)
            for oy in 0..<ho { for ox in 0..<wo {
                let q = (t * positions + oy * wo + ox) * 2
                regular[q] = Float(ox * sw - pw + j * dw)
                regular[q + 1] = Float(oy * sh - ph + i * dh)
            } }
        }
        let grid = [Float]((0..<n).map { _ in regular }.joined())
        // [N, 2K, P] → [N, K, 2, P] → [N, K, P, 2], (dy, dx) → (dx, dy).
        let shifts = offset.reshaped([n, taps, 2, positions]).permuted([0, 1, 3, 2]).indexSelect(axis: 3, [1, 0])
        let points = shifts.reshaped([n, taps * positions, 2]) + Tensor(shape: [n, taps * positions, 2], data: grid)
        // [N, Cin, K·P] is im2col's [N, Cin·K, P]: the weight's (c, i, j) order.
        let columns = bilinearSample(at: points).reshaped([n, cin * taps, positions])
        var out = weight.reshaped([cout, cin * taps]).matmul(columns).reshaped([n, cout, ho, wo])
        if let bias { out = out + bias.reshaped([1, cout, 1, 1]) }
        return out
    }
}
