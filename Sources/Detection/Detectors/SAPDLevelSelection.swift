import NN
import Tensor

/// SAPD's feature selection network (Zhu et al. 2020, §3.3; layer shapes as the unofficial Keras
/// code xuannianz/SAPD `build_meta_select_net`): each gt box is RoI-aligned to 7×7 on every
/// pyramid level, the levels concatenated along channels (L·C), then three 3×3 convolutions
/// without padding and with ReLU (7 → 5 → 3 → 1), and a fully connected layer to one logit per
/// level. Its softmax is the gt's soft level weights; it is trained by cross-entropy towards the
/// level where the detector's own loss on the gt is smallest, and unused at inference.
public final class SAPDLevelSelection: Module {
    public static let cropSize = 7
    let convs: [Conv2d]
    let classifier: Linear
    public let levels: Int

    public init(channels: Int, hiddenChannels: Int, levels: Int, rng: inout RNG) {
        self.levels = levels
        convs = (0..<3).map { i in
            Conv2d(i == 0 ? levels * channels : hiddenChannels, hiddenChannels, kernel: 3, padding: 0,
                   init: .normal(std: 0.01), biasValue: 0, rng: &rng)
        }
        classifier = Linear(hiddenChannels, levels, init: .normal(std: 0.01), rng: &rng)
        super.init()
        for (i, c) in convs.enumerated() { child("convs.\(i)", c) }
        child("fc", classifier)
    }

    /// Level logits [G, L] for the gt boxes of every image (`boxes[b]`, input pixels), rows in
    /// image order; `features` are the L pyramid levels [B, C, H, W] with their `strides`.
    public func callAsFunction(_ features: [Tensor], strides: [Int], boxes: [[Box]]) -> Tensor {
        precondition(features.count == levels && strides.count == levels, "SAPDLevelSelection: \(features.count) levels, expected \(levels)")
        let crops = zip(features, strides).map { $0.roiAlign(boxes: boxes, stride: Float($1), size: Self.cropSize) }
        let x = convs.reduce(Tensor.concat(crops, axis: 1)) { $1($0).relu() }
        return classifier(x.reshaped([x.shape[0], -1]))
    }
}

extension Tensor {
    /// RoIAlign of boxes on a map [B, C, H, W] of stride `stride`: for each box of each image
    /// (`boxes[b]`, input pixels), size × size bins, each read by one bilinear sample at its
    /// centre (mmcv samples ⌈box / size⌉² per bin; the Keras code's crop_and_resize reads one),
    /// in mmcv's `aligned=True` coordinates (x / stride − 0.5: a cell's value sits at its
    /// centre). As mmcv, a sample within one cell of the map is clamped onto its edge, and one
    /// further out reads zero. Returns [Σ boxes, C, size, size], rows in image order; the
    /// gradient reaches the map.
    public func roiAlign(boxes: [[Box]], stride: Float, size: Int) -> Tensor {
        let (n, c, h, w) = (shape[0], shape[1], shape[2], shape[3])
        precondition(boxes.count == n, "roiAlign: \(boxes.count) images of boxes for a batch of \(n)")
        let most = boxes.map(\.count).max() ?? 0
        let bins = size * size
        // Every image samples `most` boxes' bins (padding boxes read far outside, i.e. zeros),
        // so one bilinearSample serves the batch; the padding rows are dropped afterwards.
        var points = [Float]()
        points.reserveCapacity(n * most * bins * 2)
        for image in boxes {
            for j in 0..<most {
                guard j < image.count else {
                    points.append(contentsOf: repeatElement(-1e4, count: 2 * bins))
                    continue
                }
                let b = image[j]
                let x0 = b.x1 / stride - 0.5, y0 = b.y1 / stride - 0.5
                let bw = (b.x2 - b.x1) / stride / Float(size), bh = (b.y2 - b.y1) / stride / Float(size)
                for r in 0..<size { for q in 0..<size {
                    let x = x0 + (Float(q) + 0.5) * bw, y = y0 + (Float(r) + 0.5) * bh
                    if x < -1 || x > Float(w) || y < -1 || y > Float(h) {
                        points.append(-1e4); points.append(-1e4)
                    } else {
                        points.append(Swift.min(Swift.max(x, 0), Float(w - 1))); points.append(Swift.min(Swift.max(y, 0), Float(h - 1)))
                    }
                } }
            }
        }
        let sampled = bilinearSample(at: Tensor(shape: [n, most * bins, 2], data: points))
        let rows = boxes.enumerated().flatMap { b, image in image.indices.map { b * most + $0 } }
        return sampled.reshaped([n, c, most, bins]).permuted([0, 2, 1, 3]).reshaped([n * most, c, size, size])
            .indexSelect(axis: 0, rows)
    }
}
