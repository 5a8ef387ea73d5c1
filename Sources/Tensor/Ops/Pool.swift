/// Pooling and nearest upsampling over x [N, C, H, W].

extension Tensor {
    /// Max pooling; padding counts as −∞. The gradient goes to the first maximum of each window.
    public func maxPool2d(kernel: Int, stride: Int? = nil, padding: Int = 0) -> Tensor {
        let s = stride ?? kernel
        let (n, c, h, w) = (shape[0], shape[1], shape[2], shape[3])
        let oh = (h + 2 * padding - kernel) / s + 1, ow = (w + 2 * padding - kernel) / s + 1
        precondition(rank == 4 && oh > 0 && ow > 0, "maxPool2d: input \(shape), kernel \(kernel)")
        var argmax = [Int](repeating: -1, count: n * c * oh * ow)
        var out = [Float](repeating: 0, count: n * c * oh * ow)
        data.withUnsafeBufferPointer { x in argmax.withUnsafeMutableBufferPointer { ap in out.withUnsafeMutableBufferPointer { op in
            parallelChunks(n * c) { planes in
                for pl in planes {
                    let src = pl * h * w
                    for oy in 0..<oh { for ox in 0..<ow {
                        var best = -Float.infinity, bi = -1
                        for i in 0..<kernel {
                            let iy = oy * s - padding + i
                            if iy < 0 || iy >= h { continue }
                            for j in 0..<kernel {
                                let ix = ox * s - padding + j
                                if ix < 0 || ix >= w { continue }
                                let v = x[src + iy * w + ix]
                                if v > best || bi < 0 { best = v; bi = src + iy * w + ix }
                            }
                        }
                        let o = (pl * oh + oy) * ow + ox
                        op[o] = best; ap[o] = bi
                    } }
                }
            }
        } } }
        let total = count
        return Tensor.record(shape: [n, c, oh, ow], data: out, inputs: [self]) { [self] g in
            var dx = [Float](repeating: 0, count: total)
            for (o, i) in argmax.enumerated() where i >= 0 { dx[i] += g[o] }
            accumulateGrad(dx)
        }
    }

    /// Average pooling; with `countIncludePad` false the divisor is the number of real pixels;
    /// `ceilMode` as PyTorch's (a partial last window).
    public func avgPool2d(kernel: Int, stride: Int? = nil, padding: Int = 0, countIncludePad: Bool = true,
                          ceilMode: Bool = false) -> Tensor {
        let s = stride ?? kernel
        let (n, c, h, w) = (shape[0], shape[1], shape[2], shape[3])
        // PyTorch's output size: ceil mode adds a partial last window unless it would start in
        // the right/bottom padding.
        func outputSize(_ size: Int) -> Int {
            let span = size + 2 * padding - kernel
            var o = (ceilMode ? (span + s - 1) / s : span / s) + 1
            if ceilMode && (o - 1) * s >= size + padding { o -= 1 }
            return o
        }
        let oh = outputSize(h), ow = outputSize(w)
        precondition(rank == 4 && oh > 0 && ow > 0, "avgPool2d: input \(shape), kernel \(kernel)")
        // Window bounds and divisor per output position, shared by forward and backward. With
        // padding counted, the divisor is the window clipped to the padded map (PyTorch's).
        func window(_ o: Int, _ size: Int) -> Range<Int> { Swift.max(0, o * s - padding)..<Swift.min(size, o * s - padding + kernel) }
        func padded(_ o: Int, _ size: Int) -> Int { Swift.min(o * s - padding + kernel, size + padding) - (o * s - padding) }
        func divisor(_ oy: Int, _ ox: Int) -> Float {
            countIncludePad ? Float(padded(oy, h) * padded(ox, w)) : Float(window(oy, h).count * window(ox, w).count)
        }
        var out = [Float](repeating: 0, count: n * c * oh * ow)
        for pl in 0..<(n * c) { for oy in 0..<oh { for ox in 0..<ow {
            var sum: Float = 0
            for iy in window(oy, h) { for ix in window(ox, w) { sum += data[(pl * h + iy) * w + ix] } }
            out[(pl * oh + oy) * ow + ox] = sum / divisor(oy, ox)
        } } }
        let total = count
        return Tensor.record(shape: [n, c, oh, ow], data: out, inputs: [self]) { [self] g in
            var dx = [Float](repeating: 0, count: total)
            for pl in 0..<(n * c) { for oy in 0..<oh { for ox in 0..<ow {
                let v = g[(pl * oh + oy) * ow + ox] / divisor(oy, ox)
                for iy in window(oy, h) { for ix in window(ox, w) { dx[(pl * h + iy) * w + ix] += v } }
            } } }
            accumulateGrad(dx)
        }
    }

    /// Mean over the spatial dimensions: [N, C, H, W] → [N, C].
    public func globalAvgPool() -> Tensor { mean(axes: [2, 3]) }

    /// Nearest-neighbour upsampling to [oh, ow] with PyTorch's index rule floor(o · in / out).
    public func upsampleNearest(height oh: Int, width ow: Int) -> Tensor {
        precondition(rank == 4, "upsampleNearest: input \(shape) must be 4-D")
        let (n, c, h, w) = (shape[0], shape[1], shape[2], shape[3])
        let ys = (0..<oh).map { Swift.min(h - 1, $0 * h / oh) }, xs = (0..<ow).map { Swift.min(w - 1, $0 * w / ow) }
        let total = n * c * oh * ow
        let out = [Float](unsafeUninitializedCapacity: total) { op, filled in
            data.withUnsafeBufferPointer { x in
                parallelChunks(n * c) { planes in
                    for pl in planes { for oy in 0..<oh {
                        let src = x.baseAddress! + (pl * h + ys[oy]) * w, dst = op.baseAddress! + (pl * oh + oy) * ow
                        for ox in 0..<ow { dst[ox] = src[xs[ox]] }
                    } }
                }
            }
            filled = total
        }
        let inCount = count
        return Tensor.record(shape: [n, c, oh, ow], data: out, inputs: [self]) { [self] g in
            var dx = [Float](repeating: 0, count: inCount)
            for pl in 0..<(n * c) { for oy in 0..<oh { for ox in 0..<ow {
                dx[(pl * h + ys[oy]) * w + xs[ox]] += g[(pl * oh + oy) * ow + ox]
            } } }
            accumulateGrad(dx)
        }
    }

    public func upsampleNearest(scale: Int) -> Tensor {
        upsampleNearest(height: shape[2] * scale, width: shape[3] * scale)
    }
}
