import Foundation

/// Reductions along one axis, viewed as (outer, length, inner) with the axis in the middle.
struct AxisView {
    let outer: Int, length: Int, inner: Int
    init(_ shape: [Int], _ axis: Int) {
        outer = shape[..<axis].reduce(1, *)
        length = shape[axis]
        inner = shape[(axis + 1)...].reduce(1, *)
    }
}

extension Tensor {
    func normalizedAxis(_ axis: Int) -> Int {
        let a = axis < 0 ? axis + rank : axis
        precondition(a >= 0 && a < rank, "axis \(axis) out of range for shape \(shape)")
        return a
    }

    func reducedShape(_ axis: Int, keepDims: Bool) -> [Int] {
        var s = shape
        if keepDims { s[axis] = 1 } else { s.remove(at: axis) }
        return s
    }

    /// Sum of all elements (a scalar tensor).
    public func sum() -> Tensor {
        var s: Double = 0
        data.withUnsafeBufferPointer { p in for v in p { s += Double(v) } }
        let n = count
        return Tensor.record(shape: [], data: [Float(s)], inputs: [self]) { [self] g in
            accumulateGrad([Float](repeating: g[0], count: n))
        }
    }

    /// Mean of all elements (a scalar tensor).
    public func mean() -> Tensor { sum().scaled(by: 1 / Float(Swift.max(count, 1))) }

