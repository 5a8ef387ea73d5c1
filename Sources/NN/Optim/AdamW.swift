import Foundation
import Tensor

/// AdamW (Loshchilov & Hutter), PyTorch semantics: decoupled decay p -= lr·wd·p, then the Adam
/// step with bias-corrected moments.
public final class AdamW: Optimizer {
    public let groups: [ParameterGroup]
    public var learningRate: Float
    public let beta1: Float, beta2: Float, eps: Float
    private var m: [[Float]?], v: [[Float]?], steps: [Float]

    public init(groups: [ParameterGroup], learningRate: Float, beta1: Float = 0.9, beta2: Float = 0.999, eps: Float = 1e-8) {
        self.groups = groups; self.learningRate = learningRate
        self.beta1 = beta1; self.beta2 = beta2; self.eps = eps
        let n = groups.reduce(0) { $0 + $1.parameters.count }
        m = Array(repeating: nil, count: n); v = Array(repeating: nil, count: n); steps = Array(repeating: 0, count: n)
    }

    public convenience init(_ parameters: [Tensor], learningRate: Float, weightDecay: Float = 0.01) {
        self.init(groups: [ParameterGroup(name: "all", parameters: parameters, weightDecay: weightDecay)],
                  learningRate: learningRate)
    }

    public func step() {
        var k = 0
        for group in groups {
            let lr = learningRate * group.learningRateMultiplier, wd = group.weightDecay
            for p in group.parameters {
                defer { k += 1 }
                guard p.requiresGrad, let g = p.grad else { continue }
                var mk = m[k] ?? [Float](repeating: 0, count: p.count)
                var vk = v[k] ?? [Float](repeating: 0, count: p.count)
                steps[k] += 1
                let t = steps[k]
                let c1 = 1 - Foundation.pow(beta1, t), c2 = 1 - Foundation.pow(beta2, t)
                let (b1, b2, e) = (beta1, beta2, eps)
                p.withMutableData { w in
                    mk.withUnsafeMutableBufferPointer { mp in vk.withUnsafeMutableBufferPointer { vp in
                        g.withUnsafeBufferPointer { gp in
                            for i in 0..<w.count {
                                w[i] -= lr * wd * w[i]
                                mp[i] = b1 * mp[i] + (1 - b1) * gp[i]
                                vp[i] = b2 * vp[i] + (1 - b2) * gp[i] * gp[i]
                                w[i] -= lr * (mp[i] / c1) / ((vp[i] / c2).squareRoot() + e)
                            }
                        }
                    } }
                }
                m[k] = mk; v[k] = vk
            }
        }
    }

    public func stateTensors() -> [String: [Float]] {
        var s: [String: [Float]] = ["steps": steps]
        for k in m.indices {
            if let mk = m[k] { s["m.\(k)"] = mk }
            if let vk = v[k] { s["v.\(k)"] = vk }
        }
        return s
    }

    public func loadState(_ state: [String: [Float]]) throws {
        guard let st = state["steps"], st.count == steps.count else {
            throw OptimizerStateError(description: "AdamW: state has no step counts for \(steps.count) parameters")
        }
        steps = st
        for k in m.indices { m[k] = state["m.\(k)"]; v[k] = state["v.\(k)"] }
    }
}
