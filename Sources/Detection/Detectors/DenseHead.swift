import NN
import Tensor

/// The shared head of the dense detectors: a classification tower and a regression tower of
/// 3×3 convolutions applied to every pyramid level with shared weights, per-level learnable
/// scales on the regression output (FCOS/ATSS/GFL), and an optional centerness branch on the
/// regression tower (FCOS "imprv", ATSS), and GFocalV2's distribution-guided quality on the box
/// logits.
public final class DenseHead: Module {
    public struct Config: Sendable {
        public var numClasses: Int
        public var inChannels: Int
        public var featureChannels: Int
        public var stackedConvs: Int
        /// `.group(32)` for FCOS/ATSS/GFL; `.none` for RetinaNet.
        public var norm: NormKind
        public var priorsPerLocation: Int
        /// Regression outputs per prior: 4 (deltas, distances) or 4·(n+1) (GFL distributions).
        public var regressionChannels: Int
        public var centerness: Bool
        public var levels: Int
        public var levelScales: Bool
        /// GFocalV2: the class outputs become joint logits of σ(cls)·DGQP(box distribution)
        /// (one prior per location, `regressionChannels` = 4·(n + 1)).
        public var distributionQuality = false
        /// The classifier's bias is −log((1 − π)/π) (π 0.01; AutoAssign 0.02).
        public var classPriorProbability: Float = 0.01
        /// The regression output's bias (AutoAssign: 4, so every point starts 4 strides wide).
        public var regressionBias: Float = 0
        /// AutoAssign's learnable centre prior (`CenterPrior`), a head parameter as in mmdet.
        public var centerPrior = false
    }

    public let config: Config
    let clsTower: [ConvNormAct], regTower: [ConvNormAct]
    let clsOut: Conv2d, regOut: Conv2d, centernessOut: Conv2d?
    let quality: DistributionGuidedQuality?
    public let centerPrior: CenterPrior?
    public let scales: [Tensor]

    public struct LevelOutput {
        /// [B, A·K, H, W] logits (GFocalV2: joint class-quality logits).
        public let cls: Tensor
        /// GFocalV2: the class logits before the quality multiplies in (what LD's `LDv2Head`
        /// distils with class KD); nil for the other heads.
        public let classLogits: Tensor?
        /// [B, A·R, H, W] (already multiplied by the level's scale).
        public let reg: Tensor
        /// [B, A, H, W] logits, when the head has the branch.
        public let centerness: Tensor?
        /// The two towers' outputs [B, C, H, W] (BorderDet's border branches read them).
        public let clsFeature: Tensor, regFeature: Tensor
    }

    public init(_ config: Config, rng: inout RNG) {
        self.config = config
        func tower() -> [ConvNormAct] {
            (0..<config.stackedConvs).map { i in
                ConvNormAct(i == 0 ? config.inChannels : config.featureChannels, config.featureChannels, kernel: 3,
                            norm: config.norm, init: .normal(std: 0.01), rng: &rng)
            }
        }
        clsTower = tower()
        regTower = tower()
        let a = config.priorsPerLocation
        clsOut = Conv2d(config.featureChannels, a * config.numClasses, kernel: 3, init: .normal(std: 0.01),
                        biasValue: Initializer.priorProbabilityBias(config.classPriorProbability), rng: &rng)
        regOut = Conv2d(config.featureChannels, a * config.regressionChannels, kernel: 3, init: .normal(std: 0.01),
                        biasValue: config.regressionBias, rng: &rng)
        centernessOut = config.centerness
            ? Conv2d(config.featureChannels, a, kernel: 3, init: .normal(std: 0.01), biasValue: 0, rng: &rng) : nil
        if config.distributionQuality {
            precondition(a == 1 && config.regressionChannels % 4 == 0, "DGQP needs one prior per location and 4 distributions")
            quality = DistributionGuidedQuality(regMax: config.regressionChannels / 4 - 1, rng: &rng)
        } else {
            quality = nil
        }
        centerPrior = config.centerPrior ? CenterPrior(numClasses: config.numClasses) : nil
        scales = config.levelScales ? (0..<config.levels).map { _ in Tensor(filled: 1, shape: [1]) } : []
        super.init()
        for (i, m) in clsTower.enumerated() { child("cls_convs.\(i)", m) }
        for (i, m) in regTower.enumerated() { child("reg_convs.\(i)", m) }
        child("cls_out", clsOut); child("reg_out", regOut)
        if let centernessOut { child("centerness_out", centernessOut) }
        if let quality { child("reg_conf", quality) }
        if let centerPrior { child("center_prior", centerPrior) }
        for (i, s) in scales.enumerated() { parameter("scales.\(i)", s) }
    }

    public func callAsFunction(_ features: [Tensor]) -> [LevelOutput] {
        features.enumerated().map { level, x in
            let c = clsTower.reduce(x) { $1($0) }
            let r = regTower.reduce(x) { $1($0) }
            var reg = regOut(r)
            if !scales.isEmpty { reg = reg * scales[level] }
            let logits = clsOut(c)
            let cls = quality.map { Tensor.jointScoreLogit(cls: logits, quality: $0(reg)) } ?? logits
            return LevelOutput(cls: cls, classLogits: quality == nil ? nil : logits, reg: reg,
                               centerness: centernessOut.map { $0(r) }, clsFeature: c, regFeature: r)
        }
    }
}

extension Tensor {
    /// Per-level head maps [B, A·D, H, W] → one [B, Σ H·W·A, D] tensor, priors in mmdetection's
    /// order (level, then row, then column, then anchor): the order of `PriorLayout`.
    public static func flattenLevels(_ maps: [Tensor], perPrior d: Int) -> Tensor {
        let flat = maps.map { m -> Tensor in
            let (b, h, w) = (m.shape[0], m.shape[2], m.shape[3])
            return m.permuted([0, 2, 3, 1]).reshaped([b, h * w * (m.shape[1] / d), d])
        }
        return flat.count == 1 ? flat[0] : Tensor.concat(flat, axis: 1)
    }
}
