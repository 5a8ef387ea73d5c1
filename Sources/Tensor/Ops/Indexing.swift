/// Gather, scatter, index-select and masked select. Indices are plain Int arrays: they are
/// never differentiated.

extension Tensor {
    /// Elements at flat positions `indices` as a 1-D tensor (the backward scatter-adds).
    public func take(_ indices: [Int]) -> Tensor {
        let n = count
        let out = indices.map { i -> Float in
            precondition(i >= 0 && i < n, "take: index \(i) out of 0..<\(n)")
            return data[i]
        }
        return Tensor.record(shape: [indices.count], data: out, inputs: [self]) { [self] g in
            var dx = [Float](repeating: 0, count: n)
            for (k, i) in indices.enumerated() { dx[i] += g[k] }
            accumulateGrad(dx)
        }
    }

    /// The elements where `mask` is true, in row-major order, as a 1-D tensor.
    public func maskedSelect(_ mask: [Bool]) -> Tensor {
        precondition(mask.count == count, "maskedSelect: mask of \(mask.count) for shape \(shape)")
        return take(mask.indices.filter { mask[$0] })
    }

    /// Slices `indices` along `axis` (repeats allowed), like torch.index_select.
    public func indexSelect(axis: Int, _ indices: [Int]) -> Tensor {
        let ax = normalizedAxis(axis), v = AxisView(shape, ax)
        var outShape = shape
        outShape[ax] = indices.count
        let m = indices.count
        var out = [Float](repeating: 0, count: v.outer * m * v.inner)
        data.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { o in
                for i in 0..<v.outer {
                    for (k, idx) in indices.enumerated() {
                        precondition(idx >= 0 && idx < v.length, "indexSelect: index \(idx) out of 0..<\(v.length)")
                        (o.baseAddress! + (i * m + k) * v.inner)
                            .update(from: x.baseAddress! + (i * v.length + idx) * v.inner, count: v.inner)
                    }
                }
            }
        }
        let n = count
        return Tensor.record(shape: outShape, data: out, inputs: [self]) { [self] g in
            var dx = [Float](repeating: 0, count: n)
            for i in 0..<v.outer { for (k, idx) in indices.enumerated() { for j in 0..<v.inner {
                dx[(i * v.length + idx) * v.inner + j] += g[(i * m + k) * v.inner + j]
            } } }
            accumulateGrad(dx)
        }
    }

    /// torch.gather: `indexShape` equals self's shape except along `axis`; the result has that
    /// shape and result[…, k, …] = self[…, indices[…, k, …], …].
    public func gather(axis: Int, indices: [Int], indexShape: [Int]) -> Tensor {
        let ax = normalizedAxis(axis), v = AxisView(shape, ax)
        precondition(indexShape.count == rank && (0..<rank).allSatisfy { $0 == ax || indexShape[$0] == shape[$0] },
                     "gather: index shape \(indexShape) does not match \(shape) outside axis \(ax)")
        precondition(indices.count == indexShape.reduce(1, *), "gather: \(indices.count) indices for shape \(indexShape)")
        let m = indexShape[ax]
        var sources = [Int](repeating: 0, count: indices.count)
        for i in 0..<v.outer { for k in 0..<m { for j in 0..<v.inner {
            let o = (i * m + k) * v.inner + j
            let idx = indices[o]
            precondition(idx >= 0 && idx < v.length, "gather: index \(idx) out of 0..<\(v.length)")
            sources[o] = (i * v.length + idx) * v.inner + j
        } } }
        return take(sources).reshaped(indexShape)
    }

    /// Returns self with `source` added at positions given along `axis` (torch.scatter_add).
    /// `indices` and `source` share `source.shape`, which equals self's outside `axis`.
    public func scatterAdd(axis: Int, indices: [Int], source: Tensor) -> Tensor {
        let ax = normalizedAxis(axis), v = AxisView(shape, ax)
        precondition(source.rank == rank && (0..<rank).allSatisfy { $0 == ax || source.shape[$0] == shape[$0] },
                     "scatterAdd: source shape \(source.shape) does not match \(shape) outside axis \(ax)")
        precondition(indices.count == source.count, "scatterAdd: \(indices.count) indices for \(source.count) values")
        let m = source.shape[ax]
        var targets = [Int](repeating: 0, count: source.count)
        for i in 0..<v.outer { for k in 0..<m { for j in 0..<v.inner {
            let s = (i * m + k) * v.inner + j
            let idx = indices[s]
            precondition(idx >= 0 && idx < v.length, "scatterAdd: index \(idx) out of 0..<\(v.length)")
            targets[s] = (i * v.length + idx) * v.inner + j
        } } }
        var out = data
        for (s, t) in targets.enumerated() { out[t] += source.data[s] }
        return Tensor.record(shape: shape, data: out, inputs: [self, source]) { [self] g in
            accumulateGrad(g)
            if source.requiresGrad { source.accumulateGrad(targets.map { g[$0] }) }
        }
    }
}
