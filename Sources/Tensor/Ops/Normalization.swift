/// Normalization layers' ops: batch, group (and instance), layer. Each saves x̂ for its backward:
///   dx = rstd · (dx̂ − mean(dx̂) − x̂ · mean(dx̂ · x̂)),  with dx̂ = dy · γ, means over the set x was
///   normalised over. Statistics accumulate in Double: sums over 10⁵ elements lose digits in Float.

extension Tensor {
    /// Batch normalisation of x [N, C, ...] per channel.
    /// Training: batch statistics, and `runningMean`/`runningVar` move by `momentum` (PyTorch's
    /// convention, unbiased variance in the running estimate). Otherwise: the running statistics.
    public func batchNorm(weight: Tensor?, bias: Tensor?, runningMean: Tensor, runningVar: Tensor,
                          training: Bool, momentum: Float = 0.1, eps: Float = 1e-5) -> Tensor {
        precondition(rank >= 2, "batchNorm: input \(shape) needs [N, C, ...]")
        let n = shape[0], c = shape[1], spatial = shape[2...].reduce(1, *)
        precondition(runningMean.count == c && runningVar.count == c, "batchNorm: running stats for \(c) channels")
        let per = n * spatial
        var mean = [Float](repeating: 0, count: c), rstd = [Float](repeating: 0, count: c)
        if training {
            precondition(per > 1, "batchNorm: training needs more than one value per channel, got input \(shape)")
            data.withUnsafeBufferPointer { x in
                mean.withUnsafeMutableBufferPointer { mp in rstd.withUnsafeMutableBufferPointer { rp in
                    parallelChunks(c) { channels in
                        for ch in channels {
                            var s = 0.0, s2 = 0.0
                            for b in 0..<n {
                                let (rs, rs2) = sumAndSumOfSquares(x.baseAddress! + (b * c + ch) * spatial, spatial)
                                s += Double(rs); s2 += Double(rs2)
                            }
                            let m = s / Double(per), v = Swift.max(s2 / Double(per) - m * m, 0)
                            mp[ch] = Float(m); rp[ch] = Float(1 / (v + Double(eps)).squareRoot())
                        }
                    }
                } }
            }
            runningMean.withMutableData { rm in runningVar.withMutableData { rv in
                for ch in 0..<c {
                    let variance = 1 / (rstd[ch] * rstd[ch]) - eps
                    rm[ch] = (1 - momentum) * rm[ch] + momentum * mean[ch]
                    rv[ch] = (1 - momentum) * rv[ch] + momentum * variance * Float(per) / Float(per - 1)
                }
            } }
        } else {
            for ch in 0..<c { mean[ch] = runningMean.data[ch]; rstd[ch] = 1 / (runningVar.data[ch] + eps).squareRoot() }
        }
        let gamma = weight?.data, beta = bias?.data
        var xhat = [Float](repeating: 0, count: count)
        let y = [Float](unsafeUninitializedCapacity: count) { yp, filled in
            data.withUnsafeBufferPointer { x in xhat.withUnsafeMutableBufferPointer { hp in
                parallelChunks(n * c) { rows in
                    for r in rows {
                        let ch = r % c, m = mean[ch], s = rstd[ch]
                        let gm = gamma?[ch] ?? 1, bt = beta?[ch] ?? 0
                        let off = r * spatial
                        for p in 0..<spatial {
                            let h = (x[off + p] - m) * s
                            hp[off + p] = h
                            yp[off + p] = h * gm + bt
                        }
                    }
                }
            } }
            filled = count
        }
        var inputs = [self]
        if let weight { inputs.append(weight) }
        if let bias { inputs.append(bias) }
        return Tensor.record(shape: shape, data: y, inputs: inputs) { [self] g in
            var dgamma = [Float](repeating: 0, count: c), dbeta = [Float](repeating: 0, count: c)
            var dx = [Float](repeating: 0, count: training || requiresGrad ? count : 0)
            g.withUnsafeBufferPointer { gp in xhat.withUnsafeBufferPointer { hp in
                dgamma.withUnsafeMutableBufferPointer { dg in dbeta.withUnsafeMutableBufferPointer { db in
                    dx.withUnsafeMutableBufferPointer { dxp in
                        parallelChunks(c) { channels in
                            for ch in channels {
                                var sg = 0.0, sgh = 0.0
                                for b in 0..<n {
                                    let off = (b * c + ch) * spatial
                                    let (rg, rgh) = sumAndDot(gp.baseAddress! + off, hp.baseAddress! + off, spatial)
                                    sg += Double(rg); sgh += Double(rgh)
                                }
                                dg[ch] = Float(sgh); db[ch] = Float(sg)
                                guard requiresGrad else { continue }
                                let gm = gamma?[ch] ?? 1, s = rstd[ch]
                                if training {
                                    let mg = Float(sg / Double(per)) * gm, mgh = Float(sgh / Double(per)) * gm
                                    for b in 0..<n {
                                        let off = (b * c + ch) * spatial
                                        for p in 0..<spatial { dxp[off + p] = s * (gp[off + p] * gm - mg - hp[off + p] * mgh) }
                                    }
                                } else {
                                    for b in 0..<n {
                                        let off = (b * c + ch) * spatial
                                        for p in 0..<spatial { dxp[off + p] = gp[off + p] * gm * s }
                                    }
                                }
                            }
                        }
                    }
                } }
            } }
            if requiresGrad { accumulateGrad(dx) }
            weight?.accumulateGrad(dgamma)
            bias?.accumulateGrad(dbeta)
        }
    }

