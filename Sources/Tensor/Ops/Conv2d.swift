/// 2-D convolution (cross-correlation, as in PyTorch) by im2col + sgemm, one GEMM per image and
/// group. The im2col buffers are kept for the backward pass: recomputing them costs as much as the
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

    /// Fills col [rows, oh*ow] from one image's planes [cin, h, w].
    func im2col(_ x: UnsafePointer<Float>, _ col: UnsafeMutablePointer<Float>) {
        parallelChunks(rows, minPerChunk: Swift.max(1, 4096 / Swift.max(spatial, 1))) { range in
            for r in range {
                let c = r / (kh * kw), i = (r / kw) % kh, j = r % kw
                let plane = x + c * h * w
                let dst = col + r * spatial
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

    /// Adds col [rows, oh*ow] back into one image's planes [cin, h, w] (the adjoint of im2col).
    func col2im(_ col: UnsafePointer<Float>, _ x: UnsafeMutablePointer<Float>) {
        parallelChunks(cin) { channels in
            for c in channels {
                let plane = x + c * h * w
                for i in 0..<kh { for j in 0..<kw {
                    let src = col + ((c * kh + i) * kw + j) * spatial
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
    public func conv2d(weight: Tensor, bias: Tensor? = nil, options: Conv2dOptions = Conv2dOptions()) -> Tensor {
        let geo = ConvGeometry(input: shape, weight: weight.shape, options)
        if let bias { precondition(bias.shape == [geo.cout], "conv2d: bias \(bias.shape) for \(geo.cout) channels") }
        let pointwise = geo.kh == 1 && geo.kw == 1 && geo.sh == 1 && geo.sw == 1 && geo.ph == 0 && geo.pw == 0
        let colSize = geo.rows * geo.spatial
        let inImage = geo.cin * geo.h * geo.w, outImage = geo.cout * geo.spatial
        // im2col for every image, kept for the weight gradient (pointwise convs read x directly).
        var cols: [Float] = []
        if !pointwise {
            cols = [Float](unsafeUninitializedCapacity: geo.batch * colSize) { buf, n in
                data.withUnsafeBufferPointer { x in
                    for b in 0..<geo.batch { geo.im2col(x.baseAddress! + b * inImage, buf.baseAddress! + b * colSize) }
                }
                n = geo.batch * colSize
            }
        }
        let colSource = pointwise ? data : cols
        let out = [Float](unsafeUninitializedCapacity: geo.batch * outImage) { y, n in
            colSource.withUnsafeBufferPointer { cp in weight.data.withUnsafeBufferPointer { wp in
                for b in 0..<geo.batch {
                    for g in 0..<geo.groups {
                        gemm(m: geo.coutG, n: geo.spatial, k: geo.kG,
                             a: wp.baseAddress! + g * geo.coutG * geo.kG, lda: geo.kG,
                             b: cp.baseAddress! + b * colSize + g * geo.kG * geo.spatial, ldb: geo.spatial,
                             c: y.baseAddress! + b * outImage + g * geo.coutG * geo.spatial, ldc: geo.spatial)
                    }
                }
            } }
            if let bias {
                for b in 0..<geo.batch { for c in 0..<geo.cout {
                    let row = y.baseAddress! + b * outImage + c * geo.spatial, v = bias.data[c]
                    for p in 0..<geo.spatial { row[p] += v }
                } }
            }
            n = geo.batch * outImage
        }
        let inputs = bias.map { [self, weight, $0] } ?? [self, weight]
        return Tensor.record(shape: [geo.batch, geo.cout, geo.oh, geo.ow], data: out, inputs: inputs) { [self] g in
            g.withUnsafeBufferPointer { gp in
                if let bias, bias.requiresGrad {
                    var db = [Float](repeating: 0, count: geo.cout)
                    for b in 0..<geo.batch { for c in 0..<geo.cout {
                        let row = gp.baseAddress! + b * outImage + c * geo.spatial
                        var s: Float = 0
                        for p in 0..<geo.spatial { s += row[p] }
                        db[c] += s
                    } }
                    bias.accumulateGrad(db)
                }
                if weight.requiresGrad {
                    // dW_g += dY_g [coutG, spatial] · col_gᵀ [spatial, kG], summed over images.
                    var dw = [Float](repeating: 0, count: weight.count)
                    dw.withUnsafeMutableBufferPointer { dp in colSource.withUnsafeBufferPointer { cp in
                        for b in 0..<geo.batch { for grp in 0..<geo.groups {
                            gemm(transB: true, m: geo.coutG, n: geo.kG, k: geo.spatial,
                                 a: gp.baseAddress! + b * outImage + grp * geo.coutG * geo.spatial, lda: geo.spatial,
                                 b: cp.baseAddress! + b * colSize + grp * geo.kG * geo.spatial, ldb: geo.spatial,
                                 beta: 1, c: dp.baseAddress! + grp * geo.coutG * geo.kG, ldc: geo.kG)
                        } }
                    } }
                    weight.accumulateGrad(dw)
                }
                if requiresGrad {
                    // dcol_g = W_gᵀ [kG, coutG] · dY_g [coutG, spatial]; col2im adds it into dx.
                    var dx = [Float](repeating: 0, count: count)
                    var dcol = [Float](repeating: 0, count: pointwise ? 0 : colSize)
                    dx.withUnsafeMutableBufferPointer { xp in weight.data.withUnsafeBufferPointer { wp in
                        dcol.withUnsafeMutableBufferPointer { dc in
                            for b in 0..<geo.batch {
                                let target = pointwise ? xp.baseAddress! + b * inImage : dc.baseAddress!
                                for grp in 0..<geo.groups {
                                    gemm(transA: true, m: geo.kG, n: geo.spatial, k: geo.coutG,
                                         a: wp.baseAddress! + grp * geo.coutG * geo.kG, lda: geo.kG,
                                         b: gp.baseAddress! + b * outImage + grp * geo.coutG * geo.spatial, ldb: geo.spatial,
                                         c: target + grp * geo.kG * geo.spatial, ldc: geo.spatial)
                                }
                                if !pointwise { geo.col2im(dc.baseAddress!, xp.baseAddress! + b * inImage) }
                            }
                        }
                    } }
                    accumulateGrad(dx)
                }
            }
        }
    }
}
