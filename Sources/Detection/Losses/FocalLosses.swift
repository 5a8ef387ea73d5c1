import Foundation
import Tensor

/// Sigmoid focal losses over [priors, classes] logits, fused into one op for speed and for a
/// stable gradient. Both the focal loss of RetinaNet/FCOS/ATSS (Lin et al. 2017) and the Quality
/// Focal Loss of GFL (Li et al. 2020) are the same element-wise form with soft targets t ∈ [0, 1]:
///
///   L = w_α(t) · BCE(x, t) · |σ(x) − t|^γ,   w_α(t) = α·t + (1 − α)(1 − t)  (or 1 without α),
///
/// which for t ∈ {0, 1} is exactly −α(1−p)^γ log p and −(1−α)p^γ log(1−p).
/// Each prior row has one target class (or none) carrying score t; every other class has t = 0.
public struct SoftFocalTargets: Sendable {
    /// Per prior: the class whose target is `score[i]`, or -1 for background.
    public var classIndex: [Int]
    /// Per prior: the target of its class (1 for focal loss, the IoU for QFL).
    public var score: [Float]
    /// Per prior: 0 excludes the prior entirely (ignored anchors), else a multiplier.
    public var weight: [Float]

    public init(classIndex: [Int], score: [Float], weight: [Float]) {
        self.classIndex = classIndex; self.score = score; self.weight = weight
    }
}

extension Tensor {
    /// Σ over priors and classes of the soft focal loss (sum; callers divide by their normaliser).
    /// `alpha` nil gives QFL; `gamma` is γ (focal) or β (QFL).
    public func softFocalLoss(_ targets: SoftFocalTargets, gamma: Float = 2, alpha: Float? = 0.25) -> Tensor {
        precondition(rank == 2, "softFocalLoss: logits \(shape) must be [priors, classes]")
        let (priors, classes) = (shape[0], shape[1])
        precondition(targets.classIndex.count == priors && targets.score.count == priors && targets.weight.count == priors,
                     "softFocalLoss: targets for \(targets.classIndex.count) priors, logits have \(priors)")
        var grad = [Float](repeating: 0, count: count)
        var total = 0.0
        data.withUnsafeBufferPointer { x in grad.withUnsafeMutableBufferPointer { g in
            for i in 0..<priors {
                let w = targets.weight[i]
                if w == 0 { continue }
                let target = targets.classIndex[i]
                var rowLoss: Float = 0
                for c in 0..<classes {
                    let k = i * classes + c, z = x[k]
                    let t: Float = c == target ? targets.score[i] : 0
                    let p = 1 / (1 + Foundation.exp(-z))
                    // BCE(z, t) = softplus(z) − t·z, stable for large |z|.
                    let bce = Swift.max(z, 0) + Foundation.log1p(Foundation.exp(-Swift.abs(z))) - t * z
                    let diff = p - t, ad = Swift.abs(diff)
                    let modulator = gamma == 2 ? ad * ad : Foundation.pow(ad, gamma)
                    let wa = alpha.map { $0 * t + (1 - $0) * (1 - t) } ?? 1
                    rowLoss += wa * bce * modulator
                    // d/dz [BCE·|p−t|^γ] = (p−t)|p−t|^γ + BCE·γ|p−t|^(γ−1)·sign(p−t)·p(1−p)
                    let dMod = ad > 0 ? gamma * (gamma == 2 ? ad : Foundation.pow(ad, gamma - 1)) * (diff > 0 ? 1 : -1) * p * (1 - p) : 0
                    g[k] = w * wa * (diff * modulator + bce * dMod)
                }
                total += Double(w * rowLoss)
            }
        } }
        return Tensor.record(shape: [], data: [Float(total)], inputs: [self]) { [self] upstream in
            let s = upstream[0]
            accumulateGrad(s == 1 ? grad : grad.map { $0 * s })
        }
    }

    /// Distribution Focal Loss (GFL) over rows of n + 1 bin logits: for a continuous target
    /// y ∈ [0, n), DFL = (⌊y⌋+1 − y)·CE(z, ⌊y⌋) + (y − ⌊y⌋)·CE(z, ⌊y⌋+1), times the row weight.
    /// Returns the weighted sum over rows.
    public func distributionFocalLoss(targets: [Float], weights: [Float]) -> Tensor {
        precondition(rank == 2 && targets.count == shape[0] && weights.count == shape[0],
                     "distributionFocalLoss: logits \(shape), \(targets.count) targets, \(weights.count) weights")
        let (rows, bins) = (shape[0], shape[1])
        var grad = [Float](repeating: 0, count: count)
        var total = 0.0
        data.withUnsafeBufferPointer { x in grad.withUnsafeMutableBufferPointer { g in
            for r in 0..<rows where weights[r] != 0 {
                let y = Swift.min(Swift.max(targets[r], 0), Float(bins - 1) - 1e-3)
                let left = Int(y), wl = Float(left + 1) - y, wr = y - Float(left)
                let row = x.baseAddress! + r * bins
                var m = -Float.infinity
                for b in 0..<bins { m = Swift.max(m, row[b]) }
                var s: Float = 0
                for b in 0..<bins { s += Foundation.exp(row[b] - m) }
                let lse = m + Foundation.log(s)
                total += Double(weights[r] * (wl * (lse - row[left]) + wr * (lse - row[left + 1])))
                // dCE/dz = softmax − onehot, mixed by the two bin weights (wl + wr = 1).
                for b in 0..<bins { g[r * bins + b] = weights[r] * Foundation.exp(row[b] - lse) }
                g[r * bins + left] -= weights[r] * wl
                g[r * bins + left + 1] -= weights[r] * wr
            }
        } }
        return Tensor.record(shape: [], data: [Float(total)], inputs: [self]) { [self] upstream in
            let s = upstream[0]
            accumulateGrad(s == 1 ? grad : grad.map { $0 * s })
        }
    }
}

/// The sigmoid focal loss of one logit against target 1 or 0 on plain floats (torchvision's
/// `sigmoid_focal_loss`): the matching costs of OTA and PAA, computed without gradients.
public func sigmoidFocalLoss(_ z: Float, positive: Bool, alpha: Float = 0.25, gamma: Float = 2) -> Float {
    let p = 1 / (1 + Foundation.exp(-z))
    // BCE with logits, stably: softplus(−z) for target 1, softplus(z) for target 0.
    let x = positive ? -z : z
    let ce = Swift.max(x, 0) + Foundation.log1p(Foundation.exp(-Swift.abs(x)))
    return (positive ? alpha : 1 - alpha) * ce * Foundation.pow(positive ? 1 - p : p, gamma)
}