    /// Group normalisation of x [N, C, ...]: statistics per sample over each group of C/groups
    /// channels; per-channel affine γ, β. `groups == C` is instance normalisation.
    public func groupNorm(groups: Int, weight: Tensor?, bias: Tensor?, eps: Float = 1e-5) -> Tensor {
        precondition(rank >= 2 && shape[1] % groups == 0, "groupNorm: \(groups) groups for input \(shape)")
        let spatial = shape[2...].reduce(1, *)
        return normalizeBlocks(blocks: shape[0] * groups, channelsPerBlock: shape[1] / groups, spatial: spatial,
                               groupsPerSample: groups, weight: weight, bias: bias, eps: eps)
    }

    /// Instance normalisation: group normalisation with one channel per group.
    public func instanceNorm(weight: Tensor?, bias: Tensor?, eps: Float = 1e-5) -> Tensor {
        groupNorm(groups: shape[1], weight: weight, bias: bias, eps: eps)
    }

    /// Layer normalisation over the last `normalizedCount` elements of each row, with
    /// element-wise affine γ, β of that size.
    public func layerNorm(normalizedCount d: Int, weight: Tensor?, bias: Tensor?, eps: Float = 1e-5) -> Tensor {
        precondition(d > 0 && count % d == 0, "layerNorm: \(d) does not divide input \(shape)")
        return normalizeBlocks(blocks: count / d, channelsPerBlock: d, spatial: 1, groupsPerSample: 1,
                               weight: weight, bias: bias, eps: eps)
    }

