import Foundation
import Tensor

/// Res2Net's multi-scale split of the bottleneck's 3×3 stage (Gao et al. 2019, as mmdet's
/// `Res2Net`): `scales` groups of floor(planes · baseWidth / 64) channels. Under a width
/// multiplier the floor bites: at ×0.25 the first stage's groups have 6 channels, not 6.5.
public struct Res2NetShape: Sendable, Equatable {
    public var scales: Int
    public var baseWidth: Int
    public init(scales: Int = 4, baseWidth: Int = 26) { self.scales = scales; self.baseWidth = baseWidth }
}

/// mmdet's `Bottle2neck` ("pytorch" style, `avg_down`): 1×1 to `scales` groups; each group
/// after the first gets a 3×3 convolution of itself plus the previous group's output (the first
/// block of a stage convolves each group alone), the last group passes through (average-pooled
/// where the block strides); 1×1 back to planes × 4. The shortcut of a striding or widening
/// block average-pools before its 1×1 projection.
public final class Bottle2neck: Module, Layer {
    let conv1: ConvNormAct, convs: [ConvNormAct], conv3: ConvNormAct, downsample: ConvNormAct?
    let width: Int, scales: Int, stride: Int, firstOfStage: Bool

    public init(_ cin: Int, _ planes: Int, stride: Int, norm: NormKind, shape: Res2NetShape, firstOfStage: Bool,
                deformable: Bool = false, rng: inout RNG) {
        precondition(shape.scales > 1, "Res2Net with one scale is a ResNet")
        width = Swift.max(1, planes * shape.baseWidth / 64)
        scales = shape.scales
        self.stride = stride
        self.firstOfStage = firstOfStage
        conv1 = ConvNormAct(cin, width * scales, kernel: 1, norm: norm, rng: &rng)
        var convs: [ConvNormAct] = []
        for _ in 0..<(scales - 1) {
            convs.append(ConvNormAct(width, width, kernel: 3, stride: stride, norm: norm, deformable: deformable, rng: &rng))
        }
        self.convs = convs
        conv3 = ConvNormAct(width * scales, planes * 4, kernel: 1, norm: norm, activation: .none, rng: &rng)
        downsample = stride != 1 || cin != planes * 4
            ? ConvNormAct(cin, planes * 4, kernel: 1, norm: norm, activation: .none, rng: &rng) : nil
        super.init()
        child("conv1", conv1)
        let group = child("convs", Module())
        for (i, conv) in convs.enumerated() { group.child(String(i), conv) }
        child("conv3", conv3)
        if let downsample { child("downsample", downsample) }
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        let groups = conv1(x).split(axis: 1, sizes: [Int](repeating: width, count: scales))
        var outputs: [Tensor] = []
        for (i, conv) in convs.enumerated() {
            let previous = firstOfStage ? nil : outputs.last
            outputs.append(conv(previous.map { $0 + groups[i] } ?? groups[i]))
        }
        let last = groups[scales - 1]
        outputs.append(firstOfStage && stride != 1 ? last.avgPool2d(kernel: 3, stride: stride, padding: 1) : last)
        let y = conv3(Tensor.concat(outputs, axis: 1))
        let shortcut = downsample.map { project in
            project(stride == 1 ? x : x.avgPool2d(kernel: stride, stride: stride, countIncludePad: false, ceilMode: true))
        } ?? x
        return (y + shortcut).relu()
    }
}
