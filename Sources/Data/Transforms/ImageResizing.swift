/// mmdetection's keep-ratio resize (`Resize(img_scale=..., keep_ratio=True)`): the image is scaled
/// by one factor so that its long edge fits `longEdge` and its short edge fits `shortEdge`.
public struct ImageScale: Equatable, Hashable, Sendable, Codable {
    public var longEdge: Int
    public var shortEdge: Int

    /// mmdetection writes scales as (long, short), e.g. (1333, 800).
    public init(_ longEdge: Int, _ shortEdge: Int) {
        self.longEdge = max(longEdge, shortEdge)
        self.shortEdge = min(longEdge, shortEdge)
    }
}

enum ImageResizing {
    /// mmcv's `rescale_size`: factor = min(long / max(w, h), short / min(w, h)); each side is
    /// `Int(side · factor + 0.5)`. The returned scales are the actual new/old side ratios, which is
    /// what mmdetection multiplies boxes by.
    static func keepRatioSize(width: Int, height: Int, scale: ImageScale)
        -> (width: Int, height: Int, scaleX: Float, scaleY: Float) {
        let factor = min(Double(scale.longEdge) / Double(max(width, height)),
                         Double(scale.shortEdge) / Double(min(width, height)))
        let newWidth = max(1, Int(Double(width) * factor + 0.5)), newHeight = max(1, Int(Double(height) * factor + 0.5))
        return (newWidth, newHeight, Float(newWidth) / Float(width), Float(newHeight) / Float(height))
    }

    /// Bilinear resize of channel-major planes with OpenCV's `INTER_LINEAR` sampling (pixel
    /// centres aligned: source = (target + 0.5) · old/new − 0.5, clamped to the border).
    static func bilinear(_ pixels: [Float], channels: Int, width: Int, height: Int,
                         newWidth: Int, newHeight: Int) -> [Float] {
        if width == newWidth && height == newHeight { return pixels }
        func taps(_ new: Int, _ old: Int) -> (index0: [Int], index1: [Int], weight: [Float]) {
            var index0 = [Int](repeating: 0, count: new), index1 = index0, weight = [Float](repeating: 0, count: new)
            let ratio = Double(old) / Double(new)
            for i in 0..<new {
                let source = min(max((Double(i) + 0.5) * ratio - 0.5, 0), Double(old - 1))
                let lower = Int(source)
                index0[i] = lower
                index1[i] = min(lower + 1, old - 1)
                weight[i] = Float(source - Double(lower))
            }
            return (index0, index1, weight)
        }
        let xs = taps(newWidth, width), ys = taps(newHeight, height)
        var output = [Float](repeating: 0, count: channels * newWidth * newHeight)
        for c in 0..<channels {
            let source = c * width * height, target = c * newWidth * newHeight
            for y in 0..<newHeight {
                let row0 = source + ys.index0[y] * width, row1 = source + ys.index1[y] * width, wy = ys.weight[y]
                for x in 0..<newWidth {
                    let x0 = xs.index0[x], x1 = xs.index1[x], wx = xs.weight[x]
                    let top = pixels[row0 + x0] + (pixels[row0 + x1] - pixels[row0 + x0]) * wx
                    let bottom = pixels[row1 + x0] + (pixels[row1 + x1] - pixels[row1 + x0]) * wx
                    output[target + y * newWidth + x] = top + (bottom - top) * wy
                }
            }
        }
        return output
    }

    /// Nearest-neighbour resize of a mask with the same sampling grid.
    static func nearest(_ mask: InstanceMask, newWidth: Int, newHeight: Int) -> InstanceMask {
        if mask.width == newWidth && mask.height == newHeight { return mask }
        var values = [UInt8](repeating: 0, count: newWidth * newHeight)
        for y in 0..<newHeight {
            let sy = min(Int((Double(y) + 0.5) * Double(mask.height) / Double(newHeight)), mask.height - 1)
            for x in 0..<newWidth {
                let sx = min(Int((Double(x) + 0.5) * Double(mask.width) / Double(newWidth)), mask.width - 1)
                values[y * newWidth + x] = mask.values[sy * mask.width + sx]
            }
        }
        return InstanceMask(width: newWidth, height: newHeight, values: values)
    }
}
