/// Matrix products on OpenBLAS sgemm.

extension Tensor {
    /// [M, K] × [K, N] → [M, N], or batched [B, M, K] × [B, K, N] → [B, M, N]
    /// (a rank-2 operand is shared across the batch).
    public func matmul(_ other: Tensor) -> Tensor {
        let a = self, b = other
        precondition((a.rank == 2 || a.rank == 3) && (b.rank == 2 || b.rank == 3),
                     "matmul: ranks \(a.rank) and \(b.rank); expected 2 or 3")
        let batch = Swift.max(a.rank == 3 ? a.shape[0] : 1, b.rank == 3 ? b.shape[0] : 1)
        if a.rank == 3 && b.rank == 3 { precondition(a.shape[0] == b.shape[0], "matmul: batch \(a.shape[0]) vs \(b.shape[0])") }
        let m = a.shape[a.rank - 2], k = a.shape[a.rank - 1], n = b.shape[b.rank - 1]
        precondition(b.shape[b.rank - 2] == k, "matmul: inner dimensions \(a.shape) × \(b.shape)")
        let strideA = a.rank == 3 ? m * k : 0, strideB = b.rank == 3 ? k * n : 0
        let outShape = (a.rank == 3 || b.rank == 3) ? [batch, m, n] : [m, n]
        var out = [Float](repeating: 0, count: batch * m * n)
        a.data.withUnsafeBufferPointer { ap in b.data.withUnsafeBufferPointer { bp in out.withUnsafeMutableBufferPointer { op in
            for i in 0..<batch {
                gemm(m: m, n: n, k: k, a: ap.baseAddress! + i * strideA, lda: k,
                     b: bp.baseAddress! + i * strideB, ldb: n, c: op.baseAddress! + i * m * n, ldc: n)
            }
        } } }
        return Tensor.record(shape: outShape, data: out, inputs: [a, b]) { g in
            g.withUnsafeBufferPointer { gp in
                if a.requiresGrad {
                    // dA = dC · Bᵀ
                    var da = [Float](repeating: 0, count: a.count)
                    da.withUnsafeMutableBufferPointer { dp in b.data.withUnsafeBufferPointer { bp in
                        for i in 0..<batch {
                            gemm(transB: true, m: m, n: k, k: n, a: gp.baseAddress! + i * m * n, lda: n,
                                 b: bp.baseAddress! + i * strideB, ldb: n, beta: strideA == 0 ? 1 : 0,
                                 c: dp.baseAddress! + i * strideA, ldc: k)
                        }
                    } }
                    a.accumulateGrad(da)
                }
                if b.requiresGrad {
                    // dB = Aᵀ · dC
                    var db = [Float](repeating: 0, count: b.count)
                    db.withUnsafeMutableBufferPointer { dp in a.data.withUnsafeBufferPointer { ap in
                        for i in 0..<batch {
                            gemm(transA: true, m: k, n: n, k: m, a: ap.baseAddress! + i * strideA, lda: k,
                                 b: gp.baseAddress! + i * m * n, ldb: n, beta: strideB == 0 ? 1 : 0,
                                 c: dp.baseAddress! + i * strideB, ldc: n)
                        }
                    } }
                    b.accumulateGrad(db)
                }
            }
        }
    }

    /// Fully connected layer: x [..., in] · weightᵀ [in, out] + bias [out].
    public func linear(weight: Tensor, bias: Tensor?) -> Tensor {
        precondition(weight.rank == 2 && shape.last == weight.shape[1],
                     "linear: input \(shape) vs weight \(weight.shape)")
        let lead = Array(shape.dropLast())
        let flat = reshaped([lead.reduce(1, *), weight.shape[1]])
        var y = flat.matmul(weight.transposed())
        if let bias { y = y + bias }
        return y.reshaped(lead + [weight.shape[0]])
    }
}
