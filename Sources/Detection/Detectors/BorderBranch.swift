import Foundation
import NN
import Tensor

/// BorderDet's border branch (Qiu et al. 2020; official Megvii-BaseDetection/BorderDet
/// `borderdet.py` `BorderBranch`): from a tower's features, a 1×1 "short" path (C → C_b,
/// instance norm, ReLU) and a 1×1 border path (C → 4·C_b, instance norm, ReLU) whose four
/// channel groups are max-pooled along the four borders of each location's coarse box
/// (`borderAlign`); both concatenated (5·C_b), fused by a 1×1 convolution and ReLU, and a 1×1
/// convolution gives the outputs (class logits or four border offsets).
public final class BorderBranch: Module {
    let short: Conv2d, border: Conv2d, fuse: Conv2d, output: Conv2d
    public let borderChannels: Int

    public init(channels: Int, borderChannels: Int, outputs: Int, outputBias: Float = 0, rng: inout RNG) {
        self.borderChannels = borderChannels
        short = Conv2d(channels, borderChannels, kernel: 1, init: .normal(std: 0.01), biasValue: 0, rng: &rng)
        border = Conv2d(channels, 4 * borderChannels, kernel: 1, init: .normal(std: 0.01), biasValue: 0, rng: &rng)
        fuse = Conv2d(5 * borderChannels, channels, kernel: 1, init: .normal(std: 0.01), biasValue: 0, rng: &rng)
        output = Conv2d(channels, outputs, kernel: 1, init: .normal(std: 0.01), biasValue: outputBias, rng: &rng)
        super.init()
        child("fm_short", short); child("ltrb", border); child("border_conv", fuse); child("out", output)
    }

    /// `feature` [N, C, H, W]; `boxes` per image and location (row-major), (x1, y1, x2, y2) in
    /// this level's feature coordinates. Returns [N, outputs, H, W].
    public func callAsFunction(_ feature: Tensor, boxes: [Box]) -> Tensor {
        let shortcut = short(feature).instanceNorm(weight: nil, bias: nil).relu()
        let edges = border(feature).instanceNorm(weight: nil, bias: nil).relu()
        let aligned = edges.borderAlign(boxes: boxes)
        return output(fuse(Tensor.concat([aligned, shortcut], axis: 1)).relu())
    }
}

extension Tensor {
    /// BorderAlign (BorderDet's CUDA op, pool size P = 10) on a map [N, 4·C, H, W] whose channel
    /// groups belong to the top, left, bottom and right borders (the kernel's order): for each
    /// location's box (x1, y1, x2, y2) in feature coordinates (`boxes`, N·H·W of them, row-major),
    /// group g is read by bilinear sampling at P + 1 evenly spaced points of its border, both
    /// ends included (top from (x1, y1) rightwards, left from (x1, y1) down, bottom from
    /// (x2, y2) leftwards, right from (x2, y2) up) and max-pooled over them. Returns
    /// [N, 4·C, H, W]; the gradient reaches the map (at each maximum), not the boxes.
    public func borderAlign(boxes: [Box], poolSize: Int = 10) -> Tensor {
        let (n, c4, h, w) = (shape[0], shape[1], shape[2], shape[3])
        precondition(c4 % 4 == 0 && boxes.count == n * h * w, "borderAlign: map \(shape), \(boxes.count) boxes")
        let c = c4 / 4, samples = poolSize + 1
        let groups = split(axis: 1, sizes: [c, c, c, c])
        let pooled = (0..<4).map { g -> Tensor in
            var points = [Float]()
            points.reserveCapacity(n * h * w * samples * 2)
            for b in boxes {
                let (start, step): ((Float, Float), (Float, Float))
                switch g {
                case 0: (start, step) = ((b.x1, b.y1), ((b.x2 - b.x1) / Float(poolSize), 0))
                case 1: (start, step) = ((b.x1, b.y1), (0, (b.y2 - b.y1) / Float(poolSize)))
                case 2: (start, step) = ((b.x2, b.y2), (-(b.x2 - b.x1) / Float(poolSize), 0))
                default: (start, step) = ((b.x2, b.y2), (0, -(b.y2 - b.y1) / Float(poolSize)))
                }
                for k in 0..<samples { points.append(start.0 + Float(k) * step.0); points.append(start.1 + Float(k) * step.1) }
            }
            let sampled = groups[g].bilinearSample(at: Tensor(shape: [n, h * w * samples, 2], data: points))
            return sampled.reshaped([n, c, h * w, samples]).max(axis: 3)
        }
        return Tensor.concat(pooled, axis: 1).reshaped([n, c4, h, w])
    }
}
