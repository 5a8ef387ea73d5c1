import NN
import Tensor

/// AutoAssign's learnable category-wise centre prior (mmdetection `autoassign_head.py`
/// `CenterPrior`): per class c a mean μ_c (initialised 0) and a spread σ_c (initialised 1), each
/// per axis, of a Gaussian over a point's offset from a gt's centre in strides. For point p
/// (stride s) and gt g of class c,
///
///     G = exp(−d_x² / (2σ_{c,x}²)) · exp(−d_y² / (2σ_{c,y}²)),   d = (p − centre(g)) / s − μ_c,
///
/// neither divided by σ nor normalised; differentiable in μ and σ.
public final class CenterPrior: Module {
    /// [K, 2] per-class means (x, y), in strides.
    public let mean: Tensor
    /// [K, 2] per-class spreads (x, y), in strides.
    public let sigma: Tensor

    public init(numClasses: Int) {
        mean = Tensor(filled: 0, shape: [numClasses, 2])
        sigma = Tensor(filled: 1, shape: [numClasses, 2])
        super.init()
        parameter("mean", mean); parameter("sigma", sigma)
    }

    /// G for each (point, gt) pair: `offsets` are (p − centre(g)) / s per pair (x, y), `classes`
    /// the pair's gt class. Returns [M].
    public func weights(offsets: [(x: Float, y: Float)], classes: [Int]) -> Tensor {
        let m = offsets.count
        precondition(classes.count == m, "CenterPrior: \(m) offsets, \(classes.count) classes")
        let xs = classes.map { 2 * $0 }, ys = classes.map { 2 * $0 + 1 }
        let dx = Tensor(shape: [m], data: offsets.map(\.x)) - mean.take(xs)
        let dy = Tensor(shape: [m], data: offsets.map(\.y)) - mean.take(ys)
        let sx = sigma.take(xs), sy = sigma.take(ys)
        return (dx.square() / (sx.square() * -2)).exp() * (dy.square() / (sy.square() * -2)).exp()
    }
}
