/// Broadcasting (NumPy rules) as iteration over rows: the output is walked in runs along its
/// innermost collapsed dimension, with each operand's offset and stride (0 where broadcast).

func broadcastShape(_ a: [Int], _ b: [Int]) -> [Int] {
    let rank = max(a.count, b.count)
    let pa = [Int](repeating: 1, count: rank - a.count) + a
    let pb = [Int](repeating: 1, count: rank - b.count) + b
    return (0..<rank).map { i in
        precondition(pa[i] == pb[i] || pa[i] == 1 || pb[i] == 1,
                     "broadcast: shapes \(a) and \(b) are incompatible")
        // A size-1 side takes the other's size, 0 included (NumPy): max() would turn an empty
        // operand against a size-1 one into one uninitialised element.
        return pa[i] == 1 ? pb[i] : pa[i]
    }
}

/// Row-major strides with 0 for dimensions broadcast from size 1 (or missing) in `shape`.
func broadcastStrides(_ shape: [Int], to out: [Int]) -> [Int] {
    let padded = [Int](repeating: 1, count: out.count - shape.count) + shape
    var strides = [Int](repeating: 0, count: out.count)
    var s = 1
    for i in stride(from: out.count - 1, through: 0, by: -1) {
        strides[i] = padded[i] == 1 && out[i] != 1 ? 0 : s
        s *= padded[i]
    }
    return strides
}

/// A broadcast walk over an output shape for any number of operands.
struct BroadcastWalk {
    var dims: [Int]          // collapsed output dimensions
    var strides: [[Int]]     // per operand, per collapsed dimension

    init(out: [Int], operands: [[Int]]) {
        var d = out
        var s = operands.map { broadcastStrides($0, to: out) }
        // Drop size-1 dimensions, then merge neighbours whose strides are contiguous for all operands.
        let keep = d.indices.filter { d[$0] != 1 }
        d = keep.map { d[$0] }
        s = s.map { st in keep.map { st[$0] } }
        var i = d.count - 2
        while i >= 0 {
            let mergeable = s.allSatisfy { $0[i] == $0[i + 1] * d[i + 1] }
            if mergeable {
                d[i] *= d[i + 1]
                for k in s.indices { s[k][i] = s[k][i + 1]; s[k].remove(at: i + 1) }
                d.remove(at: i + 1)
            }
            i -= 1
        }
        if d.isEmpty { d = [1]; s = s.map { _ in [1] } }
        dims = d
        strides = s
    }

    var inner: Int { dims.last! }
    var rows: Int { dims.dropLast().reduce(1, *) }

    /// Calls body(row, operandOffsets) for every row of the innermost dimension.
    @inline(__always)
    func forEachRow(_ body: (Int, [Int]) -> Void) {
        let outer = Array(dims.dropLast())
        var index = [Int](repeating: 0, count: outer.count)
        var offsets = [Int](repeating: 0, count: strides.count)
        for row in 0..<rows {
            body(row, offsets)
            // Increment the multi-index and the operand offsets.
            var d = outer.count - 1
            while d >= 0 {
                index[d] += 1
                for k in offsets.indices { offsets[k] += strides[k][d] }
                if index[d] < outer[d] { break }
                for k in offsets.indices { offsets[k] -= strides[k][d] * outer[d] }
                index[d] = 0
                d -= 1
            }
        }
    }

    func innerStride(_ operand: Int) -> Int { strides[operand].last! }
}

/// Sums `g` (laid out as `outShape`) down to `shape`, the reverse of broadcasting.
func sumToShape(_ g: [Float], from outShape: [Int], to shape: [Int]) -> [Float] {
    if outShape == shape { return g }
    let n = shape.reduce(1, *)
    var result = [Float](repeating: 0, count: n)
    if n == 1 {
        var s: Float = 0
        for v in g { s += v }
        result[0] = s
        return result
    }
    let walk = BroadcastWalk(out: outShape, operands: [outShape, shape])
    let inner = walk.inner, st = walk.innerStride(1)
    g.withUnsafeBufferPointer { gp in
        result.withUnsafeMutableBufferPointer { rp in
            walk.forEachRow { _, off in
                let src = gp.baseAddress! + off[0], dst = rp.baseAddress! + off[1]
                if st == 0 {
                    var s: Float = 0
                    for j in 0..<inner { s += src[j] }
                    dst[0] += s
                } else {
                    for j in 0..<inner { dst[j] += src[j] }
                }
            }
        }
    }
    return result
}

/// Expands `values` (laid out as `shape`) to `outShape` by broadcasting.
func broadcastValues(_ values: [Float], from shape: [Int], to outShape: [Int]) -> [Float] {
    if shape == outShape { return values }
    let n = outShape.reduce(1, *)
    let walk = BroadcastWalk(out: outShape, operands: [outShape, shape])
    let inner = walk.inner, st = walk.innerStride(1)
    return [Float](unsafeUninitializedCapacity: n) { out, count in
        values.withUnsafeBufferPointer { vp in
            walk.forEachRow { _, off in
                let dst = out.baseAddress! + off[0], src = vp.baseAddress! + off[1]
                if st == 0 { for j in 0..<inner { dst[j] = src[0] } } else { for j in 0..<inner { dst[j] = src[j] } }
            }
        }
        count = n
    }
}
