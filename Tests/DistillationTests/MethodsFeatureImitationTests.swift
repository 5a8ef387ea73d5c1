@testable import Detection
import Foundation
import GradientChecking
import NN
import Testing
@testable import Distillation
import Tensor

@Suite("Feature imitation regions") struct MethodsFeatureImitationTests {
    // One 4×4 level at stride 8 (a 32-px image): prior (y, x) has anchor [8x, 8y, 8x+8, 8y+8] and
    // centre (8x + 4, 8y + 4); location index y·4 + x.
    let priors = LDFixture.priors([(4, 4)], strides: [8])

    func inputs(_ truth: [GroundTruth], positives: [Int] = [], gtOf: [Int] = [], priors custom: DenseDetector.Priors? = nil,
                student: [Tensor]? = nil, teacher: [Tensor]? = nil) -> LossTermInputs {
        let priors = custom ?? self.priors
        let n = truth.count * priors.layout.count
        func maps(_ value: Float, _ c: Int) -> [Tensor] {
            priors.layout.levels.map { Tensor(filled: value, shape: [truth.count, c, $0.featureSize.height, $0.featureSize.width]) }
        }
        let s = LDFixture.outputs(priors, batch: truth.count, cls: [Float](repeating: 0, count: n),
                                  reg: [Float](repeating: 0, count: 12 * n), features: student ?? maps(0, 2))
        let t = LDFixture.outputs(priors, batch: truth.count, cls: [Float](repeating: 0, count: n),
                                  reg: [Float](repeating: 0, count: 12 * n), features: teacher ?? maps(1, 2))
        return LDFixture.inputs(student: s, teacher: t, targets: LDFixture.targets(priors, truth: truth, positives: positives, gtOf: gtOf),
                                truth: truth)
    }

    func term(_ region: FeatureImitation.Region, student: Int = 2, teacher: Int = 2) -> FeatureImitation {
        var rng = RNG(seed: 3)
        return FeatureImitation(region: region, studentChannels: student, teacherChannels: teacher, rng: &rng)
    }

    func selected(_ mask: [Float]) -> Set<Int> { Set(mask.indices.filter { mask[$0] != 0 }) }

    @Test func wholeMapSelectsEverything() {
        let masks = term(.wholeMap).masks(inputs([GroundTruth(boxes: [], labels: [])]))
        #expect(masks.count == 1 && masks[0] == [Float](repeating: 1, count: 16))
    }

    /// Centres x, y ∈ {4, 12, 20, 28}. Gt [3,3,21,13] strictly contains x ∈ {4,12,20}, y ∈ {4,12}:
    /// locations {0,1,2,4,5,6}. Gt [12,20,28,28] has centres only on its edges (x = 12, y = 20, 28):
    /// nothing (the test is strict).
    @Test func insideGTBox() {
        let truth = [GroundTruth(boxes: [Box(x1: 3, y1: 3, x2: 21, y2: 13), Box(x1: 12, y1: 20, x2: 28, y2: 28)], labels: [0, 0])]
        #expect(selected(term(.insideGTBox).masks(inputs(truth))[0]) == [0, 1, 2, 4, 5, 6])
    }

    /// The positives' locations, per image: flat 3 → image 0 location 3; flat 16 + 9 → image 1
    /// location 9 (mask index 16 + 9).
    @Test func mainRegion() {
        let gt = GroundTruth(boxes: [Box(x1: 0, y1: 0, x2: 30, y2: 30)], labels: [0])
        #expect(selected(term(.mainRegion).masks(inputs([gt, gt], positives: [3, 25], gtOf: [0, 0]))[0]) == [3, 25])
    }

    /// Gt [0,0,12,8]: IoU 64/96 with cell 0, 32/128 with cell 1 → threshold 0.5·(2/3): cell 0 only.
    /// Gt [16,16,32,32]: IoU 0.25 with each of cells 10, 11, 14, 15 (the max) → all four (> 0.125).
    @Test func fineGrained() {
        let truth = [GroundTruth(boxes: [Box(x1: 0, y1: 0, x2: 12, y2: 8), Box(x1: 16, y1: 16, x2: 32, y2: 32)], labels: [0, 1])]
        #expect(selected(term(.fineGrained(ratio: 0.5)).masks(inputs(truth))[0]) == [0, 10, 11, 14, 15])
    }

    /// Levels 4×4 (stride 8) and 2×2 (stride 16), finest scale 56.
    /// [0,0,10,6]: √(11·7) = 8.8 → level 0; cells x [0, 1), y [0, 0) → one cell: location 0.
    /// [17,9,18,30]: √(2·22) → level 0; x [2, 2) → one column 2, y [1, 3): locations 6, 10.
    /// [0,0,127,127]: √(128·128) = 128, ⌊log2(128/56)⌋ = 1 → level 1, every cell (clipped).
    /// Loss with student 0, teacher 1, C = 2: level 0 fg 3·2/max(1, 2·2·3)·3 + bg 13·2/(2·2·13)·12 = 7.5,
    /// level 1 fg 1.5 + bg 0 (no background); mean over 2 levels: 4.5.
    @Test func deFeatMasksAndLoss() {
        let two = LDFixture.priors([(4, 4), (2, 2)], strides: [8, 16])
        let truth = [GroundTruth(boxes: [Box(x1: 0, y1: 0, x2: 10, y2: 6), Box(x1: 17, y1: 9, x2: 18, y2: 30),
                                         Box(x1: 0, y1: 0, x2: 127, y2: 127)], labels: [0, 0, 1])]
        let defeat = term(.deFeat(DeFeatMask()))
        let masks = defeat.masks(inputs(truth, priors: two))
        #expect(selected(masks[0]) == [0, 6, 10] && masks[1] == [1, 1, 1, 1])
        #expect(close(defeat.losses(inputs(truth, priors: two))["loss_im"]!.item, 4.5))
    }

