import Data
@testable import Detection
import Foundation
import GradientChecking
import NN
import Testing
@testable import Distillation
import Tensor

/// Hand-built detector outputs for the method tests: priors, logits and targets chosen by hand.
enum LDFixture {
    /// A tiny GFL detector; the terms only read its config through `LossTermInputs`.
    static func detector(numClasses: Int = 2, regMax: Int = 2) -> DenseDetector {
        var c = DenseDetectorConfig(kind: .gfl, numClasses: numClasses,
                                    backbone: .resnet(.init(depth: 18, widthMultiplier: 0.125, stem: .compact)))
        c.fpnChannels = 8; c.headChannels = 8; c.stackedConvs = 1; c.regMax = regMax
        var rng = RNG(seed: 1)
        return DenseDetector(c, rng: &rng)
    }

    /// One prior per cell on each level (h, w): the anchor is the cell (a stride-sided square),
    /// the centre the cell's centre.
    static func priors(_ sizes: [(h: Int, w: Int)], strides: [Int]) -> DenseDetector.Priors {
        let layout = PriorLayout(featureSizes: sizes.map { FeatureSize(height: $0.h, width: $0.w) }, strides: strides,
                                 priorsPerLocation: 1)
        var anchors: [Box] = [], centers: [Point] = [], perPrior: [Float] = []
        for level in layout.levels {
            let s = Float(level.stride)
            for y in 0..<level.featureSize.height { for x in 0..<level.featureSize.width {
                anchors.append(Box(x1: Float(x) * s, y1: Float(y) * s, x2: Float(x + 1) * s, y2: Float(y + 1) * s))
                centers.append(Point(x: (Float(x) + 0.5) * s, y: (Float(y) + 0.5) * s))
                perPrior.append(s)
            } }
        }
        return DenseDetector.Priors(layout: layout, anchors: anchors, centers: centers, strides: perPrior, points: nil)
    }

    static func outputs(_ priors: DenseDetector.Priors, batch: Int = 1, cls: [Float], reg: [Float],
                        features: [Tensor] = []) -> DenseDetector.Outputs {
        let n = batch * priors.layout.count
        return DenseDetector.Outputs(features: features, cls: Tensor(shape: [batch, priors.layout.count, cls.count / n], data: cls),
                                     reg: Tensor(shape: [batch, priors.layout.count, reg.count / n], data: reg),
                                     centerness: nil, priors: priors)
    }

    /// Targets with the given positives (flat b·P + i) assigned to gt `gtOf[j]` of their image.
    static func targets(_ priors: DenseDetector.Priors, truth: [GroundTruth], positives: [Int], gtOf: [Int],
                        thresholds: [[Float]] = []) -> DenseTargets {
        let p = priors.layout.count
        var t = DenseTargets(classIndex: [Int](repeating: -1, count: truth.count * p),
                             classWeight: [Float](repeating: 1, count: truth.count * p), positives: positives,
                             positiveBoxes: [], assignments: [], atssThresholds: thresholds)
        var indices = [[Int]](repeating: [Int](repeating: Assignment.negative, count: p), count: truth.count)
        for (j, f) in positives.enumerated() {
            let b = f / p, g = gtOf[j]
            t.classIndex[f] = truth[b].labels[g]
            t.positiveBoxes.append(truth[b].boxes[g])
            indices[b][f % p] = g
        }
        t.assignments = indices.enumerated().map { b, gi in
            Assignment(gtIndices: gi, overlaps: [Float](repeating: 0, count: p), numGTs: truth[b].boxes.count)
        }
        return t
    }

    static func inputs(student: DenseDetector.Outputs, teacher: DenseDetector.Outputs, targets: DenseTargets,
                       truth: [GroundTruth], studentDetector: DenseDetector = detector()) -> LossTermInputs {
        LossTermInputs(studentDetector: studentDetector, student: student, teacher: teacher, targets: targets,
                       batch: TrainingBatch(images: Tensor(zeros: [truth.count, 3, 1, 1]), truth: truth))
    }

