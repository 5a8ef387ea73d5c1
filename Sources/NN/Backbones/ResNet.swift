import Tensor

/// ResNet (He et al. 2016) with basic or bottleneck blocks, depths 18–152, and a width multiplier
/// so that small-scale analogues keep the papers' relative capacities (R-18 vs R-101 differ in
/// depth and block type, not only width). Fully convolutional: any input size works.
public final class ResNet: Module {
    public enum BlockKind: Sendable { case basic, bottleneck }

    public enum Stem: Sendable {
        /// 7×7 stride-2 convolution and 3×3 stride-2 max pooling (stride 4 before stage 1).
        case imagenet
        /// One 3×3 stride-2 convolution (stride 2 before stage 1) for small synthetic images.
        case compact
    }

    public struct Config: Sendable {
        public var depth: Int
        public var widthMultiplier: Float = 1
        public var stem: Stem = .imagenet
        public var norm: NormKind = .batch
        /// Stages whose parameters are frozen (mmdet `frozen_stages`: 1 = stem and stage 1).
        public var frozenStages: Int = -1
        /// BatchNorm uses running statistics and fixed affine parameters (detectron2's FrozenBN).
        public var frozenBatchNorm: Bool = false
        /// BatchNorm uses running statistics, its affine parameters still train (mmdet's
        /// `norm_eval=True` with `requires_grad=True`, the pytorch-style one-stage configs).
        public var batchNormEval: Bool = false
        /// Deformable 3×3 convolutions in the bottlenecks of stages 2–4 (C3–C5), as mmdet's
        /// "dconv_c3-c5" configs (`stage_with_dcn=(False, True, True, True)`); bottlenecks only.
        public var deformable: Bool = false
        /// Res2Net's bottlenecks (`Bottle2neck`) instead of ResNet's; depth 50, 101 or 152.
        public var res2Net: Res2NetShape? = nil
        public init(depth: Int, widthMultiplier: Float = 1, stem: Stem = .imagenet) {
            self.depth = depth; self.widthMultiplier = widthMultiplier; self.stem = stem
        }
    }

    public static func layout(depth: Int) -> (BlockKind, [Int]) {
        switch depth {
        case 18: return (.basic, [2, 2, 2, 2])
        case 34: return (.basic, [3, 4, 6, 3])
        case 50: return (.bottleneck, [3, 4, 6, 3])
        case 101: return (.bottleneck, [3, 4, 23, 3])
        case 152: return (.bottleneck, [3, 8, 36, 3])
        default: preconditionFailure("ResNet depth \(depth) is not one of 18, 34, 50, 101, 152")
        }
    }

    public let config: Config
    /// Channels of the outputs C2, C3, C4, C5.
    public let outChannels: [Int]
    /// Total stride of C2…C5 relative to the input.
    public let outStrides: [Int]
    let stem: [(Tensor) -> Tensor]
    let stages: [[(Tensor) -> Tensor]]

    public init(_ config: Config, rng: inout RNG) {
        self.config = config
        let (kind, blocks) = ResNet.layout(depth: config.depth)
        precondition((!config.deformable && config.res2Net == nil) || kind == .bottleneck,
                     "ResNet-\(config.depth): deformable convolutions and Res2Net need bottleneck blocks")
        let expansion = kind == .basic ? 1 : 4
        let base = Swift.max(1, Int((64 * config.widthMultiplier).rounded()))
        var stemOps: [(Tensor) -> Tensor] = []
        let stemConv: ConvNormAct
        switch config.stem {
        case .imagenet:
            stemConv = ConvNormAct(3, base, kernel: 7, stride: 2, norm: config.norm, rng: &rng)
            stemOps = [{ stemConv($0) }, { $0.maxPool2d(kernel: 3, stride: 2, padding: 1) }]
        case .compact:
            stemConv = ConvNormAct(3, base, kernel: 3, stride: 2, norm: config.norm, rng: &rng)
            stemOps = [{ stemConv($0) }]
        }
        var channels = base
        var stageOps: [[(Tensor) -> Tensor]] = []
        var outs: [Int] = []
        var blockModules: [[Module]] = []
        for (s, count) in blocks.enumerated() {
            let planes = base << s
            var ops: [(Tensor) -> Tensor] = []
            var modules: [Module] = []
            for b in 0..<count {
                let stride = (s > 0 && b == 0) ? 2 : 1
                let deformable = config.deformable && s > 0
                let block: any Module & Layer
                if kind == .basic {
                    block = BasicBlock(channels, planes, stride: stride, norm: config.norm, rng: &rng)
                } else if let shape = config.res2Net {
                    block = Bottle2neck(channels, planes, stride: stride, norm: config.norm, shape: shape, firstOfStage: b == 0,
                                        deformable: deformable, rng: &rng)
                } else {
                    block = Bottleneck(channels, planes, stride: stride, norm: config.norm, deformable: deformable, rng: &rng)
                }
                ops.append { block($0) }
                modules.append(block)
                channels = planes * expansion
            }
            stageOps.append(ops)
            blockModules.append(modules)
            outs.append(channels)
        }
        stem = stemOps
        stages = stageOps
        outChannels = outs
        let first = config.stem == .imagenet ? 4 : 2
        outStrides = (0..<4).map { first << $0 }
        super.init()
        child("stem", stemConv)
        for (s, modules) in blockModules.enumerated() {
            let stage = child("layer\(s + 1)", Module())
            for (b, m) in modules.enumerated() { stage.child(String(b), m) }
        }
        if config.frozenStages >= 0 { freeze(prefix: "stem.") }
        if config.frozenStages >= 1 { for s in 1...config.frozenStages { freeze(prefix: "layer\(s).") } }
        if config.frozenBatchNorm || config.batchNormEval { freezeBatchNorm(self, affine: config.frozenBatchNorm) }
    }

