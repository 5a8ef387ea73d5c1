/// Shape ops: reshape, permute, slice, concat, split, broadcast. Storage is contiguous, so the
/// ones that move data copy; their backward moves the gradient back the same way.

extension Tensor {
    /// Same values, new shape; one dimension may be -1 (inferred).
    public func reshaped(_ newShape: [Int]) -> Tensor {
        var s = newShape
        if let i = s.firstIndex(of: -1) {
            let known = s.enumerated().filter { $0.offset != i }.map(\.element).reduce(1, *)
            precondition(known > 0 && count % known == 0, "reshape: cannot infer -1 in \(newShape) from \(shape)")
            s[i] = count / known
        }
        precondition(s.reduce(1, *) == count, "reshape: \(shape) (\(count) elements) to \(newShape)")
        return Tensor.record(shape: s, data: data, inputs: [self]) { [self] g in accumulateGrad(g) }
    }

    public func flattened(fromAxis axis: Int = 0) -> Tensor {
        let a = normalizedAxis(axis)
        return reshaped(Array(shape[..<a]) + [shape[a...].reduce(1, *)])
    }

    /// Reorders dimensions: result dimension i is input dimension `order[i]`.
    public func permuted(_ order: [Int]) -> Tensor {
        precondition(order.sorted() == Array(0..<rank), "permute: \(order) is not a permutation of rank \(rank)")
        if order == Array(0..<rank) { return reshaped(shape) }
        let outShape = order.map { shape[$0] }
        let values = permute(data, shape: shape, order: order)
        var inverse = [Int](repeating: 0, count: rank)
        for (i, o) in order.enumerated() { inverse[o] = i }
        return Tensor.record(shape: outShape, data: values, inputs: [self]) { [self] g in
            accumulateGrad(permute(g, shape: outShape, order: inverse))
        }
    }

    /// Swaps the last two dimensions.
    public func transposed() -> Tensor {
        precondition(rank >= 2)
        var order = Array(0..<rank)
        order.swapAt(rank - 1, rank - 2)
        return permuted(order)
    }

