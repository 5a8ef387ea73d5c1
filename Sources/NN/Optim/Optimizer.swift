import Tensor

/// Parameters that share hyper-parameters: mmdet's `paramwise_cfg` (e.g. a backbone at 0.1× the
/// learning rate, or no weight decay on norms and biases).
public struct ParameterGroup {
    public var name: String
    public var parameters: [Tensor]
    public var learningRateMultiplier: Float
    public var weightDecay: Float

    public init(name: String, parameters: [Tensor], learningRateMultiplier: Float = 1, weightDecay: Float) {
        self.name = name; self.parameters = parameters
        self.learningRateMultiplier = learningRateMultiplier; self.weightDecay = weightDecay
    }
}

/// An optimizer updates its groups' parameters from their gradients. Several may run in one
/// training run (e.g. a student's and an auxiliary head's); each checkpoints its own state.
public protocol Optimizer: AnyObject {
    var groups: [ParameterGroup] { get }
    /// The base learning rate for the next step (schedules set it every iteration).
    var learningRate: Float { get set }
    func step()
    /// Per-parameter state (momentum buffers, moments, step counts) for checkpoints.
    func stateTensors() -> [String: [Float]]
    func loadState(_ state: [String: [Float]]) throws
}

extension Optimizer {
    public func zeroGrad() { for g in groups { for p in g.parameters { p.grad = nil } } }
}

public struct OptimizerStateError: Error, CustomStringConvertible {
    public let description: String
}

/// Scales all gradients so their global L2 norm is at most `maxNorm` (torch clip_grad_norm_);
/// returns the norm before clipping.
@discardableResult
public func clipGradientNorm(_ parameters: [Tensor], maxNorm: Float) -> Float {
    var total = 0.0
    for p in parameters { if let g = p.grad { for v in g { total += Double(v) * Double(v) } } }
    let norm = Float(total.squareRoot())
    let scale = maxNorm / (norm + 1e-6)
    if scale < 1 {
        for p in parameters where p.grad != nil {
            p.grad!.withUnsafeMutableBufferPointer { g in for i in 0..<g.count { g[i] *= scale } }
        }
    }
    return norm
}
