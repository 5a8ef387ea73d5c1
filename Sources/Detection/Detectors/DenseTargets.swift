import Foundation
import Tensor

/// The training targets of one batch, flattened over images × priors (index b·P + i).
public struct DenseTargets: Sendable {
    /// Per prior: class index of its gt, or -1 (background or ignored).
    public var classIndex: [Int]
    /// Per prior: 0 for ignored priors (RetinaNet's ignore band, crowd overlaps), else 1.
    public var classWeight: [Float]
    /// Flat indices of the positive priors.
    public var positives: [Int]
    /// The gt box of each positive.
    public var positiveBoxes: [Box]
    /// Rotated detectors: the oriented gt box of each positive; empty otherwise.
    public var positiveRotatedBoxes: [RotatedBox] = []
    /// Per image: the assigner's result (distillation methods read their regions from it).
    public var assignments: [Assignment]
    /// Per image: the ground truth the targets were made from (AutoAssign's loss reads it whole).
    public var groundTruth: [GroundTruth] = []
    /// Per image and gt: ATSS's IoU threshold mean + std (empty for other assigners); LD's
    /// valuable localization region is defined relative to it.
    public var atssThresholds: [[Float]]
    /// SAPD: whether its gts train on the selection network's soft level weights (after the
    /// warm-up) rather than on their single best level.
    public var softLevelSelection = true
    public var numPositives: Int { positives.count }
}

extension DenseDetector {
    /// Assigns every prior of every image (methods.md §0: MaxIoU for RetinaNet, FCOS ranges with
    /// centre sampling, ATSS top-9 for ATSS and GFL; OTA's optimal transport and PAA's GMM,
    /// which read the `predictions` of the same batch and so need them; SAPD's effective regions).
    /// `trainingProgress` is the fraction of the schedule done (0 at the first iteration): SAPD
    /// selects pyramid levels softly from `DenseDetector.sapdWarmUp` on.
    public func targets(for priors: Priors, groundTruth: [GroundTruth], predictions: Outputs? = nil,
                        trainingProgress: Float = 1) -> DenseTargets {
        precondition(![.ota, .paa].contains(config.kind) || predictions != nil, "\(config.kind) assigns from the predictions: pass them")
        let p = priors.layout.count
        var t = DenseTargets(classIndex: [], classWeight: [], positives: [], positiveBoxes: [], assignments: [], atssThresholds: [])
        t.groundTruth = groundTruth
        t.softLevelSelection = trainingProgress >= Self.sapdWarmUp
        t.classIndex.reserveCapacity(p * groundTruth.count)
        t.classWeight.reserveCapacity(p * groundTruth.count)
        let anchorQuads = config.kind.isRotated ? priors.anchors.map { RotatedQuad(Self.rotatedAnchor($0)) } : []
        for (b, gt) in groundTruth.enumerated() {
            let assignment: Assignment
            var thresholds: [Float] = []
            switch config.kind {
            case .rotatedRetinanet, .gwd:
                assignment = rotatedAssignment(anchors: anchorQuads, truth: gt)
            case .retinanet:
                assignment = MaxIoUAssigner.retinaNet.assign(priors: priors.anchors, gts: gt.boxes, ignoredGTs: gt.ignored)
            case .ota:
                assignment = otaAssignment(predictions!, image: b, truth: gt)
            case .paa:
                assignment = paaAssignment(predictions!, image: b, truth: gt)
            case .autoassign:
                // No hard assignment: the points inside a gt (the smallest, as FCOS breaks ties)
                // stand for its positives where other code counts them; the loss weighs them all.
                let everywhere = [ClosedRange<Float>](repeating: -1...FCOSAssigner.infinity, count: strides.count)
                assignment = FCOSAssigner(regressRanges: everywhere, centerSampling: false).assign(points: priors.points!, gts: gt.boxes)
            case .sapd:
                assignment = SAPDAssigner().assign(points: priors.points!, gts: gt.boxes)
            case .fcos, .borderdet:
                let ranges = FCOSAssigner.regressRanges(scaledBy: config.fcosRangeScale, levels: strides.count)
                assignment = FCOSAssigner(regressRanges: ranges).assign(points: priors.points!, gts: gt.boxes)
            case .atss, .gfl, .gflv2:
                let r = ATSSAssigner().assignDetailed(anchors: priors.anchors, levelCounts: priors.layout.levelCounts,
                                                      gts: gt.boxes, ignoredGTs: gt.ignored)
                assignment = r.assignment
                thresholds = r.iouThresholds
            }
            for i in 0..<p {
                let g = assignment.gtIndices[i]
                if g >= 0 {
                    t.classIndex.append(gt.labels[g]); t.classWeight.append(1)
                    t.positives.append(b * p + i); t.positiveBoxes.append(gt.boxes[g])
                    if config.kind.isRotated { t.positiveRotatedBoxes.append(gt.rotatedBoxes[g]) }
                } else {
                    t.classIndex.append(-1); t.classWeight.append(g == Assignment.ignored ? 0 : 1)
                }
            }
            t.assignments.append(assignment)
            t.atssThresholds.append(thresholds)
        }
        return t
    }
}

extension DenseDetector {
    /// OTA's assignment of image `b` from its (detached) class logits and decoded boxes.
    func otaAssignment(_ out: Outputs, image b: Int, truth: GroundTruth) -> Assignment {
        let p = out.priors.layout.count, k = config.numClasses
        let logits = Array(out.cls.data[(b * p * k)..<((b + 1) * p * k)])
        return OTAAssigner().assign(points: out.priors.centers, strides: out.priors.strides, classLogits: logits, numClasses: k,
                                    predictedBoxes: pointBoxes(out, image: b), gts: truth.boxes, gtLabels: truth.labels)
    }

    /// PAA's assignment of image `b` from its (detached) class logits and decoded boxes (not
    /// clipped to the image, as mmdet's `get_pos_loss` decodes them).
    func paaAssignment(_ out: Outputs, image b: Int, truth: GroundTruth) -> Assignment {
        let p = out.priors.layout.count, k = config.numClasses
        let logits = Array(out.cls.data[(b * p * k)..<((b + 1) * p * k)])
        let boxes = config.deltaCoder.decode(priors: out.priors.anchors, deltas: Array(out.reg.data[(b * p * 4)..<((b + 1) * p * 4)]))
        return PAAAssigner(rules: config.paaRules).assign(anchors: out.priors.anchors, levelCounts: out.priors.layout.levelCounts, classLogits: logits,
                                    numClasses: k, predictedBoxes: boxes, gts: truth.boxes, gtLabels: truth.labels)
    }
}

/// FCOS centerness target √(min(l,r)/max(l,r) · min(t,b)/max(t,b)) of a point inside a box.
func centernessTarget(_ c: Point, _ g: Box) -> Float {
    let l = c.x - g.x1, r = g.x2 - c.x, t = c.y - g.y1, b = g.y2 - c.y
    guard l > 0, r > 0, t > 0, b > 0 else { return 0 }
    return ((Swift.min(l, r) / Swift.max(l, r)) * (Swift.min(t, b) / Swift.max(t, b))).squareRoot()
}
