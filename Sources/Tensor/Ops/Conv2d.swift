/// 2-D convolution (cross-correlation, as in PyTorch) by im2col + sgemm, one GEMM per group over
/// all images. The im2col buffers are kept for the backward pass: recomputing them costs as much as the
/// GEMM for the thin early layers, and memory is plentiful at the scales this suite runs.

public struct Conv2dOptions: Sendable, Equatable {
    public var stride: (Int, Int)
    public var padding: (Int, Int)
    public var dilation: (Int, Int)
    public var groups: Int

    public init(stride: Int = 1, padding: Int = 0, dilation: Int = 1, groups: Int = 1) {
        self.stride = (stride, stride); self.padding = (padding, padding)
        self.dilation = (dilation, dilation); self.groups = groups
    }

    public init(stride: (Int, Int), padding: (Int, Int), dilation: (Int, Int) = (1, 1), groups: Int = 1) {
        self.stride = stride; self.padding = padding; self.dilation = dilation; self.groups = groups
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.stride == b.stride && a.padding == b.padding && a.dilation == b.dilation && a.groups == b.groups
    }
}

/// Sizes of one convolution, shared by the forward and backward kernels.
struct ConvGeometry {
    let batch, cin, h, w, cout, kh, kw, oh, ow: Int
    let sh, sw, ph, pw, dh, dw, groups: Int
    var cinG: Int { cin / groups }
    var coutG: Int { cout / groups }
    var kG: Int { cinG * kh * kw }          // im2col rows per group
    var rows: Int { cin * kh * kw }         // im2col rows in all
    var spatial: Int { oh * ow }

    init(input: [Int], weight: [Int], _ o: Conv2dOptions) {
        precondition(input.count == 4 && weight.count == 4, "conv2d: input \(input) and weight \(weight) must be 4-D")
        batch = input[0]; cin = input[1]; h = input[2]; w = input[3]
        cout = weight[0]; kh = weight[2]; kw = weight[3]
        (sh, sw) = o.stride; (ph, pw) = o.padding; (dh, dw) = o.dilation; groups = o.groups
        precondition(groups >= 1 && cin % groups == 0 && cout % groups == 0,
                     "conv2d: groups \(groups) must divide in \(cin) and out \(cout) channels")
        precondition(weight[1] == cin / groups, "conv2d: weight \(weight) expects \(weight[1] * groups) input channels, got \(cin)")
        oh = (h + 2 * ph - dh * (kh - 1) - 1) / sh + 1
        ow = (w + 2 * pw - dw * (kw - 1) - 1) / sw + 1
        precondition(oh > 0 && ow > 0, "conv2d: output would be empty for input \(input), kernel \(kh)x\(kw)")
    }

    /// Whether dx can be computed as a stride-1 convolution of dY (stride 1, no dilation, one
    /// group, padding at most kernel − 1).
    var admitsAdjointConvolution: Bool {
        sh == 1 && sw == 1 && dh == 1 && dw == 1 && groups == 1 && ph <= kh - 1 && pw <= kw - 1 && (kh > 1 || kw > 1)
    }

    /// W'[ci, co, i, j] = W[co, ci, kh−1−i, kw−1−j].
    func flippedTransposedKernel(_ w: [Float]) -> [Float] {
        var out = [Float](repeating: 0, count: w.count)
        for co in 0..<cout { for ci in 0..<cin { for i in 0..<kh { for j in 0..<kw {
            out[((ci * cout + co) * kh + i) * kw + j] = w[((co * cin + ci) * kh + (kh - 1 - i)) * kw + (kw - 1 - j)]
        } } } }
        return out
    }

    /// Fills the columns of col (rows × batch·oh·ow, image b in columns b·oh·ow…) from the
    /// images x [batch, cin, h, w]. One parallel loop over (image, row) pairs: a loop per image
    /// woke the worker threads batch times per convolution (measured ~10 % of a step in futex calls).
    func im2col(_ x: UnsafePointer<Float>, _ col: UnsafeMutablePointer<Float>) {
        let rows = self.rows, s = spatial, ld = batch * s, inImage = cin * h * w
        parallelChunks(batch * rows, minPerChunk: Swift.max(1, 4096 / Swift.max(s, 1))) { range in
            for item in range {
                let b = item / rows, r = item % rows
                let c = r / (kh * kw), i = (r / kw) % kh, j = r % kw
                let plane = x + b * inImage + c * h * w
                let dst = col + r * ld + b * s
                for oy in 0..<oh {
                    let iy = oy * sh - ph + i * dh
                    let row = dst + oy * ow
                    if iy < 0 || iy >= h { row.update(repeating: 0, count: ow); continue }
                    let src = plane + iy * w
                    let x0 = j * dw - pw
                    if sw == 1 {
                        // Contiguous run: zeros where the window leaves the image, a copy in between.
                        let lo = Swift.min(ow, Swift.max(0, -x0)), hi = Swift.max(lo, Swift.min(ow, w - x0))
                        if lo > 0 { row.update(repeating: 0, count: lo) }
                        if hi > lo { (row + lo).update(from: src + x0 + lo, count: hi - lo) }
                        if hi < ow { (row + hi).update(repeating: 0, count: ow - hi) }
                    } else {
                        for ox in 0..<ow {
                            let ix = ox * sw + x0
                            row[ox] = ix >= 0 && ix < w ? src[ix] : 0
                        }
                    }
                }
            }
        }
    }

