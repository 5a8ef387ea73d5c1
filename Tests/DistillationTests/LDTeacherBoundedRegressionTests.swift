@testable import Detection
import Foundation
import Testing
@testable import Distillation
import Tensor

@Suite("LD: teacher bounded regression") struct LDTeacherBoundedRegressionTests {
    // Stride 16, priors centred at (8, 8) and (24, 8); each gt is its prior's centre ± 16 px, so
    // the gt distances are (1, 1, 1, 1) stride units. With n = 2 (bins 0, 1, 2):
    // uniform logits (0, 0, 0) integrate to exactly 1 (error 0); peaked logits (10, 0, 0) to
    // d = 3 / (e¹⁰ + 2) ≈ 1.36e-4 per edge (ℓ2 error ≈ 2).
    let priors = LDFixture.priors([(1, 2)], strides: [16])
    let truth = [GroundTruth(boxes: [Box(x1: -8, y1: -8, x2: 24, y2: 24), Box(x1: 8, y1: -8, x2: 40, y2: 24)], labels: [0, 0])]
    let uniform = [Float](repeating: 0, count: 12)
    let peaked = (0..<12).map { $0 % 3 == 0 ? Float(10) : 0 }

    func inputs() -> LossTermInputs {
        // Prior 0: student peaked (error 2), teacher uniform (error 0) → bound active.
        // Prior 1: student uniform (error 0), teacher peaked (error 2): 0 + 0.1 > 2 fails → inactive.
        let student = LDFixture.outputs(priors, cls: [0, Float(Foundation.log(3.0))], reg: peaked + uniform)
        let teacher = LDFixture.outputs(priors, cls: [0, 0], reg: uniform + peaked)
        let targets = LDFixture.targets(priors, truth: truth, positives: [0, 1], gtOf: [0, 1])
        return LDFixture.inputs(student: student, teacher: teacher, targets: targets, truth: truth)
    }

    /// Only prior 0 passes the bound. Its box is centre ± 16·d, inside the gt, so GIoU = IoU =
    /// (32·d)² / 32². Weights σ(0) = 0.5 and σ(ln 3) = 0.75, W = 1.25:
    /// loss = 2 · 0.5 · (1 − IoU) / 1.25.
    @Test func boundGatesTheRegressionLoss() {
        let tbr = TeacherBoundedRegression(epsilon: 0.1)
        let inputs = inputs()
        #expect(tbr.gate(inputs, teacher: inputs.teacher!) == [true, false])
        let d = 3 / (Foundation.exp(10.0) + 2), iou = (32 * d) * (32 * d) / 1024
        let loss = tbr.losses(inputs)
        #expect(Array(loss.keys) == ["loss_tbr"])
        #expect(close(loss["loss_tbr"]!.item, 2 * 0.5 * (1 - iou) / 1.25))
    }

    /// A margin larger than the teacher's error (2.5 > 2) opens the bound at prior 1 too; a
    /// student better than its teacher everywhere gets no TBR loss.
    @Test func marginAndInactiveCase() {
        let inputs = inputs()
        #expect(TeacherBoundedRegression(epsilon: 2.5).gate(inputs, teacher: inputs.teacher!) == [true, true])
        // Student perfect at both priors, teacher off by 2 at both: no bound is active.
        let student = LDFixture.outputs(priors, cls: [0, 0], reg: uniform + uniform)
        let teacher = LDFixture.outputs(priors, cls: [0, 0], reg: peaked + peaked)
        let quiet = LDFixture.inputs(student: student, teacher: teacher, targets: inputs.targets, truth: truth)
        #expect(TeacherBoundedRegression(epsilon: 0.1).gate(quiet, teacher: teacher) == [false, false])
        #expect(TeacherBoundedRegression(epsilon: 0.1).losses(quiet)["loss_tbr"]!.item == 0)
    }
}