    /// Normalises contiguous blocks of `channelsPerBlock` rows of `spatial` values each; row `c` of
    /// block `b` has affine index (b mod groupsPerSample)·channelsPerBlock + c.
    private func normalizeBlocks(blocks: Int, channelsPerBlock cpb: Int, spatial sp: Int, groupsPerSample gps: Int,
                                 weight: Tensor?, bias: Tensor?, eps: Float) -> Tensor {
        let affineCount = gps * cpb, blockSize = cpb * sp, total = count
        if let weight { precondition(weight.count == affineCount, "norm: weight \(weight.shape) for \(affineCount) features") }
        if let bias { precondition(bias.count == affineCount, "norm: bias \(bias.shape) for \(affineCount) features") }
        let gamma = weight?.data ?? [Float](repeating: 1, count: affineCount)
        let beta = bias?.data ?? [Float](repeating: 0, count: affineCount)
        var rstd = [Float](repeating: 0, count: blocks)
        var xhat = [Float](unsafeUninitializedCapacity: total) { _, n in n = total }
        let y = [Float](unsafeUninitializedCapacity: total) { yp, filled in
            data.withUnsafeBufferPointer { x in xhat.withUnsafeMutableBufferPointer { hp in rstd.withUnsafeMutableBufferPointer { rp in
                parallelChunks(blocks) { range in
                    for blk in range {
                        let off = blk * blockSize
                        var s = 0.0, s2 = 0.0
                        for c in 0..<cpb {
                            var rs: Float = 0, rs2: Float = 0
                            let row = x.baseAddress! + off + c * sp
                            for p in 0..<sp { let v = row[p]; rs += v; rs2 += v * v }
                            s += Double(rs); s2 += Double(rs2)
                        }
                        let m = s / Double(blockSize), v = Swift.max(s2 / Double(blockSize) - m * m, 0)
                        let r = Float(1 / (v + Double(eps)).squareRoot()), mf = Float(m)
                        rp[blk] = r
                        let a0 = (blk % gps) * cpb
                        for c in 0..<cpb {
                            let g = gamma[a0 + c], b = beta[a0 + c]
                            let o = off + c * sp
                            for p in 0..<sp {
                                let h = (x[o + p] - mf) * r
                                hp[o + p] = h
                                yp[o + p] = h * g + b
                            }
                        }
                    }
                }
            } } }
            filled = total
        }
        var inputs = [self]
        if let weight { inputs.append(weight) }
        if let bias { inputs.append(bias) }
        return Tensor.record(shape: shape, data: y, inputs: inputs) { [self] g in
            // Per block and row: Σ dy and Σ dy·x̂, from which dγ, dβ and dx all follow.
            var rowSum = [Float](repeating: 0, count: blocks * cpb), rowDot = [Float](repeating: 0, count: blocks * cpb)
            var dx = [Float](unsafeUninitializedCapacity: requiresGrad ? total : 0) { _, n in n = requiresGrad ? total : 0 }
            g.withUnsafeBufferPointer { gp in xhat.withUnsafeBufferPointer { hp in
                rowSum.withUnsafeMutableBufferPointer { rs in rowDot.withUnsafeMutableBufferPointer { rd in
                    dx.withUnsafeMutableBufferPointer { dxp in
                        parallelChunks(blocks) { range in
                            for blk in range {
                                let off = blk * blockSize, a0 = (blk % gps) * cpb
                                var sg = 0.0, sgh = 0.0
                                for c in 0..<cpb {
                                    let o = off + c * sp
                                    var a: Float = 0, b: Float = 0
                                    for p in 0..<sp { a += gp[o + p]; b += gp[o + p] * hp[o + p] }
                                    rs[blk * cpb + c] = a; rd[blk * cpb + c] = b
                                    sg += Double(a * gamma[a0 + c]); sgh += Double(b * gamma[a0 + c])
                                }
                                guard requiresGrad else { continue }
                                let mg = Float(sg / Double(blockSize)), mgh = Float(sgh / Double(blockSize)), r = rstd[blk]
                                for c in 0..<cpb {
                                    let gm = gamma[a0 + c], o = off + c * sp
                                    for p in 0..<sp { dxp[o + p] = r * (gp[o + p] * gm - mg - hp[o + p] * mgh) }
                                }
                            }
                        }
                    }
                } }
            } }
            if weight?.requiresGrad == true || bias?.requiresGrad == true {
                var dgamma = [Float](repeating: 0, count: affineCount), dbeta = [Float](repeating: 0, count: affineCount)
                for blk in 0..<blocks {
                    let a0 = (blk % gps) * cpb
                    for c in 0..<cpb { dgamma[a0 + c] += rowDot[blk * cpb + c]; dbeta[a0 + c] += rowSum[blk * cpb + c] }
                }
                weight?.accumulateGrad(dgamma)
                bias?.accumulateGrad(dbeta)
            }
            if requiresGrad { accumulateGrad(dx) }
        }
    }
}
