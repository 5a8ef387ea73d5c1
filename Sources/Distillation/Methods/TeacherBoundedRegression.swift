import Detection
import NN
import Tensor

/// Teacher bounded regression (Chen et al. 2017) in the LD paper's form (Eq. 8, Table 1b;
/// methods.md D5): at each positive, an extra λ·GIoU(B_s, B_gt) only where
/// ℓ2(B_s, B_gt) + ε > ℓ2(B_t, B_gt), i.e. where the student is not already within ε of the
/// teacher's error.
///
/// The paper leaves ℓ2's space unstated; here it is the ltrb distances in stride units (GFL's
/// regression space: the integral of each distribution; the gt's as GFL's DFL targets, clamped to
/// [0, n − 0.1]). The gate is a constant. GIoU is reduced as GFL's box loss: weighted by the
/// student's detached max class score and divided by that weight's sum over all positives;
/// λ = 2, the box-loss weight.
public final class TeacherBoundedRegression: LossTerm {
    public var epsilon: Float
    public var lossWeight: Float
    public var trainableModules: [Module] { [] }

    public init(epsilon: Float = 0.1, lossWeight: Float = 2) { self.epsilon = epsilon; self.lossWeight = lossWeight }

    public func losses(_ inputs: LossTermInputs) -> [String: Tensor] {
        let teacher = inputs.requireTeacher("TBR")
        let student = inputs.student, t = inputs.targets
        guard !t.positives.isEmpty else { return ["loss_tbr": Tensor(scalar: 0)] }
        let gated = gate(inputs, teacher: teacher)
        let weights = inputs.studentScores(t.positives)
        let total = Swift.max(weights.reduce(0, +), 1e-6)
        let chosen = gated.indices.filter { gated[$0] }
        guard !chosen.isEmpty else { return ["loss_tbr": Tensor(scalar: 0)] }
        let flat = chosen.map { t.positives[$0] }, p = student.priors.layout.count
        let rows = student.reg.reshaped([-1, student.reg.shape[2]]).indexSelect(axis: 0, flat)
        let boxes = inputs.studentDetector.decodePositiveBoxes(rows, local: flat.map { $0 % p }, priors: student.priors)
        let loss = boxes.giouLoss(target: chosen.map { t.positiveBoxes[$0] }, weights: chosen.map { weights[$0] })
        return ["loss_tbr": loss * (lossWeight / total)]
    }

    /// Per positive: whether the bound lets the regression loss through.
    func gate(_ inputs: LossTermInputs, teacher: DenseDetector.Outputs) -> [Bool] {
        let student = inputs.student, t = inputs.targets, p = student.priors.layout.count
        let regMax = Float(student.reg.shape[2] / 4 - 1)
        let ds = student.expectedDistances(t.positives), dt = teacher.expectedDistances(t.positives)
        return t.positives.enumerated().map { j, f in
            let s = student.priors.strides[f % p], c = student.priors.centers[f % p], g = t.positiveBoxes[j]
            let d = DistanceCoder().encode(point: Point(x: c.x / s, y: c.y / s), gt: g.scaled(x: 1 / s, y: 1 / s),
                                           maxDistance: regMax, eps: 0.1)
            let target = [d.left, d.top, d.right, d.bottom]
            var es: Float = 0, et: Float = 0
            for e in 0..<4 {
                es += (ds[4 * j + e] - target[e]) * (ds[4 * j + e] - target[e])
                et += (dt[4 * j + e] - target[e]) * (dt[4 * j + e] - target[e])
            }
            return es.squareRoot() + epsilon > et.squareRoot()
        }
    }
}