    /// Adds bias[c] to every position of channel c of y [batch, cout, oh·ow].
    func addBias(_ bias: UnsafePointer<Float>, to y: UnsafeMutablePointer<Float>) {
        let s = spatial
        parallelChunks(batch * cout) { rows in
            for r in rows {
                let row = y + r * s, v = bias[r % cout]
                for p in 0..<s { row[p] += v }
            }
        }
    }

    /// Adds the columns of col (laid out as `im2col` writes them) back into the images x
    /// [batch, cin, h, w] (the adjoint of im2col), in one parallel loop over (image, channel).
    func col2im(_ col: UnsafePointer<Float>, _ x: UnsafeMutablePointer<Float>) {
        let s = spatial, ld = batch * s, inImage = cin * h * w
        parallelChunks(batch * cin) { items in
            for item in items {
                let b = item / cin, c = item % cin
                let plane = x + b * inImage + c * h * w
                for i in 0..<kh { for j in 0..<kw {
                    let src = col + ((c * kh + i) * kw + j) * ld + b * s
                    let x0 = j * dw - pw
                    for oy in 0..<oh {
                        let iy = oy * sh - ph + i * dh
                        if iy < 0 || iy >= h { continue }
                        let dst = plane + iy * w, row = src + oy * ow
                        if sw == 1 {
                            let lo = Swift.min(ow, Swift.max(0, -x0)), hi = Swift.max(lo, Swift.min(ow, w - x0))
                            if hi > lo { for ox in lo..<hi { dst[ox + x0] += row[ox] } }
                        } else {
                            for ox in 0..<ow {
                                let ix = ox * sw + x0
                                if ix >= 0 && ix < w { dst[ix] += row[ox] }
                            }
                        }
                    }
                } }
            }
        }
    }
}

