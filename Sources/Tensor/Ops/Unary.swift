import Foundation

/// Elementwise unary ops. Each gives its derivative from the input x and the output y.
extension Tensor {
    /// The local derivatives are evaluated in the forward pass, where `unary` is inlined into each
    /// op and so are its closures; the backward pass only multiplies. Evaluated in the backward
    /// closure instead, `derivative` was an indirect call per element (ReLU's alone was 5 % of a
    /// small-profile training step). Same values either way.
    @inline(__always)
    func unary(_ f: (Float) -> Float, derivative: (_ x: Float, _ y: Float) -> Float) -> Tensor {
        let n = count
        let values = [Float](unsafeUninitializedCapacity: n) { o, c in
            data.withUnsafeBufferPointer { x in for i in 0..<n { o[i] = f(x[i]) } }
            c = n
        }
        guard GradMode.isEnabled && requiresGrad else { return Tensor(shape: shape, data: values) }
        let local = [Float](unsafeUninitializedCapacity: n) { d, c in
            data.withUnsafeBufferPointer { x in values.withUnsafeBufferPointer { y in
                for i in 0..<n { d[i] = derivative(x[i], y[i]) }
            } }
            c = n
        }
        return Tensor.record(shape: shape, data: values, inputs: [self]) { [self] g in
            let dx = [Float](unsafeUninitializedCapacity: n) { o, c in
                local.withUnsafeBufferPointer { d in g.withUnsafeBufferPointer { gp in
                    for i in 0..<n { o[i] = gp[i] * d[i] }
                } }
                c = n
            }
            accumulateGrad(dx)
        }
    }

    public func scaled(by s: Float) -> Tensor { unary({ $0 * s }, derivative: { _, _ in s }) }
    public func relu() -> Tensor { unary({ Swift.max($0, 0) }, derivative: { x, _ in x > 0 ? 1 : 0 }) }
    public func exp() -> Tensor { unary({ Foundation.exp($0) }, derivative: { _, y in y }) }
    /// Natural log; the caller keeps inputs positive (clamp first where they may not be).
    public func log() -> Tensor { unary({ Foundation.log($0) }, derivative: { x, _ in 1 / x }) }
    public func sqrt() -> Tensor { unary({ $0.squareRoot() }, derivative: { _, y in 0.5 / y }) }
    /// |x| with subgradient 0 at 0.
    public func abs() -> Tensor { unary({ Swift.abs($0) }, derivative: { x, _ in x > 0 ? 1 : (x < 0 ? -1 : 0) }) }
    public func square() -> Tensor { unary({ $0 * $0 }, derivative: { x, _ in 2 * x }) }
    public func pow(_ p: Float) -> Tensor {
        unary({ Foundation.pow($0, p) }, derivative: { x, _ in p * Foundation.pow(x, p - 1) })
    }
    public func sigmoid() -> Tensor {
        unary({ 1 / (1 + Foundation.exp(-$0)) }, derivative: { _, y in y * (1 - y) })
    }
    public func tanh() -> Tensor { unary({ Foundation.tanh($0) }, derivative: { _, y in 1 - y * y }) }
    /// Angles of oriented boxes (the Gaussian of GWD).
    public func sin() -> Tensor { unary({ Foundation.sin($0) }, derivative: { x, _ in Foundation.cos(x) }) }
    public func cos() -> Tensor { unary({ Foundation.cos($0) }, derivative: { x, _ in -Foundation.sin(x) }) }
    /// log(1 + x), accurate for small x.
    public func log1p() -> Tensor { unary({ Foundation.log1p($0) }, derivative: { x, _ in 1 / (1 + x) }) }
    /// Clamps into [low, high]; the gradient passes only where the input lies strictly inside.
    public func clamped(min low: Float = -.infinity, max high: Float = .infinity) -> Tensor {
        unary({ Swift.min(Swift.max($0, low), high) }, derivative: { x, _ in x > low && x < high ? 1 : 0 })
    }
    /// log(1 + exp(x)), stable for large |x|.
    public func softplus() -> Tensor {
        unary({ Swift.max($0, 0) + Foundation.log1p(Foundation.exp(-Swift.abs($0))) },
              derivative: { x, _ in 1 / (1 + Foundation.exp(-x)) })
    }
}
