import Tensor

/// MobileNetV2 (Sandler et al. 2018): inverted residual blocks with depthwise 3×3 convolutions,
/// with the usual width multiplier (channels rounded to multiples of 8).
public final class MobileNetV2: Module {
    /// (expansion t, channels c, repeats n, first stride s), as in the paper's Table 2.
    static let settings: [(Int, Int, Int, Int)] = [
        (1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1),
    ]

    /// Channels of the four outputs (strides 4, 8, 16, 32).
    public let outChannels: [Int]
    public let outStrides: [Int] = [4, 8, 16, 32]
    let stem: ConvNormAct
    let blocks: [InvertedResidual]
    /// Index of the block after which each output is taken.
    let taps: [Int]

    public init(widthMultiplier: Float = 1, norm: NormKind = .batch, rng: inout RNG) {
        // torchvision's _make_divisible: round to a multiple of 8, never dropping more than 10 %.
        func divisible(_ c: Float) -> Int {
            var v = Swift.max(8, Int(c + 4) / 8 * 8)
            if Float(v) < 0.9 * c { v += 8 }
            return v
        }
        var channels = divisible(32 * widthMultiplier)
        stem = ConvNormAct(3, channels, kernel: 3, stride: 2, norm: norm, activation: .relu6, rng: &rng)
        var built: [InvertedResidual] = []
        var taps: [Int] = [], outs: [Int] = []
        for (i, (t, c, n, s)) in MobileNetV2.settings.enumerated() {
            let out = divisible(Float(c) * widthMultiplier)
            for r in 0..<n {
                built.append(InvertedResidual(channels, out, stride: r == 0 ? s : 1, expansion: t, norm: norm, rng: &rng))
                channels = out
            }
            // Outputs after the stages of 24, 32, 96 and 320 base channels.
            if [1, 2, 4, 6].contains(i) { taps.append(built.count - 1); outs.append(out) }
        }
        blocks = built
        self.taps = taps
        outChannels = outs
        super.init()
        child("stem", stem)
        for (i, b) in blocks.enumerated() { child("block\(i)", b) }
    }

    public func callAsFunction(_ x: Tensor) -> [Tensor] {
        var y = stem(x)
        var outputs: [Tensor] = []
        for (i, b) in blocks.enumerated() {
            y = b(y)
            if taps.contains(i) { outputs.append(y) }
        }
        return outputs
    }
}

/// 1×1 expansion (ReLU6), depthwise 3×3 (ReLU6), linear 1×1 projection; residual when shapes allow.
public final class InvertedResidual: Module, Layer {
    let expand: ConvNormAct?, depthwise: ConvNormAct, project: ConvNormAct
    let residual: Bool

    public init(_ cin: Int, _ cout: Int, stride: Int, expansion: Int, norm: NormKind, rng: inout RNG) {
        let hidden = cin * expansion
        expand = expansion == 1 ? nil : ConvNormAct(cin, hidden, kernel: 1, norm: norm, activation: .relu6, rng: &rng)
        depthwise = ConvNormAct(hidden, hidden, kernel: 3, stride: stride, groups: hidden, norm: norm, activation: .relu6, rng: &rng)
        project = ConvNormAct(hidden, cout, kernel: 1, norm: norm, activation: .none, rng: &rng)
        residual = stride == 1 && cin == cout
        super.init()
        if let expand { child("expand", expand) }
        child("depthwise", depthwise); child("project", project)
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        let y = project(depthwise(expand.map { $0(x) } ?? x))
        return residual ? y + x : y
    }
}
