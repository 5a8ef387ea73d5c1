import Testing
import Tensor

/// Compares the autodiff gradient of `f` with central finite differences.
///
/// The scalar probed is L = Σ wᵢ·f(x)ᵢ with fixed random weights w, accumulated in Double so
/// that the reference is limited by the step size, not by float32 summation. Inputs should keep
/// clear of kinks (relu at 0, ties in max) by more than `step`.
public func expectGradientsMatch(_ inputs: [Tensor], step: Float = 1e-2, tolerance: Double = 2e-2,
                          sourceLocation: SourceLocation = #_sourceLocation,
                          _ f: ([Tensor]) -> Tensor) {
    for x in inputs { x.requiresGrad = true; x.grad = nil }
    var rng = RNG(seed: 99)
    let probe = f(inputs)
    let weights = (0..<probe.count).map { _ in Double(rng.uniform() * 2 - 1) }
    func loss() -> Double {
        let y = GradMode.withoutGrad { f(inputs) }
        var s = 0.0
        for (w, v) in zip(weights, y.data) { s += w * Double(v) }
        return s
    }
    probe.backward(seed: weights.map(Float.init))
    for (which, x) in inputs.enumerated() {
        let analytic = x.grad ?? [Float](repeating: 0, count: x.count)
        var worst = 0.0
        for i in 0..<x.count {
            let saved = x.data[i]
            x.withMutableData { $0[i] = saved + step }; let up = loss()
            x.withMutableData { $0[i] = saved - step }; let down = loss()
            x.withMutableData { $0[i] = saved }
            let numeric = (up - down) / (2 * Double(step))
            let error = Swift.abs(numeric - Double(analytic[i])) / Swift.max(1, Swift.abs(numeric))
            worst = Swift.max(worst, error)
        }
        #expect(worst <= tolerance, "input \(which) \(x.shape): worst relative gradient error \(worst)",
                sourceLocation: sourceLocation)
    }
}

/// Distinct values spaced `gap` apart in shuffled order, none within gap/2 of zero, so relu, abs,
/// max and pooling are differentiable at every point the check probes (keep step < gap/2).
public func smoothInput(_ shape: [Int], seed: UInt64, gap: Float = 0.05) -> Tensor {
    var rng = RNG(seed: seed)
    let n = shape.reduce(1, *)
    var values = (0..<n).map { i -> Float in (Float(i) - Float(n / 2) + 0.5) * gap }
    rng.shuffle(&values)
    return Tensor(shape: shape, data: values)
}

public func randomInput(_ shape: [Int], seed: UInt64, low: Float = -1, high: Float = 1) -> Tensor {
    var rng = RNG(seed: seed)
    return Tensor(uniform: shape, low: low, high: high, rng: &rng)
}
