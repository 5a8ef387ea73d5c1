import Dispatch

/// 1×1 stride-1 convolutions image by image: in NCHW each image is already the [cin, H·W]
/// operand of its product, so no transposes are needed. The batched layout of `conv2d`
/// transposed input, output and gradient, and ran these layers about 3× slower than oneDNN's
/// GEMM convolution on a small-profile GFL R-50 step (`perf conv-shapes --per-layer`); image by
/// image their 39 layers took 37 ms instead of 55. Below `pointwiseMinimumSpatial` positions the
/// per-image products are too thin, and the batched layout is kept.
extension ConvGeometry {
    static let pointwiseMinimumSpatial = 64

    var runsPointwisePerImage: Bool {
        kh == 1 && kw == 1 && sh == 1 && sw == 1 && ph == 0 && pw == 0 && spatial >= Self.pointwiseMinimumSpatial
    }

    /// y [batch, cout, S] = W · x_b for every image b and group.
    func pointwiseForward(_ x: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                          into y: UnsafeMutablePointer<Float>) {
        perImageProducts(weight, transposed: false, input: x, channels: cin, into: y, channels: cout)
    }

    /// dx [batch, cin, S] = Wᵀ · dY_b for every image b and group.
    func pointwiseInputGradient(_ dy: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                                into dx: UnsafeMutablePointer<Float>) {
        perImageProducts(weight, transposed: true, input: dy, channels: cout, into: dx, channels: cin)
    }

    /// out_b,g = W_g · in_b,g (W_gᵀ when transposed) for every image b and group g, where W_g is
    /// [coutG, cinG] and in/out hold inChannels/outChannels channels of S positions per image.
    private func perImageProducts(_ weight: UnsafePointer<Float>, transposed: Bool,
                                  input: UnsafePointer<Float>, channels inChannels: Int,
                                  into output: UnsafeMutablePointer<Float>, channels outChannels: Int) {
        let s = spatial, inG = inChannels / groups, outG = outChannels / groups
        BLASInfo.ensureConfigured()
        parallelChunks(batch) { images in
            for b in images { for g in 0..<groups {
                let from = input + (b * inChannels + g * inG) * s, to = output + (b * outChannels + g * outG) * s
                serialGemm(transA: transposed, m: outG, n: s, k: inG, a: weight + g * coutG * cinG, lda: cinG,
                           b: from, ldb: s, c: to, ldc: s)
            } }
        }
    }

    /// dW [cout, cinG] = Σ_b dY_b · x_bᵀ. Images are dealt to two fixed lanes, each accumulating
    /// its own sum, and the lanes are added in order: the bits do not depend on the worker count.
    func pointwiseWeightGradient(_ x: UnsafePointer<Float>, outputGradient dy: UnsafePointer<Float>,
                                 into result: UnsafeMutablePointer<Float>) {
        let s = spatial, count = cout * cinG, lanes = 2
        let partials = UnsafeMutablePointer<Float>.allocate(capacity: lanes * count)
        partials.initialize(repeating: 0, count: lanes * count)
        defer { partials.deallocate() }
        BLASInfo.ensureConfigured()
        func lane(_ l: Int) {
            let acc = partials + l * count
            for b in stride(from: l, to: batch, by: lanes) { for g in 0..<groups {
                let dyBlock = dy + (b * cout + g * coutG) * s, xBlock = x + (b * cin + g * cinG) * s
                serialGemm(transB: true, m: coutG, n: cinG, k: s, a: dyBlock, lda: s, b: xBlock, ldb: s,
                           beta: 1, c: acc + g * coutG * cinG, ldc: cinG)
            } }
        }
        if Parallelism.workers >= lanes {
            DispatchQueue.concurrentPerform(iterations: lanes) { lane($0) }
        } else {
            for l in 0..<lanes { lane(l) }
        }
        for e in 0..<count { result[e] = partials[e] + partials[count + e] }
    }
}

extension Tensor {
    /// `conv2d` for a geometry that `runsPointwisePerImage`.
    func pointwiseConv2d(weight: Tensor, bias: Tensor?, geometry geo: ConvGeometry) -> Tensor {
        let s = geo.spatial
        let out = [Float](unsafeUninitializedCapacity: geo.batch * geo.cout * s) { y, n in
            data.withUnsafeBufferPointer { x in weight.data.withUnsafeBufferPointer { w in
                geo.pointwiseForward(x.baseAddress!, weight: w.baseAddress!, into: y.baseAddress!)
            } }
            if let bias { bias.data.withUnsafeBufferPointer { geo.addBias($0.baseAddress!, to: y.baseAddress!) } }
            n = geo.batch * geo.cout * s
        }
        let inputs = bias.map { [self, weight, $0] } ?? [self, weight]
        return Tensor.record(shape: [geo.batch, geo.cout, geo.oh, geo.ow], data: out, inputs: inputs) { [self] g in
            g.withUnsafeBufferPointer { gp in
                if let bias, bias.requiresGrad {
                    var db = [Float](repeating: 0, count: geo.cout)
                    for b in 0..<geo.batch { for c in 0..<geo.cout {
                        let row = gp.baseAddress! + (b * geo.cout + c) * s
                        var acc: Float = 0
                        for p in 0..<s { acc += row[p] }
                        db[c] += acc
                    } }
                    bias.accumulateGrad(db)
                }
                if weight.requiresGrad {
                    let dw = [Float](unsafeUninitializedCapacity: weight.count) { dp, n in
                        data.withUnsafeBufferPointer { x in
                            geo.pointwiseWeightGradient(x.baseAddress!, outputGradient: gp.baseAddress!,
                                                        into: dp.baseAddress!)
                        }
                        n = weight.count
                    }
                    weight.accumulateGrad(dw)
                }
                if requiresGrad {
                    let dx = [Float](unsafeUninitializedCapacity: count) { xp, n in
                        weight.data.withUnsafeBufferPointer { w in
                            geo.pointwiseInputGradient(gp.baseAddress!, weight: w.baseAddress!, into: xp.baseAddress!)
                        }
                        n = count
                    }
                    accumulateGrad(dx)
                }
            }
        }
    }
}