extension Tensor {
    /// Convolution of x [N, Cin, H, W] with weight [Cout, Cin/groups, kh, kw] plus bias [Cout].
    ///
    /// All images share one GEMM per group: col is [rows, N·oh·ow] (image b in columns b·S…), so the
    /// products stay large even for coarse pyramid levels; the result [Cout, N·S] is then
    /// transposed to [N, Cout, S] with the bias added on the way. A 1×1 stride-1 convolution over
    /// 64 or more positions needs no im2col and runs image by image instead (`pointwiseConv2d`).
    public func conv2d(weight: Tensor, bias: Tensor? = nil, options: Conv2dOptions = Conv2dOptions()) -> Tensor {
        let geo = ConvGeometry(input: shape, weight: weight.shape, options)
        if let bias { precondition(bias.shape == [geo.cout], "conv2d: bias \(bias.shape) for \(geo.cout) channels") }
        if geo.runsPointwisePerImage { return pointwiseConv2d(weight: weight, bias: bias, geometry: geo) }
        let pointwise = geo.kh == 1 && geo.kw == 1 && geo.sh == 1 && geo.sw == 1 && geo.ph == 0 && geo.pw == 0
        let s = geo.spatial, ld = geo.batch * s
        let outImage = geo.cout * s
        // Kept for the weight gradient.
        let cols = [Float](unsafeUninitializedCapacity: geo.rows * ld) { buf, n in
            data.withUnsafeBufferPointer { x in
                if pointwise {
                    // [N, Cin, S] → [Cin, N·S]
                    transposeBlocks(x.baseAddress!, buf.baseAddress!, outer: geo.batch, middle: geo.cin, inner: s)
                } else {
                    geo.im2col(x.baseAddress!, buf.baseAddress!)
                }
            }
            n = geo.rows * ld
        }
        var product = [Float](unsafeUninitializedCapacity: geo.cout * ld) { _, n in n = geo.cout * ld }
        cols.withUnsafeBufferPointer { cp in weight.data.withUnsafeBufferPointer { wp in product.withUnsafeMutableBufferPointer { pp in
            for g in 0..<geo.groups {
                gemm(m: geo.coutG, n: ld, k: geo.kG, a: wp.baseAddress! + g * geo.coutG * geo.kG, lda: geo.kG,
                     b: cp.baseAddress! + g * geo.kG * ld, ldb: ld, c: pp.baseAddress! + g * geo.coutG * ld, ldc: ld)
            }
        } } }
        let out = [Float](unsafeUninitializedCapacity: geo.batch * outImage) { y, n in
            product.withUnsafeBufferPointer { pp in
                // [Cout, N, S] → [N, Cout, S]
                transposeBlocks(pp.baseAddress!, y.baseAddress!, outer: geo.cout, middle: geo.batch, inner: s)
            }
            if let bias { bias.data.withUnsafeBufferPointer { geo.addBias($0.baseAddress!, to: y.baseAddress!) } }
            n = geo.batch * outImage
        }
        product = []
        let inputs = bias.map { [self, weight, $0] } ?? [self, weight]
        return Tensor.record(shape: [geo.batch, geo.cout, geo.oh, geo.ow], data: out, inputs: inputs) { [self] g in
            // dY [N, Cout, S] → [Cout, N·S]
            let gt = [Float](unsafeUninitializedCapacity: geo.cout * ld) { buf, n in
                g.withUnsafeBufferPointer { gp in
                    transposeBlocks(gp.baseAddress!, buf.baseAddress!, outer: geo.batch, middle: geo.cout, inner: s)
                }
                n = geo.cout * ld
            }
            gt.withUnsafeBufferPointer { gp in
                if let bias, bias.requiresGrad {
                    var db = [Float](repeating: 0, count: geo.cout)
                    for c in 0..<geo.cout {
                        let row = gp.baseAddress! + c * ld
                        var acc: Float = 0
                        for p in 0..<ld { acc += row[p] }
                        db[c] = acc
                    }
                    bias.accumulateGrad(db)
                }
                if weight.requiresGrad {
                    // dW_g = dY_g [coutG, N·S] · col_gᵀ [N·S, kG]
                    let dw = [Float](unsafeUninitializedCapacity: weight.count) { dp, n in
                        cols.withUnsafeBufferPointer { cp in
                            for grp in 0..<geo.groups {
                                gemm(transB: true, m: geo.coutG, n: geo.kG, k: ld,
                                     a: gp.baseAddress! + grp * geo.coutG * ld, lda: ld,
                                     b: cp.baseAddress! + grp * geo.kG * ld, ldb: ld,
                                     c: dp.baseAddress! + grp * geo.coutG * geo.kG, ldc: geo.kG)
                            }
                        }
                        n = weight.count
                    }
                    weight.accumulateGrad(dw)
                }
                if requiresGrad && geo.admitsAdjointConvolution {
                    // dx as a convolution of dY with the flipped, transposed kernel: the same FLOPs
                    // as Wᵀ·dY + col2im, but the GEMM's output is Cin×N·S instead of Cin·k²×N·S and
                    // the scatter-add becomes an im2col copy (measured ~10 % of a training step).
                    let flipped = Tensor(shape: [geo.cin, geo.cout, geo.kh, geo.kw], data: geo.flippedTransposedKernel(weight.data))
                    let dy = Tensor(shape: [geo.batch, geo.cout, geo.oh, geo.ow], data: g)
                    let dx = GradMode.withoutGrad {
                        dy.conv2d(weight: flipped, options: Conv2dOptions(stride: (1, 1), padding: (geo.kh - 1 - geo.ph, geo.kw - 1 - geo.pw)))
                    }
                    accumulateGrad(dx.data)
                } else if requiresGrad {
                    // dcol_g = W_gᵀ [kG, coutG] · dY_g [coutG, N·S]; col2im (or a transpose) gives dx.
                    let dcol = [Float](unsafeUninitializedCapacity: geo.rows * ld) { dc, n in
                        weight.data.withUnsafeBufferPointer { wp in
                            for grp in 0..<geo.groups {
                                gemm(transA: true, m: geo.kG, n: ld, k: geo.coutG,
                                     a: wp.baseAddress! + grp * geo.coutG * geo.kG, lda: geo.kG,
                                     b: gp.baseAddress! + grp * geo.coutG * ld, ldb: ld,
                                     c: dc.baseAddress! + grp * geo.kG * ld, ldc: ld)
                            }
                        }
                        n = geo.rows * ld
                    }
                    let dx: [Float]
                    if pointwise {
                        dx = [Float](unsafeUninitializedCapacity: count) { xp, n in
                            dcol.withUnsafeBufferPointer { dc in
                                transposeBlocks(dc.baseAddress!, xp.baseAddress!, outer: geo.cin, middle: geo.batch, inner: s)
                            }
                            n = count
                        }
                    } else {
                        var acc = [Float](repeating: 0, count: count)
                        acc.withUnsafeMutableBufferPointer { xp in dcol.withUnsafeBufferPointer { dc in
                            geo.col2im(dc.baseAddress!, xp.baseAddress!)
                        } }
                        dx = acc
                    }
                    accumulateGrad(dx)
                }
            }
        }
    }
}

/// [outer, middle, inner] → [middle, outer, inner], copying contiguous rows of `inner` values.
func transposeBlocks(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, outer: Int, middle: Int, inner: Int) {
    parallelChunks(outer, minPerChunk: Swift.max(1, 16384 / Swift.max(middle * inner, 1))) { range in
        for o in range {
            for m in 0..<middle {
                (dst + (m * outer + o) * inner).update(from: src + (o * middle + m) * inner, count: inner)
            }
        }
    }
}
