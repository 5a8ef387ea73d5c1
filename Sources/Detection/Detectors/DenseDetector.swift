import NN
import Tensor

/// RetinaNet, FCOS, ATSS, GFL, GFocalV2, OTA, PAA, AutoAssign, BorderDet, SAPD, and the rotated
/// RetinaNet and GWD: backbone → FPN (P3–P7) → shared dense head. One class with the per-kind parts (priors, assignment, losses,
/// decoding) switched on `config.kind`, so that the distillation methods see one interface for
/// every student and teacher.
public final class DenseDetector: Module {
    public let config: DenseDetectorConfig
    public let backbone: any Backbone
    public let fpn: FPN
    public let head: DenseHead
    /// Strides of P3–P7.
    public let strides: [Int]
    let anchorGenerator: AnchorGenerator?
    /// BorderDet's second stage: border classification and border regression branches.
    let borderBranches: (cls: BorderBranch, reg: BorderBranch)?
    /// SAPD's feature selection network (training only).
    public let levelSelection: SAPDLevelSelection?

    public init(_ config: DenseDetectorConfig, rng: inout RNG) {
        self.config = config
        backbone = config.backbone.make(rng: &rng)
        let c3 = backbone.outStrides[1]
        strides = (0..<5).map { c3 << $0 }
        fpn = FPN(inChannels: Array(backbone.outChannels.dropFirst()), outChannels: config.fpnChannels,
                  extraLevels: 2, extra: config.fpnExtra, rng: &rng)
        head = DenseHead(.init(numClasses: config.numClasses, inChannels: config.fpnChannels,
                               featureChannels: config.headChannels, stackedConvs: config.stackedConvs,
                               norm: config.plainHead ? .none : .group(Swift.min(32, config.headChannels / 4)),
                               priorsPerLocation: config.priorsPerLocation, regressionChannels: config.regressionChannels,
                               centerness: config.usesCenterness, levels: 5, levelScales: !config.plainHead,
                               distributionQuality: config.kind == .gflv2,
                               classPriorProbability: config.kind == .autoassign ? 0.02 : 0.01,
                               regressionBias: config.regressionBias,
                               centerPrior: config.kind == .autoassign),
                         rng: &rng)
        switch config.kind {
        case .retinanet, .rotatedRetinanet, .gwd: anchorGenerator = .retinaNet(strides: strides)
        case .atss, .gfl, .gflv2, .paa: anchorGenerator = .atss(strides: strides)
        case .fcos, .ota, .autoassign, .borderdet, .sapd: anchorGenerator = nil
        }
        if config.kind == .borderdet {
            // The official widths: 256 border channels for classification, 128 for regression.
            let c = config.headChannels
            borderBranches = (BorderBranch(channels: c, borderChannels: c, outputs: config.numClasses,
                                           outputBias: Initializer.priorProbabilityBias(0.01), rng: &rng),
                              BorderBranch(channels: c, borderChannels: Swift.max(1, c / 2), outputs: 4, rng: &rng))
        } else {
            borderBranches = nil
        }
        // Keras SAPD's 256 hidden channels, the head's width.
        levelSelection = config.kind == .sapd
            ? SAPDLevelSelection(channels: config.fpnChannels, hiddenChannels: config.headChannels, levels: 5, rng: &rng) : nil
        super.init()
        child("backbone", backbone); child("neck", fpn); child("bbox_head", head)
        if let borderBranches { child("border_cls", borderBranches.cls); child("border_reg", borderBranches.reg) }
        if let levelSelection { child("level_select", levelSelection) }
    }

    /// Everything a forward pass produces, kept for losses, inference and distillation.
    public struct Outputs {
        /// FPN levels P3–P7 [B, C, H, W] (feature-imitation methods tap these).
        public let features: [Tensor]
        /// [B, P, K] classification logits (GFL: joint class-IoU; GFocalV2: the joint logit of
        /// class × quality), priors in `layout` order.
        public let cls: Tensor
        /// [B, P, R] regression outputs (deltas, stride-unit distances, or bin logits: GFL and
        /// `boxHead: .distribution`; rotated detectors: 5 deltas, or 5 × (n + 1) bin logits,
        /// value-major).
        public let reg: Tensor
        /// [B, P, 1] centerness logits (FCOS, ATSS); OTA's and PAA's IoU-prediction logits;
        /// AutoAssign's objectness logits.
        public let centerness: Tensor?
        public let priors: Priors
        /// GFocalV2: [B, P, K] class logits before the quality predictor (`cls` is the joint
        /// score); nil for the other detectors, whose `cls` is this already.
        public var classLogits: Tensor? = nil
        /// BorderDet: [B, P, K] border class logits and [B, P, 4] border offsets of the coarse
        /// boxes (`pointBoxes`); nil for the other detectors.
        public var borderCls: Tensor? = nil, borderReg: Tensor? = nil
        public var batch: Int { cls.shape[0] }
    }

