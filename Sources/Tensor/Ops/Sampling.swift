import Foundation

/// Bilinear sampling with gradients to both the feature map and the sampling locations: the
/// primitive under RoIAlign, deformable attention and deformable convolution.

extension Tensor {
    /// Samples x [N, C, H, W] at points [N, P, 2] given as (x, y) in pixel-index coordinates
    /// (pixel (i, j) has its value at x = j, y = i); result [N, C, P]. Locations outside the map
    /// read zeros (each of the four neighbours counts only if it lies inside).
    public func bilinearSample(at points: Tensor) -> Tensor {
        precondition(rank == 4 && points.rank == 3 && points.shape[0] == shape[0] && points.shape[2] == 2,
                     "bilinearSample: map \(shape), points \(points.shape); expected [N,C,H,W] and [N,P,2]")
        let (n, c, h, w) = (shape[0], shape[1], shape[2], shape[3])
        let p = points.shape[1]
        // Per point: four neighbour offsets (−1 when outside) and their weights.
        struct Corner { var index: (Int, Int, Int, Int); var weight: (Float, Float, Float, Float); var fx: Float; var fy: Float }
        var corners = [Corner]()
        corners.reserveCapacity(n * p)
        for b in 0..<n { for q in 0..<p {
            let px = points.data[(b * p + q) * 2], py = points.data[(b * p + q) * 2 + 1]
            let x0f = Foundation.floor(px), y0f = Foundation.floor(py)
            let fx = px - x0f, fy = py - y0f
            // Far outside (a diverging offset) every corner is outside: clamp before converting.
            let x0 = Int(x0f.isFinite ? Swift.min(Swift.max(x0f, -2), Float(w + 1)) : -2)
            let y0 = Int(y0f.isFinite ? Swift.min(Swift.max(y0f, -2), Float(h + 1)) : -2)
            func at(_ yy: Int, _ xx: Int) -> Int { yy >= 0 && yy < h && xx >= 0 && xx < w ? yy * w + xx : -1 }
            corners.append(Corner(index: (at(y0, x0), at(y0, x0 + 1), at(y0 + 1, x0), at(y0 + 1, x0 + 1)),
                                  weight: ((1 - fy) * (1 - fx), (1 - fy) * fx, fy * (1 - fx), fy * fx),
                                  fx: fx, fy: fy))
        } }
        @inline(__always) func read(_ plane: UnsafePointer<Float>, _ i: Int) -> Float { i >= 0 ? plane[i] : 0 }
        // Planes (image, channel) are independent: split them over the workers.
        let out = [Float](unsafeUninitializedCapacity: n * c * p) { op, filled in
            data.withUnsafeBufferPointer { x in corners.withUnsafeBufferPointer { ks in
                parallelChunks(n * c, minPerChunk: 4) { planes in
                    for pl in planes {
                        let plane = x.baseAddress! + pl * h * w, b = pl / c
                        for q in 0..<p {
                            let k = ks[b * p + q]
                            op[pl * p + q] = k.weight.0 * read(plane, k.index.0) + k.weight.1 * read(plane, k.index.1)
                                + k.weight.2 * read(plane, k.index.2) + k.weight.3 * read(plane, k.index.3)
                        }
                    }
                }
            } }
            filled = n * c * p
        }
        let total = count
        return Tensor.record(shape: [n, c, p], data: out, inputs: [self, points]) { [self] g in
            var dx = [Float](repeating: 0, count: requiresGrad ? total : 0)
            var dp = [Float](repeating: 0, count: points.requiresGrad ? points.count : 0)
            data.withUnsafeBufferPointer { x in corners.withUnsafeBufferPointer { ks in g.withUnsafeBufferPointer { gp in
                if requiresGrad {
                    // Each plane's gradient gathers only from its own outputs.
                    dx.withUnsafeMutableBufferPointer { dxp in
                        parallelChunks(n * c, minPerChunk: 4) { planes in
                            for pl in planes {
                                let base = pl * h * w, b = pl / c
                                for q in 0..<p {
                                    let k = ks[b * p + q], go = gp[pl * p + q]
                                    if k.index.0 >= 0 { dxp[base + k.index.0] += go * k.weight.0 }
                                    if k.index.1 >= 0 { dxp[base + k.index.1] += go * k.weight.1 }
                                    if k.index.2 >= 0 { dxp[base + k.index.2] += go * k.weight.2 }
                                    if k.index.3 >= 0 { dxp[base + k.index.3] += go * k.weight.3 }
                                }
                            }
                        }
                    }
                }
                if points.requiresGrad {
                    // Each point's gradient sums over the channels: split the points.
                    dp.withUnsafeMutableBufferPointer { dpp in
                        parallelChunks(n * p, minPerChunk: 64) { range in
                            for bq in range {
                                let b = bq / p, q = bq % p, k = ks[bq]
                                var gx: Float = 0, gy: Float = 0
                                for ch in 0..<c {
                                    let plane = x.baseAddress! + (b * c + ch) * h * w, go = gp[(b * c + ch) * p + q]
                                    let v00 = read(plane, k.index.0), v01 = read(plane, k.index.1)
                                    let v10 = read(plane, k.index.2), v11 = read(plane, k.index.3)
                                    gx += go * ((1 - k.fy) * (v01 - v00) + k.fy * (v11 - v10))
                                    gy += go * ((1 - k.fx) * (v10 - v00) + k.fx * (v11 - v01))
                                }
                                dpp[bq * 2] = gx
                                dpp[bq * 2 + 1] = gy
                            }
                        }
                    }
                }
            } } }
            if requiresGrad { accumulateGrad(dx) }
            if points.requiresGrad { points.accumulateGrad(dp) }
        }
    }
}
