import Detection
import NN
import Tensor

/// Feature imitation on the FPN maps P3–P7, the baselines of LD Table 6 (methods.md D6, A3, B4),
/// each re-implemented on every FPN level as the LD paper does. The student map goes through a
/// trainable 1×1 conv adapter per level when its channels differ from the teacher's.
///
/// Loss, except DeFeat: per level, the squared error mean over the selected locations' feature
/// elements (the LD repo's `IMLoss`, `F.mse_loss` over the gathered vectors), summed over levels,
/// × 2. A level with nothing selected adds 0. (The LD code also zeroes the term on levels
/// without positives; that artefact is not reproduced.)
public final class FeatureImitation: LossTerm {
    public enum Region: Sendable, Equatable {
        /// FitNets: every location.
        case wholeMap
        /// Locations whose prior centre lies strictly inside a gt of its image (the LD code's
        /// "fitnet" mode selects this).
        case insideGTBox
        /// The student's positive locations.
        case mainRegion
        /// FGFI (Wang et al. 2019), LD variant: IoU(anchor, g) > ratio · max over all anchors of
        /// all levels of IoU(·, g), for any gt g of the image; ratio ψ = 0.5.
        case fineGrained(ratio: Float)
        /// DeFeat (Guo et al. 2021) per its official code: decoupled foreground/background errors.
        case deFeat(DeFeatMask)
        /// The LD repository's DeFeat ("decouple" in `ld_head.py`, as its earlier
        /// `imitation_head.py` computes it): the inside-GT-box locations and the rest, each an MSE
        /// mean as the other regions, the rest counted twice (per level 2·mean_fg + 4·mean_bg; a
        /// level without foreground adds nothing). The background is compared with the teacher's
        /// background (the HEAD `ld_head.py` indexes the teacher with the foreground there, a slip).
        case decoupledInsideGT
        /// GI imitation (GID, Dai et al. 2021), LD variant: per level, GI boxes by NMS, top K.
        case generalInstance(GeneralInstanceSelection)
    }

    public let region: Region
    /// Weight of the MSE-mean regions (2 in the LD repo); DeFeat carries its own two weights.
    public var lossWeight: Float
    /// One per level, student channels → teacher channels; empty when they already agree.
    public let adapters: [Conv2d]
    public var trainableModules: [Module] { adapters }

    public init(region: Region, studentChannels: Int, teacherChannels: Int, levels: Int = 5, lossWeight: Float = 2,
                rng: inout RNG) {
        self.region = region; self.lossWeight = lossWeight
        adapters = studentChannels == teacherChannels ? []
            : (0..<levels).map { _ in Conv2d(studentChannels, teacherChannels, kernel: 1, rng: &rng) }
    }

    public func losses(_ inputs: LossTermInputs) -> [String: Tensor] {
        let teacher = inputs.requireTeacher("feature imitation")
        let student = inputs.student.features, target = teacher.features
        precondition(student.count == target.count && zip(student, target).allSatisfy { [$0.shape[0], $0.shape[2], $0.shape[3]] == [$1.shape[0], $1.shape[2], $1.shape[3]] },
                     "feature imitation: student maps \(student.map(\.shape)) and teacher maps \(target.map(\.shape)) differ")
        let masks = self.masks(inputs)
        var total = Tensor(scalar: 0)
        for (l, mask) in masks.enumerated() {
            let c = Float(target[l].shape[1])
            let parts = weightedParts(mask, channels: c, levels: masks.count)
            guard parts.contains(where: { $0.scale != 0 }) else { continue }
            let adapted = adapters.isEmpty ? student[l] : adapters[l](student[l])
            for part in parts where part.scale != 0 {
                total = total + adapted.locationWeightedSquaredError(target: target[l], locationWeights: part.mask) * part.scale
            }
        }
        return ["loss_im": total]
    }

