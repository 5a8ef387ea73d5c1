import Tensor

/// SGD with momentum and L2 weight decay, PyTorch semantics:
///   d = g + wd·p;  buf = μ·buf + d (buf = d on the first step);  p -= lr·buf.
public final class SGD: Optimizer {
    public let groups: [ParameterGroup]
    public var learningRate: Float
    public let momentum: Float
    private var buffers: [[Float]?]

    public init(groups: [ParameterGroup], learningRate: Float, momentum: Float = 0.9) {
        self.groups = groups; self.learningRate = learningRate; self.momentum = momentum
        buffers = Array(repeating: nil, count: groups.reduce(0) { $0 + $1.parameters.count })
    }

    public convenience init(_ parameters: [Tensor], learningRate: Float, momentum: Float = 0.9, weightDecay: Float = 0) {
        self.init(groups: [ParameterGroup(name: "all", parameters: parameters, weightDecay: weightDecay)],
                  learningRate: learningRate, momentum: momentum)
    }

    public func step() {
        var k = 0
        for group in groups {
            let lr = learningRate * group.learningRateMultiplier, wd = group.weightDecay
            for p in group.parameters {
                defer { k += 1 }
                guard p.requiresGrad, let g = p.grad else { continue }
                var buf = buffers[k] ?? []
                let first = buf.isEmpty
                if first { buf = [Float](repeating: 0, count: p.count) }
                let mu = momentum
                p.withMutableData { w in
                    buf.withUnsafeMutableBufferPointer { b in
                        g.withUnsafeBufferPointer { gp in
                            for i in 0..<w.count {
                                let d = gp[i] + wd * w[i]
                                b[i] = first ? d : mu * b[i] + d
                                w[i] -= lr * (mu == 0 ? d : b[i])
                            }
                        }
                    }
                }
                buffers[k] = mu == 0 ? nil : buf
            }
        }
    }

    public func stateTensors() -> [String: [Float]] {
        var s: [String: [Float]] = [:]
        for (k, b) in buffers.enumerated() { if let b { s["momentum.\(k)"] = b } }
        return s
    }

    public func loadState(_ state: [String: [Float]]) throws {
        for k in buffers.indices { buffers[k] = state["momentum.\(k)"] }
        let unknown = state.keys.filter { key in !(key.hasPrefix("momentum.") && Int(key.dropFirst(9)).map { $0 < buffers.count } == true) }
        if !unknown.isEmpty { throw OptimizerStateError(description: "SGD: unexpected state \(unknown.sorted().prefix(3))") }
    }
}
