import Foundation
import Tensor

/// Weight initialisers, named as in the papers' frameworks (PyTorch / mmcv).
public enum Initializer: Equatable, Sendable {
    /// Kaiming (He) normal, fan-out mode, ReLU gain: mmdet's default for backbone convolutions.
    case kaimingNormalFanOut
    /// Kaiming uniform with a = √5: PyTorch's default for conv and linear weights.
    case pytorchDefault
    case normal(std: Float)
    case xavierUniform
    case constant(Float)

    /// Draws a weight of `shape` ([out, in, kh, kw] or [out, in]).
    public func make(_ shape: [Int], rng: inout RNG) -> Tensor {
        let receptive = shape.dropFirst(2).reduce(1, *)
        let fanIn = (shape.count > 1 ? shape[1] : 1) * receptive, fanOut = shape[0] * receptive
        switch self {
        case .kaimingNormalFanOut:
            return Tensor(normal: shape, std: (2 / Float(fanOut)).squareRoot(), rng: &rng)
        case .pytorchDefault:
            let bound = 1 / Float(fanIn).squareRoot()
            return Tensor(uniform: shape, low: -bound, high: bound, rng: &rng)
        case .normal(let std):
            return Tensor(normal: shape, std: std, rng: &rng)
        case .xavierUniform:
            let bound = (6 / Float(fanIn + fanOut)).squareRoot()
            return Tensor(uniform: shape, low: -bound, high: bound, rng: &rng)
        case .constant(let v):
            return Tensor(filled: v, shape: shape)
        }
    }

    /// Bias so that sigmoid(bias) = `probability` at the start (focal-loss prior, Lin et al. 2017).
    public static func priorProbabilityBias(_ probability: Float) -> Float {
        -Foundation.log((1 - probability) / probability)
    }
}