    /// Returns [C2, C3, C4, C5].
    public func callAsFunction(_ x: Tensor) -> [Tensor] {
        var y = stem.reduce(x) { $1($0) }
        var outputs: [Tensor] = []
        for stage in stages {
            y = stage.reduce(y) { $1($0) }
            outputs.append(y)
        }
        return outputs
    }
}

func freezeBatchNorm(_ module: Module, affine: Bool = true) {
    if let bn = module as? BatchNorm2d { bn.freezeStatistics(affine: affine) }
    for c in module.children { freezeBatchNorm(c.module, affine: affine) }
}

/// Two 3×3 convolutions with an identity (or 1×1 projection) shortcut.
public final class BasicBlock: Module, Layer {
    let conv1: ConvNormAct, conv2: ConvNormAct, downsample: ConvNormAct?

    public init(_ cin: Int, _ planes: Int, stride: Int, norm: NormKind, rng: inout RNG) {
        conv1 = ConvNormAct(cin, planes, kernel: 3, stride: stride, norm: norm, rng: &rng)
        conv2 = ConvNormAct(planes, planes, kernel: 3, norm: norm, activation: .none, rng: &rng)
        downsample = stride != 1 || cin != planes
            ? ConvNormAct(cin, planes, kernel: 1, stride: stride, norm: norm, activation: .none, rng: &rng) : nil
        super.init()
        child("conv1", conv1); child("conv2", conv2)
        if let downsample { child("downsample", downsample) }
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        let shortcut = downsample.map { $0(x) } ?? x
        return (conv2(conv1(x)) + shortcut).relu()
    }
}

/// 1×1 reduce, 3×3 (carrying the stride, "pytorch" style; optionally deformable), 1×1 expand ×4,
/// with shortcut.
public final class Bottleneck: Module, Layer {
    let conv1: ConvNormAct, conv2: ConvNormAct, conv3: ConvNormAct, downsample: ConvNormAct?

    public init(_ cin: Int, _ planes: Int, stride: Int, norm: NormKind, deformable: Bool = false, rng: inout RNG) {
        conv1 = ConvNormAct(cin, planes, kernel: 1, norm: norm, rng: &rng)
        conv2 = ConvNormAct(planes, planes, kernel: 3, stride: stride, norm: norm, deformable: deformable, rng: &rng)
        conv3 = ConvNormAct(planes, planes * 4, kernel: 1, norm: norm, activation: .none, rng: &rng)
        downsample = stride != 1 || cin != planes * 4
            ? ConvNormAct(cin, planes * 4, kernel: 1, stride: stride, norm: norm, activation: .none, rng: &rng) : nil
        super.init()
        child("conv1", conv1); child("conv2", conv2); child("conv3", conv3)
        if let downsample { child("downsample", downsample) }
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        let shortcut = downsample.map { $0(x) } ?? x
        return (conv3(conv2(conv1(x))) + shortcut).relu()
    }
}
