import NN
import Tensor

/// The dense detectors of the papers' one-stage tables. GFocalV2 (LD Table 8) is GFL with
/// its distribution-guided quality predictor (`DistributionGuidedQuality`). Rotated RetinaNet
/// and GWD (LD Table 5) regress oriented boxes: RetinaNet's anchors and classification, five
/// deltas (x, y, w, h, θ) per anchor (`RotatedDeltaCoder`), an L1 loss on the deltas or the GWD
/// loss on the decoded boxes. OTA (LD Table 8) is FCOS's points and ReLU distances with an IoU
/// branch in place of centerness, assigned by optimal transport on the predictions
/// (`OTAAssigner`), as the official code. PAA (also Table 8) is ATSS's anchors, deltas and head
/// with an IoU branch in place of centerness, assigned by a GMM over per-anchor losses
/// (`PAAAssigner`) and tested with score voting, as mmdetection's `PAAHead`. AutoAssign (also
/// Table 8) is FCOS-like points with an objectness branch, trained without hard assignment by
/// weighting every inside point (`AutoAssignLosses`, `CenterPrior`), as mmdetection's
/// `AutoAssignHead`. BorderDet (also Table 8) is FCOS with a second stage of border branches
/// that max-pool features along each coarse box's borders (`BorderBranch`), as its official code.
/// SAPD (also Table 8) is FSAF's anchor-point head (points at cell centres, ReLU distances in
/// units of 4 strides, effective regions `SAPDAssigner`) trained with soft-weighted anchor points
/// and soft-selected pyramid levels (`SAPDLevelSelection`, `sapdLosses`).
public enum DenseDetectorKind: String, CaseIterable, Sendable, Codable {
    case retinanet, fcos, atss, gfl, gflv2, ota, paa, autoassign, borderdet, sapd
    case rotatedRetinanet = "rotated_retinanet", gwd

    /// GFL and GFocalV2 share assignment, losses and decoding.
    public var isGFL: Bool { self == .gfl || self == .gflv2 }
    /// Oriented-box detectors (trained on `GroundTruth.rotatedBoxes`).
    public var isRotated: Bool { self == .rotatedRetinanet || self == .gwd }
    /// RetinaNet's nine anchors per location, head without normalisation or level scales.
    public var isRetinaNetLike: Bool { self == .retinanet || isRotated }
}

/// Ground truth of one image in the (possibly resized and flipped) network input coordinates.
public struct GroundTruth: Sendable {
    public var boxes: [Box]
    /// Class indices 0..<numClasses.
    public var labels: [Int]
    /// Crowd or ignore regions: priors overlapping them are not trained as background.
    public var ignored: [Box]
    /// The oriented boxes of the same objects (rotated detectors); empty otherwise.
    public var rotatedBoxes: [RotatedBox]

    public init(boxes: [Box], labels: [Int], ignored: [Box] = [], rotatedBoxes: [RotatedBox] = []) {
        precondition(boxes.count == labels.count, "GroundTruth: \(boxes.count) boxes, \(labels.count) labels")
        precondition(rotatedBoxes.isEmpty || rotatedBoxes.count == boxes.count,
                     "GroundTruth: \(rotatedBoxes.count) rotated boxes for \(boxes.count) objects")
        self.boxes = boxes; self.labels = labels; self.ignored = ignored; self.rotatedBoxes = rotatedBoxes
    }
}

public enum BackboneChoice: Sendable {
    case resnet(ResNet.Config)
    case mobileNetV2(widthMultiplier: Float)

    public func make(rng: inout RNG) -> any Backbone {
        switch self {
        case .resnet(let c): return ResNet(c, rng: &rng)
        case .mobileNetV2(let w): return MobileNetV2(widthMultiplier: w, rng: &rng)
        }
    }
}

/// How a dense head regresses its boxes.
public enum DenseBoxHead: String, CaseIterable, Sendable, Codable {
    /// The detector's own: RetinaNet and ATSS deltas, FCOS ReLU distances, GFL distributions.
    case native
    /// "GFL-ified" (LD paper §3.2, Table 4; methods.md D1): every prior predicts each side's
    /// distance from its centre as n + 1 bin logits, decoded by the integral × stride, as LD's
    /// `RetinaGFLHead`, `ATSSGFLHead` and `FCOSGFLHead`. Assignment, classification and the box
    /// loss's weights stay the detector's own; GFL's head is this already. On rotated RetinaNet
    /// and GWD (Rotated-LD's `RotatedRetinaHeadDistribution`): each of the five deltas is the
    /// expectation of n + 1 values spread over `rotatedBinRange`.
    case distribution
}

