import Foundation
import Tensor

/// Fused losses shared by the distillation terms. Each records one backward closure instead of
/// the five to eight elementwise ops its composed form would, and keeps the teacher a constant.
extension Tensor {
    /// Σ_r w_r · T² · mean_k p_rk·(log p_rk − log q_rk) over the rows of the last axis, with
    /// p = softmax(teacher/T) and q = softmax(self/T): mmdet's `KnowledgeDistillationKLDivLoss`
    /// (KL mean over the bins × T², then weighted and summed). The teacher gets no gradient
    /// (`detach_target=True`); d/dz_s = w·T/n·(q − p). Identical logits give exactly 0.
    public func temperatureKL(teacher: Tensor, temperature t: Float, rowWeights: [Float]) -> Tensor {
        precondition(teacher.shape == shape && rank >= 1, "temperatureKL: student \(shape), teacher \(teacher.shape)")
        let bins = shape.last!, rows = bins == 0 ? 0 : count / bins
        precondition(rowWeights.count == rows, "temperatureKL: \(rowWeights.count) weights for \(rows) rows")
        var q = [Float](repeating: 0, count: count), p = q
        var total = 0.0
        data.withUnsafeBufferPointer { zs in
            teacher.data.withUnsafeBufferPointer { zt in
                var ls = [Float](repeating: 0, count: bins), lt = ls
                for r in 0..<rows where rowWeights[r] != 0 {
                    let o = r * bins
                    logSoftmaxRow(zs, o, bins, t, &ls)
                    logSoftmaxRow(zt, o, bins, t, &lt)
                    var kl = 0.0
                    for k in 0..<bins {
                        let pk = Foundation.exp(lt[k])
                        kl += Double(pk * (lt[k] - ls[k]))
                        p[o + k] = pk; q[o + k] = Foundation.exp(ls[k])
                    }
                    total += Double(rowWeights[r]) * kl
                }
            }
        }
        let scale = t * t / Float(Swift.max(bins, 1))
        return Tensor.record(shape: [], data: [Float(total) * scale], inputs: [self]) { [self] g in
            var dx = [Float](repeating: 0, count: q.count)
            for r in 0..<rows where rowWeights[r] != 0 {
                let c = g[0] * rowWeights[r] * t / Float(bins)
                for k in (r * bins)..<((r + 1) * bins) { dx[k] = c * (q[k] - p[k]) }
            }
            accumulateGrad(dx)
        }
    }

    /// Σ_{b,c,h,w} m_{b,h,w}·(self − target)² for NCHW maps of equal shape, with one weight per
    /// location shared over the channels (`locationWeights` of B·H·W values, row-major). The
    /// target (a teacher map) gets no gradient. Feature imitation's masked squared error.
    public func locationWeightedSquaredError(target: Tensor, locationWeights m: [Float]) -> Tensor {
        precondition(rank == 4 && target.shape == shape, "locationWeightedSquaredError: \(shape) against \(target.shape)")
        let b = shape[0], c = shape[1], hw = shape[2] * shape[3]
        precondition(m.count == b * hw, "locationWeightedSquaredError: \(m.count) weights for \(b)×\(hw) locations")
        var total = 0.0
        data.withUnsafeBufferPointer { s in
            target.data.withUnsafeBufferPointer { t in
                for i in 0..<b { for j in 0..<hw where m[i * hw + j] != 0 {
                    var acc: Float = 0
                    for k in 0..<c { let o = (i * c + k) * hw + j; let d = s[o] - t[o]; acc += d * d }
                    total += Double(m[i * hw + j] * acc)
                } }
            }
        }
        return Tensor.record(shape: [], data: [Float(total)], inputs: [self]) { [self] g in
            var dx = [Float](repeating: 0, count: count)
            for i in 0..<b { for j in 0..<hw where m[i * hw + j] != 0 {
                let w = 2 * g[0] * m[i * hw + j]
                for k in 0..<c { let o = (i * c + k) * hw + j; dx[o] = w * (data[o] - target.data[o]) }
            } }
            accumulateGrad(dx)
        }
    }
}

/// log softmax(x[o..<o+n] / t) into `out`, stably.
@inline(__always)
private func logSoftmaxRow(_ x: UnsafeBufferPointer<Float>, _ o: Int, _ n: Int, _ t: Float, _ out: inout [Float]) {
    var m = -Float.infinity
    for k in 0..<n { m = Swift.max(m, x[o + k] / t) }
    var s: Float = 0
    for k in 0..<n { s += Foundation.exp(x[o + k] / t - m) }
    let lse = m + Foundation.log(s)
    for k in 0..<n { out[k] = x[o + k] / t - lse }
}
