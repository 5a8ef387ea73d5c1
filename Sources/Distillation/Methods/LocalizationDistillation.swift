import Detection
import NN
import Tensor

/// Localization distillation (LD paper §3.2, Eq. 6; methods.md D1–D2): per edge e ∈ {l, t, r, b}
/// of each selected prior, KL(softmax(z_t/τ) ‖ softmax(z_s/τ)) over the n + 1 bins of GFL's
/// box distributions; needs distribution heads with the same n on both sides (GFL, or a
/// GFL-ified RetinaNet/FCOS/ATSS).
///
/// Reduction as the official GFL `LDHead` (the paper gives none): KL mean over bins × τ², times
/// a per-prior weight, summed over priors and edges, divided by `normalizer`, times `lossWeight`.
/// - main region: weight = the student's detached max class score (`.studentScore`, as the head
///   weights DFL), normalizer 4, loss weight 0.25 — a sum over positives, not a mean;
/// - VLR: weight from the region (IoU by default), normalizer 16, loss weight 0.25.
/// These are GFL's; `DistillationMethods` sets each student detector's (`LDHeadConstants`).
///
/// Those constant normalisers divide a sum over one GPU's images: the paper trains 8 GPUs × 2
/// images, the LD heads return `loss_ld` per GPU without the global `avg_factor` the box losses
/// get, and DDP averages the gradients over the GPUs. Over one batch of B images the sum is
/// therefore also divided by B / `imagesPerDevice` (8 at the papers' 16): without it the terms
/// weigh 8× what they weigh in the paper (measured on the small profile's R-18 analogue: the
/// VLR term's gradient on the head 14× the box loss's at the first iteration instead of 1.7×).
/// The paper's protocol is the one followed; some released configs (`ld_r18_gflv1_r101_fpn_coco_1x.py`:
/// `samples_per_gpu=3`, lr 0.00375) ran 3 images per GPU, which weighs LD 1.5× as much.
/// `mainWeighting: .uniform` is the paper's plain indicator on the main region.
///
/// Rotated students (LD §3.3, Table 5) distil each of the five delta distributions of an anchor
/// the same way, as Zzh-tju/Rotated-LD's head does: see `LDHeadConstants`.
///
/// `rows` says what one softmax covers. `.perSide` (the default) is the above: GFL's, ATSS's and
/// FCOS's LD heads reshape the box logits to (−1, n + 1). `.perPrior` is LD's `LDRetinaHead`,
/// which hands `KnowledgeDistillationKLDivLoss` whole rows of 4·(n + 1) logits: one softmax over
/// all four sides' logits of a prior together, the KL's mean taken over those 4·(n + 1) entries,
/// one weight per prior, then the same `/ normalizer`, per-GPU division and `lossWeight`.
public final class LocalizationDistillation: LossTerm {
    public enum MainWeighting: Sendable, Equatable { case studentScore, uniform }

    /// The rows the temperature softmax and the KL mean run over.
    public enum Rows: Sendable, Equatable {
        /// One row of n + 1 bins per side: 4 rows per prior, each with the prior's weight.
        case perSide
        /// One row of all 4·(n + 1) logits per prior (LD's RetinaNet head).
        case perPrior
    }

    public let region: DistillationRegion
    public var temperature: Float
    public var lossWeight: Float
    public var normalizer: Float
    public var mainWeighting: MainWeighting = .studentScore
    public var rows: Rows = .perSide
    /// Rotated-LD (`ld_rotate_retina_head.py`): each FPN level's weighted sum is divided by
    /// that level's number of selected priors (`loss_single`'s `avg_factor=ld_num`), and the
    /// levels' means are summed, instead of dividing by `normalizer` × GPUs.
    public var perLevelMean = false
    public var trainableModules: [Module] { [] }

    /// Images per GPU in the papers' protocol (LD §4: "8 GPUs with a batch size of 2 per GPU").
    public static let imagesPerDevice = 2

    /// The GPUs a batch of `images` stands for: the per-GPU sums are averaged over these.
    public static func devices(images: Int) -> Float { Swift.max(1, Float(images) / Float(imagesPerDevice)) }

    public init(region: DistillationRegion = .main, temperature: Float = 10, lossWeight: Float = 0.25,
                normalizer: Float? = nil) {
        self.region = region; self.temperature = temperature; self.lossWeight = lossWeight
        if case .main = region { self.normalizer = normalizer ?? 4 } else { self.normalizer = normalizer ?? 16 }
    }

    /// "loss_ld" on the main region, "loss_ld_vlr" on the VLR (the head's names).
    public var lossName: String { region == .main ? "loss_ld" : "loss_ld_vlr" }

    public func losses(_ inputs: LossTermInputs) -> [String: Tensor] {
        let teacher = inputs.requireTeacher("LD")
        precondition(teacher.reg.shape == inputs.student.reg.shape,
                     "LD: teacher box logits \(teacher.reg.shape) differ from the student's \(inputs.student.reg.shape) (same n needed)")
        let selection = inputs.selection(region)
        guard selection.count > 0 else { return [lossName: Tensor(scalar: 0)] }
        let perPrior: [Float]
        switch region {
        case .main where mainWeighting == .studentScore: perPrior = inputs.studentScores(selection.indices)
        case .valuableLocalization(let vlr) where vlr.weighting == .studentScore: perPrior = inputs.studentScores(selection.indices)
        default: perPrior = selection.weights
        }
        let scales = perLevelMean
            ? PriorLevels(inputs.student.priors.layout).perLevelMeanWeights(selection.indices).map { $0 * lossWeight }
            : [Float](repeating: lossWeight / (normalizer * Self.devices(images: inputs.student.batch)), count: selection.count)
        let kl: Tensor
        switch rows {
        case .perSide:
            let values = inputs.studentDetector.config.boxValuesPerPrior
            let weights = zip(perPrior, scales).flatMap { w, scale in [Float](repeating: w * scale, count: values) }
            kl = inputs.student.distributionRows(selection.indices, valuesPerPrior: values)
                .temperatureKL(teacher: teacher.distributionRows(selection.indices, valuesPerPrior: values),
                               temperature: temperature, rowWeights: weights)
        case .perPrior:
            kl = inputs.student.priorRows(selection.indices)
                .temperatureKL(teacher: teacher.priorRows(selection.indices), temperature: temperature,
                               rowWeights: zip(perPrior, scales).map { $0 * $1 })
        }
        return [lossName: kl]
    }
}