    /// Two priors of stride 8, gt [0,0,12,8] with ATSS threshold 0.5: prior 0 is the positive,
    /// prior 1 lies in the VLR band with IoU 0.25 (worked out in `vlrLDUsesIoUWeights`); random
    /// box logits (seeds 5 and 6), zero class logits.
    static func vlrBand() -> (inputs: LossTermInputs, studentReg: [Float], teacherReg: [Float]) {
        let priors = priors([(1, 2)], strides: [8])
        let truth = [GroundTruth(boxes: [Box(x1: 0, y1: 0, x2: 12, y2: 8)], labels: [0])]
        let sReg = randomInput([1, 2, 12], seed: 5).data, tReg = randomInput([1, 2, 12], seed: 6).data
        let student = outputs(priors, cls: [0, 0, 0, 0], reg: sReg)
        let teacher = outputs(priors, cls: [0, 0, 0, 0], reg: tReg)
        let targets = targets(priors, truth: truth, positives: [0], gtOf: [0], thresholds: [[0.5]])
        return (inputs(student: student, teacher: teacher, targets: targets, truth: truth), sReg, tReg)
    }
}

func close(_ a: Float, _ b: Double, _ tol: Double = 1e-5) -> Bool { Swift.abs(Double(a) - b) <= tol * Swift.max(1, Swift.abs(b)) }

