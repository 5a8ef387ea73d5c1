import Tensor

/// BatchNorm over channels. Modes: `train` (batch statistics, running estimates updated),
/// `eval` (running statistics), and `frozen`: running statistics even in training mode (mmdet's
/// `norm_eval=True`), with the affine parameters still trained or, with `affine: true`, fixed too
/// (detectron2's FrozenBN, mmdet's caffe-style `requires_grad=False`).
public final class BatchNorm2d: Module, Layer {
    public let weight: Tensor, bias: Tensor, runningMean: Tensor, runningVar: Tensor
    public let momentum: Float, eps: Float
    public private(set) var frozen = false

    public init(_ channels: Int, momentum: Float = 0.1, eps: Float = 1e-5) {
        weight = Tensor(filled: 1, shape: [channels]); bias = Tensor(zeros: [channels])
        runningMean = Tensor(zeros: [channels]); runningVar = Tensor(filled: 1, shape: [channels])
        self.momentum = momentum; self.eps = eps
        super.init()
        parameter("weight", weight); parameter("bias", bias)
        buffer("running_mean", runningMean); buffer("running_var", runningVar)
    }

    /// Uses running statistics from now on; with `affine`, also stops the affine parameters'
    /// gradients.
    public func freezeStatistics(affine: Bool = true) {
        frozen = true
        if affine { weight.requiresGrad = false; bias.requiresGrad = false }
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        x.batchNorm(weight: weight, bias: bias, runningMean: runningMean, runningVar: runningVar,
                    training: isTraining && !frozen, momentum: momentum, eps: eps)
    }
}

public final class GroupNorm: Module, Layer {
    public let groups: Int, eps: Float
    public let weight: Tensor, bias: Tensor

    public init(groups: Int, channels: Int, eps: Float = 1e-5) {
        precondition(channels % groups == 0, "GroupNorm: \(groups) groups do not divide \(channels) channels")
        self.groups = groups; self.eps = eps
        weight = Tensor(filled: 1, shape: [channels]); bias = Tensor(zeros: [channels])
        super.init()
        parameter("weight", weight); parameter("bias", bias)
    }

    public func callAsFunction(_ x: Tensor) -> Tensor { x.groupNorm(groups: groups, weight: weight, bias: bias, eps: eps) }
}

public final class LayerNorm: Module, Layer {
    public let features: Int, eps: Float
    public let weight: Tensor, bias: Tensor

    public init(_ features: Int, eps: Float = 1e-5) {
        self.features = features; self.eps = eps
        weight = Tensor(filled: 1, shape: [features]); bias = Tensor(zeros: [features])
        super.init()
        parameter("weight", weight); parameter("bias", bias)
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        x.layerNorm(normalizedCount: features, weight: weight, bias: bias, eps: eps)
    }
}

/// Which normalisation a backbone or head uses.
public enum NormKind: Sendable, Equatable {
    case batch
    case group(Int)
    case none

    public func make(_ channels: Int) -> (any Module & Layer)? {
        switch self {
        case .batch: return BatchNorm2d(channels)
        case .group(let g): return GroupNorm(groups: g, channels: channels)
        case .none: return nil
        }
    }
}

/// conv → norm → (ReLU): the unit every backbone, neck and head is built from.
public final class ConvNormAct: Module, Layer {
    public let conv: any Module & Layer
    public let norm: (any Module & Layer)?
    public let activation: Activation

    public enum Activation: Sendable { case relu, relu6, none }

    /// `deformable`: a `DeformableConv2d` (no bias, one group) in place of the convolution.
    public init(_ cin: Int, _ cout: Int, kernel: Int, stride: Int = 1, groups: Int = 1, norm: NormKind = .batch,
                activation: Activation = .relu, init initializer: Initializer = .kaimingNormalFanOut,
                deformable: Bool = false, rng: inout RNG) {
        precondition(!deformable || (groups == 1 && norm != .none), "ConvNormAct: a deformable convolution has one group and a norm")
        conv = deformable
            ? DeformableConv2d(cin, cout, kernel: kernel, stride: stride, init: initializer, rng: &rng)
            : Conv2d(cin, cout, kernel: kernel, stride: stride, groups: groups, bias: norm == .none,
                     init: initializer, biasValue: norm == .none ? 0 : nil, rng: &rng)
        self.norm = norm.make(cout)
        self.activation = activation
        super.init()
        child("conv", conv)
        if let n = self.norm { child("norm", n) }
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        var y = conv(x)
        if let norm { y = norm(y) }
        switch activation {
        case .relu: return y.relu()
        case .relu6: return y.clamped(min: 0, max: 6)
        case .none: return y
        }
    }
}
