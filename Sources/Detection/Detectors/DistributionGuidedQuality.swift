import NN
import Tensor

/// GFocalV2's Distribution-Guided Quality Predictor (DGQP; Li et al., CVPR 2021; methods.md
/// §0.5): how sharp each side's bin distribution is predicts how good the box is. Per side, the
/// top-k softmax probabilities and their mean (4·(k + 1) = 20 statistics per prior) go through
/// a 1×1 conv to 64 channels, ReLU, a 1×1 conv to one logit; its sigmoid multiplies every class
/// score of the prior. The distribution is not detached: the quality's gradient reaches the box
/// branch, as in the official head.
public final class DistributionGuidedQuality: Module {
    /// GFocalV2's `reg_topk` and `reg_channels`.
    public static let topK = 4, hiddenChannels = 64
    public let bins: Int
    let hidden: Conv2d, out: Conv2d

    public init(regMax: Int, rng: inout RNG) {
        bins = regMax + 1
        precondition(bins >= Self.topK, "DGQP: \(bins) bins for a top-\(Self.topK)")
        hidden = Conv2d(4 * (Self.topK + 1), Self.hiddenChannels, kernel: 1, init: .normal(std: 0.01), biasValue: 0, rng: &rng)
        out = Conv2d(Self.hiddenChannels, 1, kernel: 1, init: .normal(std: 0.01), biasValue: 0, rng: &rng)
        super.init()
        // mmdet's `reg_conf` Sequential: conv 0, ReLU 1, conv 2 (sigmoid 3).
        child("0", hidden); child("2", out)
    }

    /// One level's box logits [B, 4·(n + 1), H, W] (after the level's scale) → quality logits
    /// [B, 1, H, W].
    public func callAsFunction(_ reg: Tensor) -> Tensor {
        out(hidden(Self.statistics(reg, bins: bins, topK: Self.topK)).relu())
    }

    /// [B, 4·(n + 1), H, W] → [B, 4·(k + 1), H, W]: per side, its softmax's k largest
    /// probabilities in descending order, then their mean (GFocalV2's `add_mean`).
    public static func statistics(_ reg: Tensor, bins: Int, topK k: Int) -> Tensor {
        let (b, h, w) = (reg.shape[0], reg.shape[2], reg.shape[3])
        precondition(reg.shape[1] == 4 * bins, "DGQP: \(reg.shape[1]) channels for 4 sides of \(bins) bins")
        let prob = reg.reshaped([b, 4, bins, h, w]).softmax(axis: 2)
        let plane = h * w
        var indices = [Int](repeating: 0, count: b * 4 * k * plane)
        prob.data.withUnsafeBufferPointer { p in
            var best = [Int](repeating: 0, count: k)
            for row in 0..<(b * 4) { for j in 0..<plane {
                let base = row * bins * plane + j
                // Insertion into the k best so far, descending; a later bin displaces an earlier
                // one only when strictly more probable, so ties keep the lower bin first.
                var filled = 0
                for i in 0..<bins {
                    let value = p[base + i * plane]
                    var slot = filled
                    while slot > 0 && value > p[base + best[slot - 1] * plane] { slot -= 1 }
                    guard slot < k else { continue }
                    var move = Swift.min(filled, k - 1)
                    while move > slot { best[move] = best[move - 1]; move -= 1 }
                    best[slot] = i
                    filled = Swift.min(filled + 1, k)
                }
                for r in 0..<k { indices[(row * k + r) * plane + j] = best[r] }
            } }
        }
        let top = prob.gather(axis: 2, indices: indices, indexShape: [b, 4, k, h, w])
        return Tensor.concat([top, top.mean(axis: 2, keepDims: true)], axis: 2).reshaped([b, 4 * (k + 1), h, w])
    }
}

extension Tensor {
    /// The logit of σ(cls)·σ(quality), from class logits [B, K, …] and quality logits [B, 1, …]:
    /// logit(σ(c)σ(u)) = −log(e^−c + e^−u + e^−c−u), computed as a log-sum-exp so it stays finite
    /// for any logits. Keeping GFocalV2's joint score as a logit lets QFL, the class KD, the
    /// max-score weights and inference read it exactly like GFL's (its sigmoid is the product).
    public static func jointScoreLogit(cls: Tensor, quality: Tensor) -> Tensor {
        let negCls = cls.scaled(by: -1), negQuality = quality.scaled(by: -1).broadcast(to: cls.shape)
        return Tensor.stack([negCls, negQuality, negCls + negQuality], axis: 0).logsumexp(axis: 0).scaled(by: -1)
    }
}