/// A dense detector's architecture and training constants; defaults follow mmdetection 2.x
/// (methods.md §0.2–0.5), with sizes that small-scale profiles override.
public struct DenseDetectorConfig: Sendable {
    public var kind: DenseDetectorKind
    public var numClasses: Int
    public var backbone: BackboneChoice
    public var fpnChannels = 256
    public var headChannels = 256
    public var stackedConvs = 4
    /// GFL's n: distributions over 0…n bins per side. Rotated detectors with `.distribution`
    /// spread each delta over n + 1 values evenly from `rotatedBinRange` (Rotated-LD: n = 8).
    public var regMax = 16
    /// The values the n + 1 bins of a rotated distribution head stand for (every delta alike).
    public var rotatedBinRange: ClosedRange<Float> = -2...2
    /// Scale of FCOS's regress ranges relative to mmdet's 800-px defaults (128 px: 0.16).
    public var fcosRangeScale: Float = 1
    /// `.distribution` gives RetinaNet, FCOS and ATSS GFL's box branch (LD's Table 4), and the
    /// rotated detectors delta distributions (Table 5); no effect on GFL and GFocalV2, whose heads
    /// are distributional anyway. LD's GFL-ified RetinaNet is tested with GFL's
    /// NMS IoU 0.6, not RetinaNet's 0.5, so setting it also sets RetinaNet's post-processing.
    public var boxHead = DenseBoxHead.native {
        didSet { if kind == .retinanet { postprocess = boxHead == .distribution ? .retinaGFL : .retinaNet } }
    }
    public var postprocess: DensePostprocessConfig
    /// PAA's assignment rules: mmdetection's (default) or the official code's.
    public var paaRules = PAAAssigner.Rules.mmdetection

    public init(kind: DenseDetectorKind, numClasses: Int, backbone: BackboneChoice) {
        self.kind = kind; self.numClasses = numClasses; self.backbone = backbone
        switch kind {
        case .retinanet: postprocess = .retinaNet
        case .rotatedRetinanet, .gwd: postprocess = .rotatedRetinaNet
        case .ota: postprocess = .ota
        case .paa: postprocess = .paa
        case .autoassign: postprocess = .autoAssign
        case .borderdet: postprocess = .borderDet
        case .sapd: postprocess = .sapd
        case .fcos, .atss, .gfl, .gflv2: postprocess = .gfl
        }
        if kind.isRotated { regMax = 8 }
    }

    public var priorsPerLocation: Int { kind.isRetinaNetLike ? 9 : 1 }
    /// Box values regressed per prior: 4 sides or deltas, 5 rotated deltas.
    public var boxValuesPerPrior: Int { kind.isRotated ? 5 : 4 }
    /// Whether boxes are bin distributions (GFL, or a GFL-ified head): what LD needs.
    public var predictsDistributions: Bool { kind.isGFL || boxHead == .distribution }
    /// Distances from the prior's centre (FCOS, distributions) rather than anchor deltas.
    var regressesDistances: Bool { !kind.isRotated && (predictsDistributions || [.fcos, .ota, .autoassign, .borderdet, .sapd].contains(kind)) }
    /// Plain regressed distances are in units of this many strides: SAPD's 4 (its z, as FSAF's
    /// `TBLRBBoxCoder(normalizer=4.0)`), 1 for the others.
    var distanceUnit: Float { kind == .sapd ? 4 : 1 }
    var regressionChannels: Int { boxValuesPerPrior * (predictsDistributions ? regMax + 1 : 1) }
    /// The one-channel branch on the regression tower: centerness (FCOS, ATSS) or the IoU
    /// prediction of OTA and PAA, or AutoAssign's objectness.
    var usesCenterness: Bool { [.fcos, .atss, .ota, .paa, .autoassign, .borderdet].contains(kind) }
    /// The delta coder of anchor-based boxes: ATSS's (and PAA's) stds 0.1, 0.1, 0.2, 0.2.
    var deltaCoder: DeltaXYWHCoder { kind == .atss || kind == .paa ? .atss : .retinaNet }
    /// FPN extra levels: P6 from C5 for RetinaNet, AutoAssign (`add_extra_convs=True`, i.e.
    /// 'on_input'), BorderDet (cvpods' P6 from res5) and SAPD (FSAF's RetinaNet neck), from P5
    /// for the others (methods.md §0.1).
    var fpnExtra: FPN.Extra { kind.isRetinaNetLike || [.autoassign, .borderdet, .sapd].contains(kind) ? .convOnInput : .convOnOutput }
    /// The regression output's initial bias: AutoAssign's 4 (every point starts 4 strides
    /// wide), SAPD's 0.1 (the Keras code's, against zero-area boxes), 0 for the others.
    var regressionBias: Float {
        switch kind {
        case .autoassign: return 4
        case .sapd: return 0.1
        default: return 0
        }
    }
    /// RetinaNet's head: no normalisation, no per-level scales (also FSAF's, so SAPD's).
    var plainHead: Bool { kind.isRetinaNetLike || kind == .sapd }
    /// Points at cell corners (x·s, offset 0) rather than centres: OTA, AutoAssign and BorderDet.
    var pointsAtCorners: Bool { [.ota, .autoassign, .borderdet].contains(kind) }
}