    /// Anchors (RetinaNet, ATSS, GFL, PAA) or points (FCOS, OTA, AutoAssign, BorderDet, SAPD) of one
    /// input size, with per-prior stride
    /// and centre.
    public struct Priors: Sendable {
        public let layout: PriorLayout
        public let anchors: [Box]
        public let centers: [Point]
        public let strides: [Float]
        public let points: Points?
    }

    public func callAsFunction(_ images: Tensor) -> Outputs {
        let features = fpn(Array(backbone(images).dropFirst()))
        let levels = head(features)
        let sizes = features.map { FeatureSize(height: $0.shape[2], width: $0.shape[3]) }
        var out = Outputs(features: features,
                          cls: .flattenLevels(levels.map(\.cls), perPrior: config.numClasses),
                          reg: .flattenLevels(levels.map(\.reg), perPrior: config.regressionChannels),
                          centerness: config.usesCenterness ? .flattenLevels(levels.map { $0.centerness! }, perPrior: 1) : nil,
                          priors: priors(for: sizes),
                          classLogits: head.quality == nil ? nil
                              : .flattenLevels(levels.map { $0.classLogits! }, perPrior: config.numClasses))
        if let borderBranches {
            // Each location's coarse box in its level's feature coordinates (pixels / stride, on
            // the offset-0 grid), clamped to the map, as BorderDet aligns it.
            let coarse = (0..<out.batch).map { pointBoxes(out, image: $0) }
            var cls: [Tensor] = [], reg: [Tensor] = []
            for (l, level) in levels.enumerated() {
                let range = out.priors.layout.levels[l].range, s = Float(strides[l])
                let maxX = Float(level.reg.shape[3] - 1), maxY = Float(level.reg.shape[2] - 1)
                let boxes = coarse.flatMap { image in
                    image[range].map { b in
                        Box(x1: Swift.min(Swift.max(b.x1 / s, 0), maxX), y1: Swift.min(Swift.max(b.y1 / s, 0), maxY),
                            x2: Swift.min(Swift.max(b.x2 / s, 0), maxX), y2: Swift.min(Swift.max(b.y2 / s, 0), maxY))
                    }
                }
                cls.append(borderBranches.cls(level.clsFeature, boxes: boxes))
                reg.append(borderBranches.reg(level.regFeature, boxes: boxes))
            }
            out.borderCls = .flattenLevels(cls, perPrior: config.numClasses)
            out.borderReg = .flattenLevels(reg, perPrior: 4)
        }
        return out
    }

    /// The boxes a distance-regressing point head (FCOS, OTA, AutoAssign, BorderDet, SAPD)
    /// predicts for every prior of image `b`, in input pixels, not clipped: ReLU'd distances ×
    /// stride (× 4 for SAPD) around each point, detached (OTA's assignment, BorderDet's coarse
    /// boxes, SAPD's level losses).
    public func pointBoxes(_ out: Outputs, image b: Int) -> [Box] {
        let p = out.priors.layout.count
        precondition(config.regressesDistances && !config.predictsDistributions, "pointBoxes: \(config.kind) does not regress plain distances")
        return out.reg.data.withUnsafeBufferPointer { r in
            (0..<p).map { i in
                let c = out.priors.centers[i], s = out.priors.strides[i] * config.distanceUnit, f = 4 * (b * p + i)
                return Box(x1: c.x - Swift.max(r[f], 0) * s, y1: c.y - Swift.max(r[f + 1], 0) * s,
                           x2: c.x + Swift.max(r[f + 2], 0) * s, y2: c.y + Swift.max(r[f + 3], 0) * s)
            }
        }
    }

    public func priors(for sizes: [FeatureSize]) -> Priors {
        if let anchorGenerator {
            let a = anchorGenerator.gridPriors(featureSizes: sizes)
            let strides = a.layout.levelIndices.map { Float(self.strides[$0]) }
            return Priors(layout: a.layout, anchors: a.boxes, centers: a.centers, strides: strides, points: nil)
        }
        // FCOS points sit at cell centres (x·s + s/2, mmdet's offset 0.5); OTA's, AutoAssign's
        // and BorderDet's at corners (offset 0 in cvpods and in mmdet's AutoAssign), as anchors.
        let offset: Float = config.pointsAtCorners ? 0 : 0.5
        let p = PointGenerator(strides: strides, offset: offset).gridPriors(featureSizes: sizes)
        let strides = p.strides
        return Priors(layout: p.layout, anchors: p.points.map { Box(x1: $0.x, y1: $0.y, x2: $0.x, y2: $0.y) },
                      centers: p.points, strides: strides, points: p)
    }
}