    /// Elements `range` along `axis`.
    public func slice(axis: Int, _ range: Range<Int>) -> Tensor {
        let ax = normalizedAxis(axis), v = AxisView(shape, ax)
        precondition(range.lowerBound >= 0 && range.upperBound <= v.length, "slice: \(range) out of 0..<\(v.length)")
        var outShape = shape
        outShape[ax] = range.count
        let rowIn = v.length * v.inner, rowOut = range.count * v.inner
        var out = [Float](repeating: 0, count: v.outer * rowOut)
        data.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { o in
                for i in 0..<v.outer {
                    (o.baseAddress! + i * rowOut).update(from: x.baseAddress! + i * rowIn + range.lowerBound * v.inner,
                                                        count: rowOut)
                }
            }
        }
        let n = count
        return Tensor.record(shape: outShape, data: out, inputs: [self]) { [self] g in
            var dx = [Float](repeating: 0, count: n)
            dx.withUnsafeMutableBufferPointer { d in
                g.withUnsafeBufferPointer { gp in
                    for i in 0..<v.outer {
                        (d.baseAddress! + i * rowIn + range.lowerBound * v.inner)
                            .update(from: gp.baseAddress! + i * rowOut, count: rowOut)
                    }
                }
            }
            accumulateGrad(dx)
        }
    }

    /// Joins tensors along `axis`; all other dimensions must agree.
    public static func concat(_ parts: [Tensor], axis: Int) -> Tensor {
        precondition(!parts.isEmpty, "concat: no tensors")
        let ax = parts[0].normalizedAxis(axis)
        for p in parts {
            precondition(p.rank == parts[0].rank && (0..<p.rank).allSatisfy { $0 == ax || p.shape[$0] == parts[0].shape[$0] },
                         "concat: shapes \(parts.map(\.shape)) differ outside axis \(ax)")
        }
        var outShape = parts[0].shape
        outShape[ax] = parts.map { $0.shape[ax] }.reduce(0, +)
        let outer = outShape[..<ax].reduce(1, *), inner = outShape[(ax + 1)...].reduce(1, *)
        let rowOut = outShape[ax] * inner
        var out = [Float](repeating: 0, count: outer * rowOut)
        var offsets: [Int] = []
        var offset = 0
        out.withUnsafeMutableBufferPointer { o in
            for p in parts {
                offsets.append(offset)
                let row = p.shape[ax] * inner
                p.data.withUnsafeBufferPointer { x in
                    for i in 0..<outer {
                        (o.baseAddress! + i * rowOut + offset).update(from: x.baseAddress! + i * row, count: row)
                    }
                }
                offset += row
            }
        }
        return record(shape: outShape, data: out, inputs: parts) { g in
            for (p, off) in zip(parts, offsets) where p.requiresGrad {
                let row = p.shape[ax] * inner
                var dx = [Float](repeating: 0, count: p.count)
                dx.withUnsafeMutableBufferPointer { d in
                    g.withUnsafeBufferPointer { gp in
                        for i in 0..<outer {
                            (d.baseAddress! + i * row).update(from: gp.baseAddress! + i * rowOut + off, count: row)
                        }
                    }
                }
                p.accumulateGrad(dx)
            }
        }
    }

    /// Splits along `axis` into pieces of the given sizes.
    public func split(axis: Int, sizes: [Int]) -> [Tensor] {
        let ax = normalizedAxis(axis)
        precondition(sizes.reduce(0, +) == shape[ax], "split: sizes \(sizes) do not sum to \(shape[ax])")
        var start = 0
        return sizes.map { s in
            defer { start += s }
            return slice(axis: ax, start..<(start + s))
        }
    }

    /// Stacks equally shaped tensors along a new axis.
    public static func stack(_ parts: [Tensor], axis: Int = 0) -> Tensor {
        precondition(!parts.isEmpty, "stack: no tensors")
        let r = parts[0].rank
        let ax = axis < 0 ? axis + r + 1 : axis
        let expanded = parts.map { p -> Tensor in
            var s = p.shape
            s.insert(1, at: ax)
            return p.reshaped(s)
        }
        return concat(expanded, axis: ax)
    }

    /// Repeats size-1 dimensions to `newShape` (NumPy broadcasting).
    public func broadcast(to newShape: [Int]) -> Tensor {
        precondition(broadcastShape(shape, newShape) == newShape, "broadcast: \(shape) cannot expand to \(newShape)")
        let values = broadcastValues(data, from: shape, to: newShape)
        return Tensor.record(shape: newShape, data: values, inputs: [self]) { [self] g in
            accumulateGrad(sumToShape(g, from: newShape, to: shape))
        }
    }
}

/// Copies `values` (row-major `shape`) into the layout of dimensions reordered by `order`.
func permute(_ values: [Float], shape: [Int], order: [Int]) -> [Float] {
    let rank = shape.count
    var inStrides = [Int](repeating: 1, count: rank)
    for i in stride(from: rank - 2, through: 0, by: -1) { inStrides[i] = inStrides[i + 1] * shape[i + 1] }
    let outShape = order.map { shape[$0] }
    let strides = order.map { inStrides[$0] }   // input stride of each output dimension
    let n = values.count
    return [Float](unsafeUninitializedCapacity: n) { o, c in
        values.withUnsafeBufferPointer { x in
            // Iterate output rows over the last output dimension.
            let inner = outShape.last ?? 1, innerStride = strides.last ?? 1
            let outer = Array(outShape.dropLast()), outerStrides = Array(strides.dropLast())
            var index = [Int](repeating: 0, count: outer.count)
            var src = 0
            var dst = 0
            let rows = outer.reduce(1, *)
            for _ in 0..<rows {
                if innerStride == 1 {
                    (o.baseAddress! + dst).update(from: x.baseAddress! + src, count: inner)
                } else {
                    for j in 0..<inner { o[dst + j] = x[src + j * innerStride] }
                }
                dst += inner
                var d = outer.count - 1
                while d >= 0 {
                    index[d] += 1
                    src += outerStrides[d]
                    if index[d] < outer[d] { break }
                    src -= outerStrides[d] * outer[d]
                    index[d] = 0
                    d -= 1
                }
            }
        }
        c = n
    }
}