@Suite("LD: localization distillation and classification KD") struct LDLossTests {
    /// One positive, n = 2 (3 bins), τ = 10. Teacher edge l: logits (0, 0, 0) → p = (1/3, 1/3, 1/3).
    /// Student edge l: (10·ln 2, 0, 0) → q = softmax(ln 2, 0, 0) = (1/2, 1/4, 1/4).
    /// KL = 1/3·[ln(2/3) + 2·ln(4/3)] = ln(32/27)/3; mean over 3 bins and × τ²: 100·ln(32/27)/9
    /// = 1.887767. Edges t, r, b are identical on both sides: 0. Student class logits (0, −1):
    /// weight σ(0) = 0.5. Loss = 0.25 · 0.5 · 1.887767 / 4 = 0.0589927.
    @Test func mainRegionLDHandWorked() {
        let priors = LDFixture.priors([(1, 2)], strides: [8])
        let truth = [GroundTruth(boxes: [Box(x1: 0, y1: 0, x2: 16, y2: 8)], labels: [0])]
        let ln2x10 = Float(10 * Foundation.log(2.0))
        var sReg = [Float](repeating: 0, count: 2 * 12), tReg = sReg
        sReg[0] = ln2x10
        sReg[12 + 4] = 3; tReg[12 + 4] = -3              // prior 1 is not positive: ignored
        let student = LDFixture.outputs(priors, cls: [0, -1, 5, 5], reg: sReg)
        let teacher = LDFixture.outputs(priors, cls: [3, 3, 3, 3], reg: tReg)
        let targets = LDFixture.targets(priors, truth: truth, positives: [0], gtOf: [0])
        let inputs = LDFixture.inputs(student: student, teacher: teacher, targets: targets, truth: truth)
        let loss = LocalizationDistillation(region: .main).losses(inputs)
        #expect(Array(loss.keys) == ["loss_ld"])
        #expect(close(loss["loss_ld"]!.item, 0.0589927))
        // The paper's indicator weighting drops the 0.5.
        let uniform = LocalizationDistillation(region: .main)
        uniform.mainWeighting = .uniform
        #expect(close(uniform.losses(inputs)["loss_ld"]!.item, 2 * 0.0589927))
        // τ = 1: KL mean × 1 = ln(32/27)/9 (q at τ=1 is (2^10, 1, 1)/(2^10+2) — so recompute).
        let q = [1024.0, 1, 1].map { $0 / 1026 }
        let kl = (0..<3).map { (1.0 / 3) * (Foundation.log(1.0 / 3) - Foundation.log(q[$0])) }.reduce(0, +) / 3
        #expect(close(LocalizationDistillation(region: .main, temperature: 1).losses(inputs)["loss_ld"]!.item,
                      0.25 * 0.5 * kl / 4))
    }

    /// The LD heads' constant normalisers divide one GPU's sum (2 images); a batch of B images
    /// stands for B / 2 GPUs whose gradients DDP averages. The hand-worked prior of
    /// `mainRegionLDHandWorked` (0.0589927 per image) in 1, 2, 4 and 16 identical images:
    /// 0.0589927 · B / max(1, B / 2), i.e. once for one image and twice for every larger batch.
    @Test func constantNormalisersDividePerDeviceSums() {
        let priors = LDFixture.priors([(1, 2)], strides: [8])
        let ln2x10 = Float(10 * Foundation.log(2.0))
        var perPriorLoss: [Int: Float] = [:]
        for (images, expected) in [(1, 0.0589927), (2, 2 * 0.0589927), (4, 2 * 0.0589927), (16, 2 * 0.0589927)] {
            let truth = [GroundTruth](repeating: GroundTruth(boxes: [Box(x1: 0, y1: 0, x2: 16, y2: 8)], labels: [0]),
                                      count: images)
            var sReg = [Float](repeating: 0, count: images * 2 * 12)
            var sCls = [Float](), tCls = [Float]()
            for b in 0..<images { sReg[b * 24] = ln2x10; sCls += [0, -1, 5, 5]; tCls += [3, 3, 3, 3] }
            let student = LDFixture.outputs(priors, batch: images, cls: sCls, reg: sReg)
            let teacher = LDFixture.outputs(priors, batch: images, cls: tCls, reg: [Float](repeating: 0, count: sReg.count))
            let targets = LDFixture.targets(priors, truth: truth, positives: (0..<images).map { $0 * 2 },
                                            gtOf: [Int](repeating: 0, count: images))
            let inputs = LDFixture.inputs(student: student, teacher: teacher, targets: targets, truth: truth)
            let loss = LocalizationDistillation(region: .main).losses(inputs)["loss_ld"]!.item
            #expect(close(loss, expected), "\(images) images: \(loss), expected \(expected)")
            // RetinaNet's per-prior rows divide by the same GPU count.
            let perPrior = LocalizationDistillation(region: .main)
            perPrior.rows = .perPrior
            perPriorLoss[images] = perPrior.losses(inputs)["loss_ld"]!.item
        }
        #expect(perPriorLoss[1]! > 0)
        for images in [4, 16] { #expect(close(perPriorLoss[images]!, Double(perPriorLoss[2]!))) }
        #expect(close(perPriorLoss[2]!, 2 * Double(perPriorLoss[1]!)))
    }

    /// Rotated LD (Rotated-LD's head): five 3-bin rows per anchor (δx, δy, δw, δh, δθ), weight
    /// 1 each on the main region, the sum / the 2 selected anchors × 10. Anchor 0 differs in δx,
    /// anchor 1 in δθ, each by the 1.887767 of `mainRegionLDHandWorked`: 10 · 2 · 1.887767 / 2.
    @Test func rotatedLDHandWorked() throws {
        var c = DenseDetectorConfig(kind: .gwd, numClasses: 2, backbone: .resnet(.init(depth: 18, widthMultiplier: 0.125, stem: .compact)))
        c.fpnChannels = 8; c.headChannels = 8; c.stackedConvs = 1; c.regMax = 2; c.boxHead = .distribution
        var rng = RNG(seed: 1)
        let rotated = DenseDetector(c, rng: &rng)
        let priors = LDFixture.priors([(1, 2)], strides: [8])
        let truth = [GroundTruth(boxes: [Box(x1: 0, y1: 0, x2: 16, y2: 8)], labels: [0])]
        var sReg = [Float](repeating: 0, count: 2 * 15), tReg = sReg
        sReg[0] = Float(10 * Foundation.log(2.0))          // anchor 0, δx
        sReg[15 + 12] = Float(10 * Foundation.log(2.0))    // anchor 1, δθ
        tReg[3] = 0.4; sReg[3] = 0.4                        // anchor 0, δy: equal on both sides
        let student = LDFixture.outputs(priors, cls: [0, -1, 2, 0], reg: sReg)
        let teacher = LDFixture.outputs(priors, cls: [0, 0, 0, 0], reg: tReg)
        let targets = LDFixture.targets(priors, truth: truth, positives: [0, 1], gtOf: [0, 0])
        let inputs = LDFixture.inputs(student: student, teacher: teacher, targets: targets, truth: truth, studentDetector: rotated)
        var rng2 = RNG(seed: 0)
        let term = try #require(try DistillationMethods.term(method: "ld", parameters: ["region": .text("main"), "temperature": .number(10)],
                                                             student: c, teacher: c, rng: &rng2) as? LocalizationDistillation)
        #expect(term.lossWeight == 10 && term.mainWeighting == .uniform && term.perLevelMean)
        #expect(close(term.losses(inputs)["loss_ld"]!.item, 10 * 2 * 1.887767 / 2))

        // Per level (Rotated-LD's `loss_single`): with a third positive on a second level whose
        // rows match the teacher's, level 0 averages its two anchors, level 1 adds 0 / 1.
        let twoLevels = LDFixture.priors([(1, 2), (1, 1)], strides: [8, 16])
        let s3 = LDFixture.outputs(twoLevels, cls: [0, -1, 2, 0, 1, 1], reg: sReg + [Float](repeating: 0.2, count: 15))
        let t3 = LDFixture.outputs(twoLevels, cls: [Float](repeating: 0, count: 6), reg: tReg + [Float](repeating: 0.2, count: 15))
        let targets3 = LDFixture.targets(twoLevels, truth: truth, positives: [0, 1, 2], gtOf: [0, 0, 0])
        let inputs3 = LDFixture.inputs(student: s3, teacher: t3, targets: targets3, truth: truth, studentDetector: rotated)
        #expect(close(term.losses(inputs3)["loss_ld"]!.item, 10 * 2 * 1.887767 / 2))
        // A second level whose anchor differs like anchor 0: + 10 · 1.887767 / 1.
        var sReg4 = sReg + [Float](repeating: 0, count: 15)
        sReg4[30] = Float(10 * Foundation.log(2.0))
        let s4 = LDFixture.outputs(twoLevels, cls: [Float](repeating: 0, count: 6), reg: sReg4)
        let t4 = LDFixture.outputs(twoLevels, cls: [Float](repeating: 0, count: 6), reg: tReg + [Float](repeating: 0, count: 15))
        let inputs4 = LDFixture.inputs(student: s4, teacher: t4, targets: targets3, truth: truth, studentDetector: rotated)
        #expect(close(term.losses(inputs4)["loss_ld"]!.item, 10 * 2 * 1.887767 / 2 + 10 * 1.887767))
    }

    /// KD over K = 2 classes, T = 2. Teacher (0, 0) → p = (1/2, 1/2); student (2·ln 3, 0) →
    /// q = (3/4, 1/4). KL = ½ln(2/3) + ½ln 2 = ½ln(4/3); mean over 2 classes × T² = ln(4/3) = 0.287682.
    /// Positives: priors 0 and 1 on level 0 (prior 1 identical on both sides: KL 0), prior 2 on
    /// level 1. Per-level mean, summed: 0.287682/2 + 0.287682/1; × 10 = 4.315231.
    @Test func classificationKDHandWorked() {
        let priors = LDFixture.priors([(1, 2), (1, 1)], strides: [8, 16])
        let truth = [GroundTruth(boxes: [Box(x1: 0, y1: 0, x2: 16, y2: 8)], labels: [1])]
        let l3 = Float(2 * Foundation.log(3.0))
        let student = LDFixture.outputs(priors, cls: [l3, 0, 0.7, -0.2, l3, 0], reg: [Float](repeating: 0, count: 3 * 12))
        let teacher = LDFixture.outputs(priors, cls: [0, 0, 0.7, -0.2, 0, 0], reg: [Float](repeating: 0, count: 3 * 12))
        let targets = LDFixture.targets(priors, truth: truth, positives: [0, 1, 2], gtOf: [0, 0, 0])
        let inputs = LDFixture.inputs(student: student, teacher: teacher, targets: targets, truth: truth)
        let loss = ClassificationKD(region: .main, temperature: 2).losses(inputs)
        #expect(Array(loss.keys) == ["loss_kd"])
        #expect(close(loss["loss_kd"]!.item, 4.315231))

        // GFocalV2 pairs (LD's `LDv2Head`): KD reads the class logits before the quality; the
        // joint scores in `cls` (here all equal, which would give 0) are not what it compares.
        var student2 = LDFixture.outputs(priors, cls: [Float](repeating: -1, count: 6), reg: student.reg.data)
        var teacher2 = LDFixture.outputs(priors, cls: [Float](repeating: -1, count: 6), reg: teacher.reg.data)
        student2.classLogits = student.cls
        teacher2.classLogits = teacher.cls
        let inputs2 = LDFixture.inputs(student: student2, teacher: teacher2, targets: targets, truth: truth)
        #expect(close(ClassificationKD(region: .main, temperature: 2).losses(inputs2)["loss_kd"]!.item, 4.315231))
    }

    /// Identical teacher and student logits give exactly zero LD (main and VLR) and KD.
    @Test func identicalOutputsGiveZero() {
        let priors = LDFixture.priors([(3, 3), (2, 2)], strides: [8, 16])
        let truth = [GroundTruth(boxes: [Box(x1: 2, y1: 3, x2: 20, y2: 17)], labels: [1])]
        let cls = randomInput([1, 13, 2], seed: 3, low: -3, high: 3).data
        let reg = randomInput([1, 13, 12], seed: 4, low: -4, high: 4).data
        let out = LDFixture.outputs(priors, cls: cls, reg: reg)
        let twin = LDFixture.outputs(priors, cls: cls, reg: reg)
        let targets = LDFixture.targets(priors, truth: truth, positives: [0, 4, 9], gtOf: [0, 0, 0], thresholds: [[0.5]])
        let inputs = LDFixture.inputs(student: out, teacher: twin, targets: targets, truth: truth)
        let vlr = DistillationRegion.valuableLocalization(.init(gamma: 0))
        #expect(!vlr.isMain && inputs.selection(vlr).count > 0)
        for term in [LocalizationDistillation(region: .main), LocalizationDistillation(region: vlr),
                     ClassificationKD(region: .main), ClassificationKD(region: vlr)] as [LossTerm] {
            for (name, value) in term.losses(inputs) { #expect(value.item == 0, "\(name)") }
        }
    }

    /// LD on the VLR: weights are the band IoUs, × 0.25 / 16; gradients reach the student only.
    @Test func vlrLDUsesIoUWeights() {
        // Gt [0,0,12,8], ATSS threshold 0.5, γ = 0.25: band [0.125, 0.5).
        // Anchor 0 [0,0,8,8]: IoU 64/96, centre distance² 2², enclosing diagonal² 12²+8² →
        //   DIoU = 0.6667 − 4/208 = 0.6474: above the band (it is the positive).
        // Anchor 1 [8,0,16,8]: IoU 32/128 = 0.25, distance² 6², diagonal² 16²+8² →
        //   DIoU = 0.25 − 36/320 = 0.1375: in the band, weight IoU 0.25.
        let (inputs, sReg, tReg) = LDFixture.vlrBand()
        let region = DistillationRegion.valuableLocalization(.init(gamma: 0.25))
        #expect(inputs.selection(region) == PriorSelection(indices: [1], weights: [0.25]))
        let loss = LocalizationDistillation(region: region).losses(inputs)["loss_ld_vlr"]!.item
        let rows = Tensor(shape: [4, 3], data: Array(sReg[12..<24]))
        let want = rows.temperatureKL(teacher: Tensor(shape: [4, 3], data: Array(tReg[12..<24])), temperature: 10,
                                      rowWeights: [1, 1, 1, 1]).item * 0.25 * 0.25 / 16
        #expect(close(loss, Double(want)))
    }

    /// The fused KL against its definition, and its finite-difference gradient.
    @Test func temperatureKLMatchesDefinitionAndGradient() {
        let s = randomInput([5, 4], seed: 7, low: -3, high: 3), t = randomInput([5, 4], seed: 8, low: -3, high: 3)
        let w: [Float] = [1, 0.5, 0, 2, 0.25]
        for temp: Float in [1, 2, 10] {
            var want = 0.0
            for r in 0..<5 {
                let zs = (0..<4).map { Double(s.data[r * 4 + $0]) / Double(temp) }
                let zt = (0..<4).map { Double(t.data[r * 4 + $0]) / Double(temp) }
                let ls = Foundation.log(zs.map(Foundation.exp).reduce(0, +)), lt = Foundation.log(zt.map(Foundation.exp).reduce(0, +))
                let kl = (0..<4).map { k in Foundation.exp(zt[k] - lt) * ((zt[k] - lt) - (zs[k] - ls)) }.reduce(0, +)
                want += Double(w[r]) * kl / 4 * Double(temp * temp)
            }
            #expect(close(s.temperatureKL(teacher: t, temperature: temp, rowWeights: w).item, want, 1e-5))
            expectGradientsMatch([s], step: 1e-2) { $0[0].temperatureKL(teacher: t, temperature: temp, rowWeights: w) }
        }
    }

    @Test func locationWeightedSquaredErrorGradient() {
        let s = randomInput([2, 3, 2, 2], seed: 9), t = randomInput([2, 3, 2, 2], seed: 10)
        let m: [Float] = [1, 0, 0.5, 2, 0, 0, 1, 3]
        var want = 0.0
        for b in 0..<2 { for c in 0..<3 { for j in 0..<4 {
            let o = (b * 3 + c) * 4 + j, d = Double(s.data[o] - t.data[o])
            want += Double(m[b * 4 + j]) * d * d
        } } }
        #expect(close(s.locationWeightedSquaredError(target: t, locationWeights: m).item, want))
        expectGradientsMatch([s]) { $0[0].locationWeightedSquaredError(target: t, locationWeights: m) }
    }
}

extension DistillationRegion {
    var isMain: Bool { self == .main }
}
