import Detection
import Tensor

/// Per-channel normalisation of [0, 1] RGB: (value − mean) / std.
public struct Normalization: Equatable, Sendable, Codable {
    public var mean: [Float]
    public var std: [Float]

    public init(mean: [Float], std: [Float]) {
        precondition(mean.count == 3 && std.count == 3, "Normalization: three means and three stds (RGB)")
        self.mean = mean
        self.std = std
    }

    /// torchvision's ImageNet statistics, mmdetection's `img_norm_cfg` for PyTorch-style backbones
    /// (mean 123.675/116.28/103.53, std 58.395/57.12/57.375 on 0–255, RGB) divided by 255.
    public static let imageNet = Normalization(mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225])
    /// Leaves values in [0, 1].
    public static let identity = Normalization(mean: [0, 0, 0], std: [1, 1, 1])
}

/// mmdetection's pipeline from image to network input: keep-ratio resize to one of `scales`
/// (picked at random when there are several, mmdetection's multiscale_mode "value"), horizontal
/// flip, normalisation, and padding (done when batching) to a multiple of `sizeDivisor`.
public struct DetectionTransform: Equatable, Sendable, Codable {
    /// nil keeps the image's own size (the synthetic scenes are made at network size).
    public var scales: [ImageScale]?
    public var flipProbability: Float
    public var normalization: Normalization
    public var sizeDivisor: Int

    public init(scales: [ImageScale]? = nil, flipProbability: Float = 0.5, normalization: Normalization = .imageNet,
                sizeDivisor: Int = 32) {
        precondition(scales.map { !$0.isEmpty } ?? true, "DetectionTransform: give at least one scale, or nil")
        precondition(sizeDivisor >= 1, "DetectionTransform: sizeDivisor must be positive")
        self.scales = scales
        self.flipProbability = flipProbability
        self.normalization = normalization
        self.sizeDivisor = sizeDivisor
    }

    /// The same transform without randomness: the first scale, no flip (mmdetection's test pipeline).
    public var evaluation: DetectionTransform {
        DetectionTransform(scales: scales.map { [$0[0]] }, flipProbability: 0, normalization: normalization,
                           sizeDivisor: sizeDivisor)
    }

    /// The random choices for one image, drawn in a fixed order: scale (only when there are
    /// several), then flip (only when the probability is positive).
    public struct Choice: Equatable, Sendable {
        public var scaleIndex: Int
        public var flip: Bool
    }

    public func draw(_ rng: inout RNG) -> Choice {
        let scaleIndex = (scales?.count ?? 1) > 1 ? rng.int(below: scales?.count ?? 1) : 0
        let flip = flipProbability > 0 ? rng.uniform() < flipProbability : false
        return Choice(scaleIndex: scaleIndex, flip: flip)
    }

    /// Resizes, flips and normalises one sample (no padding); objects follow the pixels.
    public func apply(_ sample: DetectionSample, choice: Choice) -> (pixels: [Float], objects: [ObjectAnnotation], meta: ImageMeta) {
        var width = sample.width, height = sample.height
        var scaleX: Float = 1, scaleY: Float = 1
        var pixels = sample.pixels
        if let scales {
            let size = ImageResizing.keepRatioSize(width: width, height: height, scale: scales[choice.scaleIndex])
            pixels = ImageResizing.bilinear(pixels, channels: 3, width: width, height: height,
                                            newWidth: size.width, newHeight: size.height)
            (width, height, scaleX, scaleY) = size
        }
        let meta = ImageMeta(imageID: sample.imageID, originalWidth: sample.width, originalHeight: sample.height,
                             width: width, height: height, scaleX: scaleX, scaleY: scaleY, flipped: choice.flip)
        let objects = sample.objects.map { meta.transform($0) }
        if choice.flip { pixels = flipHorizontally(pixels, width: width, height: height) }
        let n = width * height
        for c in 0..<3 {
            let mean = normalization.mean[c], inverseStd = 1 / normalization.std[c]
            for i in (c * n)..<((c + 1) * n) { pixels[i] = (pixels[i] - mean) * inverseStd }
        }
        return (pixels, objects, meta)
    }

    private func flipHorizontally(_ pixels: [Float], width: Int, height: Int) -> [Float] {
        var out = pixels
        for row in 0..<(3 * height) {
            let start = row * width
            for x in 0..<width { out[start + x] = pixels[start + width - 1 - x] }
        }
        return out
    }
}
