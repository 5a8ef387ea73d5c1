/// Reverse-mode autodiff: ops record a backward closure on their result; `backward()` visits the
/// graph in reverse topological order and each closure accumulates into its inputs' gradients.

/// Whether ops record the graph. Inference and teacher forward passes turn it off.
/// Task-local, so concurrent tasks (and parallel tests) never see each other's setting.
public enum GradMode {
    @TaskLocal static var disabled = false

    public static var isEnabled: Bool { !disabled }

    /// Runs `body` without recording any graph (the results are constants).
    public static func withoutGrad<R>(_ body: () throws -> R) rethrows -> R {
        try $disabled.withValue(true) { try body() }
    }
}

extension Tensor {
    /// Makes the result of an op, recording `backward` when any input needs a gradient.
    /// `backward` receives dLoss/dResult and must call `accumulateGrad` on the inputs it reaches.
    /// Public so that fused ops (detection losses) can live in the layers that own them; each such
    /// op needs its own finite-difference test.
    @inline(__always)
    public static func record(shape: [Int], data: [Float], inputs: [Tensor],
                       backward: @escaping ([Float]) -> Void) -> Tensor {
        let result = Tensor(shape: shape, data: data)
        if GradMode.isEnabled && inputs.contains(where: { $0.requiresGrad }) {
            result.requiresGrad = true
            result.inputs = inputs
            result.backwardFn = backward
        }
        return result
    }

    /// Adds `g` to this tensor's gradient (a no-op for tensors that need none).
    public func accumulateGrad(_ g: [Float]) {
        guard requiresGrad else { return }
        precondition(g.count == count, "gradient of \(g.count) values for shape \(shape)")
        if grad == nil {
            grad = g
        } else {
            grad!.withUnsafeMutableBufferPointer { acc in
                g.withUnsafeBufferPointer { add in
                    for i in 0..<acc.count { acc[i] += add[i] }
                }
            }
        }
    }

    /// Back-propagates from this tensor. A scalar seeds with 1; otherwise pass `seed`.
    /// The graph is released afterwards, so call it once per forward pass.
    public func backward(seed: [Float]? = nil) {
        precondition(requiresGrad, "backward: tensor does not require a gradient")
        let start = seed ?? {
            precondition(count == 1, "backward: non-scalar tensor \(shape) needs an explicit seed")
            return [1]
        }()
        accumulateGrad(start)
        for node in topologicalOrder().reversed() {
            guard let fn = node.backwardFn, let g = node.grad else { continue }
            fn(g)
            // Interior gradients are not needed after propagation; releasing them bounds memory.
            node.grad = nil
            node.backwardFn = nil
            node.inputs = []
        }
    }

    /// Nodes reachable from self, each after all of its inputs (iterative DFS: graphs are deep).
    private func topologicalOrder() -> [Tensor] {
        var order: [Tensor] = []
        var visited = Set<ObjectIdentifier>()
        var stack: [(Tensor, Bool)] = [(self, false)]
        while let (node, expanded) = stack.popLast() {
            if expanded { order.append(node); continue }
            guard visited.insert(ObjectIdentifier(node)).inserted else { continue }
            stack.append((node, true))
            for input in node.inputs where input.requiresGrad && !visited.contains(ObjectIdentifier(input)) {
                stack.append((input, false))
            }
        }
        return order
    }

    /// The same values cut off from the graph: no gradient flows through the result.
    public func detached() -> Tensor { Tensor(shape: shape, data: data) }
}
