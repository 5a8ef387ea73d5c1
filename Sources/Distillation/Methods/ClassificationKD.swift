import Detection
import NN
import Tensor

/// Classification KD as the LD code applies it (methods.md D3; Hinton et al. 2015): at each
/// selected prior, KL(softmax(c_t/T) ‖ softmax(c_s/T)) over the K class logits — a softmax
/// although the heads are sigmoid-based — mean over classes × T², averaged over the selected
/// priors of each FPN level and summed over levels (the head's per-level `avg_factor`), × 10.
/// T = 2 for GFL, FCOS and ATSS students, 8 for RetinaNet; rotated students T = 5, weight 20.
///
/// Main region: the positives. VLR ("VLR KD", multiplied by 0 in the released code, on in the
/// paper's Table 2): the VLR priors, each with weight 1 (the code's `label_weights`), not IoU.
/// The mean over classes makes the strength scale with 1/K: fewer classes, stronger KD.
/// A GFocalV2 student or teacher contributes its class logits before the quality predictor
/// (`Outputs.classLogits`), as LD's `LDv2Head` does; the other heads their `cls` logits (GFL's
/// are its joint class-IoU scores, which is what `LDv2Head` would read from a GFL teacher too).
public final class ClassificationKD: LossTerm {
    public let region: DistillationRegion
    public var temperature: Float
    public var lossWeight: Float
    public var trainableModules: [Module] { [] }

    public init(region: DistillationRegion = .main, temperature: Float = 2, lossWeight: Float = 10) {
        self.region = region; self.temperature = temperature; self.lossWeight = lossWeight
    }

    /// The code's default temperature for a student of this kind (Rotated-LD's config: 5).
    public static func defaultTemperature(for kind: DenseDetectorKind) -> Float {
        kind.isRotated ? 5 : kind == .retinanet ? 8 : 2
    }

    /// The code's default loss weight (Rotated-LD's config: 20).
    public static func defaultWeight(for kind: DenseDetectorKind) -> Float { kind.isRotated ? 20 : 10 }

    public var lossName: String { region == .main ? "loss_kd" : "loss_kd_vlr" }

    public func losses(_ inputs: LossTermInputs) -> [String: Tensor] {
        let teacher = inputs.requireTeacher("KD")
        let flat = inputs.selection(region).indices
        guard !flat.isEmpty else { return [lossName: Tensor(scalar: 0)] }
        let k = inputs.student.cls.shape[2]
        let levels = PriorLevels(inputs.student.priors.layout)
        let rows = levels.perLevelMeanWeights(flat).map { $0 * lossWeight }
        let student = (inputs.student.classLogits ?? inputs.student.cls).reshaped([-1, k]).indexSelect(axis: 0, flat)
        let target = (teacher.classLogits ?? teacher.cls).reshaped([-1, k]).indexSelect(axis: 0, flat)
        return [lossName: student.temperatureKL(teacher: target, temperature: temperature, rowWeights: rows)]
    }
}