    /// Sum along `axis`.
    public func sum(axis: Int, keepDims: Bool = false) -> Tensor {
        let ax = normalizedAxis(axis), v = AxisView(shape, ax)
        var out = [Float](repeating: 0, count: v.outer * v.inner)
        data.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { o in
                for i in 0..<v.outer {
                    let dst = o.baseAddress! + i * v.inner
                    for l in 0..<v.length {
                        let src = x.baseAddress! + (i * v.length + l) * v.inner
                        for j in 0..<v.inner { dst[j] += src[j] }
                    }
                }
            }
        }
        let n = count
        return Tensor.record(shape: reducedShape(ax, keepDims: keepDims), data: out, inputs: [self]) { [self] g in
            let dx = [Float](unsafeUninitializedCapacity: n) { d, c in
                for i in 0..<v.outer { for l in 0..<v.length { for j in 0..<v.inner {
                    d[(i * v.length + l) * v.inner + j] = g[i * v.inner + j]
                } } }
                c = n
            }
            accumulateGrad(dx)
        }
    }

    /// Sum over several axes.
    public func sum(axes: [Int], keepDims: Bool = false) -> Tensor {
        let sorted = axes.map(normalizedAxis).sorted(by: >)
        var t = self
        for a in sorted { t = t.sum(axis: a, keepDims: keepDims) }
        return t
    }

    public func mean(axis: Int, keepDims: Bool = false) -> Tensor {
        sum(axis: axis, keepDims: keepDims).scaled(by: 1 / Float(shape[normalizedAxis(axis)]))
    }

    public func mean(axes: [Int], keepDims: Bool = false) -> Tensor {
        let n = axes.map { shape[normalizedAxis($0)] }.reduce(1, *)
        return sum(axes: axes, keepDims: keepDims).scaled(by: 1 / Float(n))
    }

    /// Maximum along `axis`; the gradient goes to the first maximal element.
    public func max(axis: Int, keepDims: Bool = false) -> Tensor { extreme(axis: axis, keepDims: keepDims, >) }

    /// Minimum along `axis`; the gradient goes to the first minimal element.
    public func min(axis: Int, keepDims: Bool = false) -> Tensor { extreme(axis: axis, keepDims: keepDims, <) }

    /// Index of the maximum along `axis` (not differentiable).
    public func argmax(axis: Int) -> [Int] { extremeIndices(axis: normalizedAxis(axis), >) }

    private func extremeIndices(axis ax: Int, _ better: (Float, Float) -> Bool) -> [Int] {
        let v = AxisView(shape, ax)
        var idx = [Int](repeating: 0, count: v.outer * v.inner)
        data.withUnsafeBufferPointer { x in
            for i in 0..<v.outer { for j in 0..<v.inner {
                var best = x[i * v.length * v.inner + j], bi = 0
                for l in 1..<Swift.max(v.length, 1) {
                    let val = x[(i * v.length + l) * v.inner + j]
                    if better(val, best) || (val.isNaN && !best.isNaN) { best = val; bi = l }
                }
                idx[i * v.inner + j] = bi
            } }
        }
        return idx
    }

    private func extreme(axis: Int, keepDims: Bool, _ better: (Float, Float) -> Bool) -> Tensor {
        let ax = normalizedAxis(axis), v = AxisView(shape, ax)
        precondition(v.length > 0, "max/min over an empty axis")
        let idx = extremeIndices(axis: ax, better)
        var out = [Float](repeating: 0, count: idx.count)
        for i in 0..<v.outer { for j in 0..<v.inner {
            out[i * v.inner + j] = data[(i * v.length + idx[i * v.inner + j]) * v.inner + j]
        } }
        let n = count
        return Tensor.record(shape: reducedShape(ax, keepDims: keepDims), data: out, inputs: [self]) { [self] g in
            var dx = [Float](repeating: 0, count: n)
            for i in 0..<v.outer { for j in 0..<v.inner {
                dx[(i * v.length + idx[i * v.inner + j]) * v.inner + j] = g[i * v.inner + j]
            } }
            accumulateGrad(dx)
        }
    }

    /// log Σ exp along `axis`, computed stably.
    public func logsumexp(axis: Int, keepDims: Bool = false) -> Tensor {
        let ax = normalizedAxis(axis), v = AxisView(shape, ax)
        var out = [Float](repeating: 0, count: v.outer * v.inner)
        data.withUnsafeBufferPointer { x in
            for i in 0..<v.outer { for j in 0..<v.inner {
                var m = -Float.infinity
                for l in 0..<v.length { m = Swift.max(m, x[(i * v.length + l) * v.inner + j]) }
                var s: Float = 0
                for l in 0..<v.length { s += Foundation.exp(x[(i * v.length + l) * v.inner + j] - m) }
                out[i * v.inner + j] = m + Foundation.log(s)
            } }
        }
        let n = count
        return Tensor.record(shape: reducedShape(ax, keepDims: keepDims), data: out, inputs: [self]) { [self] g in
            // d lse / dx = softmax(x)
            var dx = [Float](repeating: 0, count: n)
            for i in 0..<v.outer { for l in 0..<v.length { for j in 0..<v.inner {
                let k = (i * v.length + l) * v.inner + j
                dx[k] = g[i * v.inner + j] * Foundation.exp(data[k] - out[i * v.inner + j])
            } } }
            accumulateGrad(dx)
        }
    }

    /// Softmax along `axis`.
    public func softmax(axis: Int) -> Tensor {
        let ax = normalizedAxis(axis), v = AxisView(shape, ax)
        let y = softmaxValues(v, log: false)
        return Tensor.record(shape: shape, data: y, inputs: [self]) { [self] g in
            // dx = y ⊙ (g − Σ g·y)
            var dx = [Float](repeating: 0, count: y.count)
            for i in 0..<v.outer { for j in 0..<v.inner {
                var dot: Float = 0
                for l in 0..<v.length { let k = (i * v.length + l) * v.inner + j; dot += g[k] * y[k] }
                for l in 0..<v.length { let k = (i * v.length + l) * v.inner + j; dx[k] = y[k] * (g[k] - dot) }
            } }
            accumulateGrad(dx)
        }
    }

    /// log-softmax along `axis`.
    public func logSoftmax(axis: Int) -> Tensor {
        let ax = normalizedAxis(axis), v = AxisView(shape, ax)
        let y = softmaxValues(v, log: true)
        return Tensor.record(shape: shape, data: y, inputs: [self]) { [self] g in
            // dx = g − softmax · Σ g
            var dx = [Float](repeating: 0, count: y.count)
            for i in 0..<v.outer { for j in 0..<v.inner {
                var total: Float = 0
                for l in 0..<v.length { total += g[(i * v.length + l) * v.inner + j] }
                for l in 0..<v.length {
                    let k = (i * v.length + l) * v.inner + j
                    dx[k] = g[k] - Foundation.exp(y[k]) * total
                }
            } }
            accumulateGrad(dx)
        }
    }

    private func softmaxValues(_ v: AxisView, log: Bool) -> [Float] {
        var y = [Float](repeating: 0, count: count)
        data.withUnsafeBufferPointer { x in
            for i in 0..<v.outer { for j in 0..<v.inner {
                var m = -Float.infinity
                for l in 0..<v.length { m = Swift.max(m, x[(i * v.length + l) * v.inner + j]) }
                var s: Float = 0
                for l in 0..<v.length { s += Foundation.exp(x[(i * v.length + l) * v.inner + j] - m) }
                let ls = Foundation.log(s)
                for l in 0..<v.length {
                    let k = (i * v.length + l) * v.inner + j
                    y[k] = log ? x[k] - m - ls : Foundation.exp(x[k] - m - ls)
                }
            } }
        }
        return y
    }
}
