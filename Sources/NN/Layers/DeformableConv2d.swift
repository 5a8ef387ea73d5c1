import Tensor

/// mmcv's `DeformConv2dPack` (DCNv1, one offset group): a plain convolution predicts each tap's
/// (dy, dx) from the input, and the deformable convolution reads there. The offset convolution
/// starts at zero, so a fresh layer is the plain convolution it replaces and loads that
/// convolution's weights (`isOffsetParameter` names what a plain checkpoint lacks).
public final class DeformableConv2d: Module, Layer {
    public let weight: Tensor
    public let offsetConv: Conv2d
    public let options: Conv2dOptions

    /// The path component of the offset convolution's parameters (mmcv's `conv_offset`).
    static let offsetParameterMarker = "conv_offset"

    /// Whether a parameter path belongs to an offset branch: absent from plain (ImageNet or
    /// pretraining) weights, which a deformable backbone loads with its offsets at zero.
    public static func isOffsetParameter(_ name: String) -> Bool {
        name.split(separator: ".").contains { $0 == offsetParameterMarker }
    }

    public init(_ inChannels: Int, _ outChannels: Int, kernel: Int, stride: Int = 1, dilation: Int = 1,
                init initializer: Initializer = .kaimingNormalFanOut, rng: inout RNG) {
        let padding = dilation * (kernel - 1) / 2
        options = Conv2dOptions(stride: stride, padding: padding, dilation: dilation)
        weight = initializer.make([outChannels, inChannels, kernel, kernel], rng: &rng)
        offsetConv = Conv2d(inChannels, 2 * kernel * kernel, kernel: kernel, stride: stride, padding: padding,
                            dilation: dilation, init: .constant(0), biasValue: 0, rng: &rng)
        super.init()
        parameter("weight", weight)
        child(Self.offsetParameterMarker, offsetConv)
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        x.deformableConv2d(offset: offsetConv(x), weight: weight, options: options)
    }
}