    /// The location masks (per level, B·H·W, row-major) the region selects; DeFeat's (both
    /// variants) is its foreground (the background is its complement).
    public func masks(_ inputs: LossTermInputs) -> [[Float]] {
        let priors = inputs.student.priors, layout = priors.layout, levels = PriorLevels(layout)
        let batch = inputs.student.batch
        switch region {
        case .wholeMap:
            return layout.levels.map { [Float](repeating: 1, count: batch * $0.featureSize.height * $0.featureSize.width) }
        case .insideGTBox, .decoupledInsideGT:
            return levels.locationMasks(Self.insideGTPriors(priors: priors, truth: inputs.batch.truth), layout: layout, batch: batch)
        case .mainRegion:
            return levels.locationMasks(inputs.targets.positives, layout: layout, batch: batch)
        case .fineGrained(let ratio):
            return levels.locationMasks(Self.fineGrainedPriors(priors: priors, truth: inputs.batch.truth, ratio: ratio),
                                        layout: layout, batch: batch)
        case .deFeat(let rule):
            return rule.foregroundMasks(layout: layout, truth: inputs.batch.truth)
        case .generalInstance(let gi):
            return levels.locationMasks(gi.select(student: inputs.student, teacher: inputs.requireTeacher("GI imitation")),
                                        layout: layout, batch: batch)
        }
    }

    /// Each level's masks with the factor their Σ m·(A(s) − t)² is multiplied by.
    func weightedParts(_ mask: [Float], channels c: Float, levels: Int) -> [(mask: [Float], scale: Float)] {
        let selected = mask.reduce(0, +)
        // The decoupled regions' second part: the locations the mask leaves out.
        var background: (mask: [Float], count: Float) { (mask.map { 1 - $0 }, Float(mask.count) - selected) }
        switch region {
        case .deFeat(let rule):
            // Σ M·d² / max(1, 2·ΣM over channel-expanded elements), averaged over levels.
            let (background, unselected) = background
            return [(mask, rule.foregroundWeight / (Swift.max(1, 2 * c * selected) * Float(levels))),
                    (background, rule.backgroundWeight / (Swift.max(1, 2 * c * unselected) * Float(levels)))]
        case .decoupledInsideGT:
            // As `ld_head.py`: a level without foreground adds nothing, background included.
            guard selected > 0 else { return [] }
            let (background, unselected) = background
            return [(mask, lossWeight / (c * selected)),
                    (background, unselected > 0 ? 2 * lossWeight / (c * unselected) : 0)]
        default:
            return [(mask, selected > 0 ? lossWeight / (c * selected) : 0)]
        }
    }

    /// Flat priors (b·P + i) whose centre is strictly inside some gt of image b (LD `get_im_region`).
    public static func insideGTPriors(priors: DenseDetector.Priors, truth: [GroundTruth]) -> [Int] {
        let p = priors.layout.count
        var out: [Int] = []
        for (b, gt) in truth.enumerated() {
            for (i, c) in priors.centers.enumerated()
            where gt.boxes.contains(where: { c.x > $0.x1 && c.x < $0.x2 && c.y > $0.y1 && c.y < $0.y2 }) {
                out.append(b * p + i)
            }
        }
        return out
    }

    /// Flat priors with IoU > ratio · (the gt's best IoU over all priors of all levels) for some gt.
    public static func fineGrainedPriors(priors: DenseDetector.Priors, truth: [GroundTruth], ratio: Float) -> [Int] {
        let anchors = priors.regionAnchors, p = anchors.count
        var out: [Int] = []
        for (b, gt) in truth.enumerated() where !gt.boxes.isEmpty {
            let iou = boxOverlaps(anchors, gt.boxes)
            var best = [Float](repeating: 0, count: gt.boxes.count)
            for i in 0..<p { for g in gt.boxes.indices { best[g] = Swift.max(best[g], iou[i, g]) } }
            for i in 0..<p where gt.boxes.indices.contains(where: { iou[i, $0] > ratio * best[$0] }) { out.append(b * p + i) }
        }
        return out
    }
}
