/// Broadcasting binary arithmetic: forward and backward side by side.

extension Tensor {
    /// Applies `f` elementwise with broadcasting; the kernel shared by every binary op.
    @inline(__always)
    static func broadcastMap(_ a: Tensor, _ b: Tensor, _ f: (Float, Float) -> Float) -> ([Int], [Float]) {
        let out = a.shape == b.shape ? a.shape : broadcastShape(a.shape, b.shape)
        let n = out.reduce(1, *)
        let values = [Float](unsafeUninitializedCapacity: n) { o, count in
            a.data.withUnsafeBufferPointer { ap in
                b.data.withUnsafeBufferPointer { bp in
                    if a.shape == b.shape {
                        for i in 0..<n { o[i] = f(ap[i], bp[i]) }
                    } else if b.count == 1 {
                        let s = bp[0]
                        for i in 0..<n { o[i] = f(ap[i], s) }
                    } else if a.count == 1 {
                        let s = ap[0]
                        for i in 0..<n { o[i] = f(s, bp[i]) }
                    } else {
                        let walk = BroadcastWalk(out: out, operands: [out, a.shape, b.shape])
                        let inner = walk.inner, sa = walk.innerStride(1), sb = walk.innerStride(2)
                        walk.forEachRow { _, off in
                            let dst = o.baseAddress! + off[0]
                            let x = ap.baseAddress! + off[1], y = bp.baseAddress! + off[2]
                            switch (sa, sb) {
                            case (1, 1): for j in 0..<inner { dst[j] = f(x[j], y[j]) }
                            case (1, 0): let s = y[0]; for j in 0..<inner { dst[j] = f(x[j], s) }
                            case (0, 1): let s = x[0]; for j in 0..<inner { dst[j] = f(s, y[j]) }
                            default: for j in 0..<inner { dst[j] = f(x[j * sa], y[j * sb]) }
                            }
                        }
                    }
                }
            }
            count = n
        }
        return (out, values)
    }

    public static func + (a: Tensor, b: Tensor) -> Tensor {
        let (shape, values) = broadcastMap(a, b, +)
        return record(shape: shape, data: values, inputs: [a, b]) { g in
            if a.requiresGrad { a.accumulateGrad(sumToShape(g, from: shape, to: a.shape)) }
            if b.requiresGrad { b.accumulateGrad(sumToShape(g, from: shape, to: b.shape)) }
        }
    }

    public static func - (a: Tensor, b: Tensor) -> Tensor {
        let (shape, values) = broadcastMap(a, b, -)
        return record(shape: shape, data: values, inputs: [a, b]) { g in
            if a.requiresGrad { a.accumulateGrad(sumToShape(g, from: shape, to: a.shape)) }
            if b.requiresGrad { b.accumulateGrad(sumToShape(g.map { -$0 }, from: shape, to: b.shape)) }
        }
    }

    public static func * (a: Tensor, b: Tensor) -> Tensor {
        let (shape, values) = broadcastMap(a, b, *)
        return record(shape: shape, data: values, inputs: [a, b]) { g in
            let gt = Tensor(shape: shape, data: g)
            if a.requiresGrad { a.accumulateGrad(sumToShape(broadcastMap(gt, b, *).1, from: shape, to: a.shape)) }
            if b.requiresGrad { b.accumulateGrad(sumToShape(broadcastMap(gt, a, *).1, from: shape, to: b.shape)) }
        }
    }

    public static func / (a: Tensor, b: Tensor) -> Tensor {
        let (shape, values) = broadcastMap(a, b, /)
        return record(shape: shape, data: values, inputs: [a, b]) { g in
            let gt = Tensor(shape: shape, data: g)
            if a.requiresGrad { a.accumulateGrad(sumToShape(broadcastMap(gt, b, /).1, from: shape, to: a.shape)) }
            if b.requiresGrad {
                // d(a/b)/db = -(a/b)/b = -y/b
                let y = Tensor(shape: shape, data: values)
                let gy = broadcastMap(gt, y, *)
                let dy = broadcastMap(Tensor(shape: gy.0, data: gy.1), b, { -$0 / $1 })
                b.accumulateGrad(sumToShape(dy.1, from: shape, to: b.shape))
            }
        }
    }

    /// Elementwise max(a, b); the gradient goes to `a` on ties.
    public static func maximum(_ a: Tensor, _ b: Tensor) -> Tensor { select(a, b, pickFirst: >=) }

    /// Elementwise min(a, b); the gradient goes to `a` on ties.
    public static func minimum(_ a: Tensor, _ b: Tensor) -> Tensor { select(a, b, pickFirst: <=) }

    private static func select(_ a: Tensor, _ b: Tensor, pickFirst: @escaping (Float, Float) -> Bool) -> Tensor {
        let (shape, values) = broadcastMap(a, b) { pickFirst($0, $1) ? $0 : $1 }
        return record(shape: shape, data: values, inputs: [a, b]) { g in
            let mask = broadcastMap(a, b) { pickFirst($0, $1) ? 1 : 0 }.1
            if a.requiresGrad {
                var ga = g
                for i in ga.indices { ga[i] *= mask[i] }
                a.accumulateGrad(sumToShape(ga, from: shape, to: a.shape))
            }
            if b.requiresGrad {
                var gb = g
                for i in gb.indices { gb[i] *= 1 - mask[i] }
                b.accumulateGrad(sumToShape(gb, from: shape, to: b.shape))
            }
        }
    }

    // Scalar conveniences, built on the broadcasting ops.
    public static func + (a: Tensor, s: Float) -> Tensor { a + Tensor(scalar: s) }
    public static func - (a: Tensor, s: Float) -> Tensor { a - Tensor(scalar: s) }
    public static func * (a: Tensor, s: Float) -> Tensor { a.scaled(by: s) }
    public static func / (a: Tensor, s: Float) -> Tensor { a.scaled(by: 1 / s) }
    public static func + (s: Float, a: Tensor) -> Tensor { Tensor(scalar: s) + a }
    public static func - (s: Float, a: Tensor) -> Tensor { Tensor(scalar: s) - a }
    public static func * (s: Float, a: Tensor) -> Tensor { a.scaled(by: s) }
    public static prefix func - (a: Tensor) -> Tensor { a.scaled(by: -1) }
}