    /// The LD repository's DeFeat: foreground = inside-GT-box locations {0,1,2,4,5,6}, background
    /// the other 10. Student 0, teacher 1 (every element's error 1), C = 2: 2·1 + 2·2·1 = 6; with
    /// no gt the foreground is empty and the level adds nothing (as the LD code).
    @Test func ldCodeDecoupledImitation() {
        let truth = [GroundTruth(boxes: [Box(x1: 3, y1: 3, x2: 21, y2: 13)], labels: [0])]
        let decoupled = term(.decoupledInsideGT)
        #expect(selected(decoupled.masks(inputs(truth))[0]) == [0, 1, 2, 4, 5, 6])
        #expect(close(decoupled.losses(inputs(truth))["loss_im"]!.item, 6))
        #expect(decoupled.losses(inputs([GroundTruth(boxes: [], labels: [])]))["loss_im"]!.item == 0)
        // Teacher 3 on the foreground only: fg mean 9 → 18, bg 1 → 4.
        var teacher = [Float](repeating: 1, count: 2 * 16)
        for c in 0..<2 { for l in [0, 1, 2, 4, 5, 6] { teacher[c * 16 + l] = 3 } }
        let loss = decoupled.losses(inputs(truth, teacher: [Tensor(shape: [1, 2, 4, 4], data: teacher)]))["loss_im"]!.item
        #expect(close(loss, 22))
    }

    /// MSE mean over the selected elements, summed over levels, × 2: with student 0 and teacher 1
    /// every selected element contributes 1, so each level with a selection adds 2.
    @Test func mseMeanAndAdapters() {
        let two = LDFixture.priors([(4, 4), (2, 2)], strides: [8, 16])
        let gt = [GroundTruth(boxes: [Box(x1: 0, y1: 0, x2: 30, y2: 30)], labels: [0])]
        #expect(close(term(.wholeMap).losses(inputs(gt, priors: two))["loss_im"]!.item, 4))
        #expect(close(term(.mainRegion).losses(inputs(gt, positives: [5], gtOf: [0], priors: two))["loss_im"]!.item, 2))
        #expect(term(.mainRegion).losses(inputs(gt, priors: two))["loss_im"]!.item == 0)
        // Channels 3 → 2: one 1×1 adapter per level, trained through the loss.
        let adapted = term(.wholeMap, student: 3, teacher: 2)
        #expect(adapted.adapters.count == 5 && adapted.trainableModules.count == 5 && term(.wholeMap).adapters.isEmpty)
        let student = two.layout.levels.map { randomInput([1, 3, $0.featureSize.height, $0.featureSize.width], seed: 4) }
        let loss = adapted.losses(inputs(gt, priors: two, student: student))["loss_im"]!
        loss.backward()
        #expect(loss.item.isFinite && adapted.adapters[0].weight.grad != nil && adapted.adapters[1].weight.grad != nil)
    }

    /// One 1×3 level (stride 8, centres x = 4, 12, 20), one class, n = 2.
    /// Prior 0: σ(2) − σ(−2) = 0.76 ≥ 0 → the teacher's box; teacher bins peaked at 2 → d ≈ 2 → [−12,−12,20,20].
    /// Prior 1: 0 difference (≥ 0 → teacher's box), uniform teacher → d = 1 → [4,−4,20,12]: IoU 0.25 with box 0, kept.
    /// Prior 2: σ(−1) − σ(1) = −0.46 → the student's box; student peaked → [4,−12,36,20]: IoU 512/1536 = 1/3 > 0.3
    /// with box 0, suppressed (the teacher's uniform box [12,−4,28,12] would have IoU 0.11 and survive).
    @Test func generalInstanceSelection() {
        let row = LDFixture.priors([(1, 3)], strides: [8])
        let peaked = (0..<12).map { $0 % 3 == 2 ? Float(20) : 0 }, uniform = [Float](repeating: 0, count: 12)
        let student = LDFixture.outputs(row, cls: [-2, 0, 1], reg: uniform + uniform + peaked)
        let teacher = LDFixture.outputs(row, cls: [2, 0, -1], reg: peaked + uniform + uniform)
        #expect(GeneralInstanceSelection().select(student: student, teacher: teacher) == [0, 1])
        #expect(GeneralInstanceSelection(topK: 1).select(student: student, teacher: teacher) == [0])
        // As the LD code: one NMS over the batch per level, so a second identical image adds nothing.
        let s2 = LDFixture.outputs(row, batch: 2, cls: student.cls.data + student.cls.data, reg: student.reg.data + student.reg.data)
        let t2 = LDFixture.outputs(row, batch: 2, cls: teacher.cls.data + teacher.cls.data, reg: teacher.reg.data + teacher.reg.data)
        #expect(GeneralInstanceSelection().select(student: s2, teacher: t2) == [0, 1])
    }
}
