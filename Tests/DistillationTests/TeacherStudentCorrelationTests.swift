import Data
import Detection
import Foundation
import NN
import Testing
@testable import Distillation
import Tensor

/// Pearson's r worked by hand, and LD Table 7's averaging over (image, level) pairs on two tiny
/// detectors.
@Suite("Teacher-student correlation") struct TeacherStudentCorrelationTests {
    // MARK: Pearson core

    @Test func perfectlyCorrelatedIsOne() throws {
        let x: [Float] = [1, 2, 3, 4, 5]
        let r = try #require(PearsonCorrelation.coefficient(x, x.map { 2 * $0 + 3 }))
        #expect(abs(r - 1) < 1e-12)
    }

    @Test func antiCorrelatedIsMinusOne() throws {
        let x: [Float] = [0.5, -1, 2, 7]
        let r = try #require(PearsonCorrelation.coefficient(x, x.map { -0.5 * $0 + 1 }))
        #expect(abs(r + 1) < 1e-12)
    }

    /// x = 1 2 3 4, y = 2 1 4 3: both means 2.5; deviations (−1.5, −0.5, 0.5, 1.5) and
    /// (−0.5, −1.5, 1.5, 0.5); Σdx·dy = 0.75 · 4 = 3, Σdx² = Σdy² = 5, so r = 3 / 5 = 0.6.
    /// x = 1 2 3, y = 1 3 2: deviations (−1, 0, 1) and (−1, 1, 0); r = 1 / √(2 · 2) = 0.5.
    @Test func smallWorkedExamples() throws {
        let r1 = try #require(PearsonCorrelation.coefficient([1, 2, 3, 4], [2, 1, 4, 3]))
        #expect(abs(r1 - 0.6) < 1e-12)
        let r2 = try #require(PearsonCorrelation.coefficient([1, 2, 3], [1, 3, 2]))
        #expect(abs(r2 - 0.5) < 1e-12)
        // Invariant under a positive affine map of either side; symmetric.
        let r3 = try #require(PearsonCorrelation.coefficient([10, 20, 30, 40], [2, 1, 4, 3].map { 0.1 * $0 - 7 }))
        #expect(abs(r3 - 0.6) < 1e-6)
        #expect(PearsonCorrelation.coefficient([2, 1, 4, 3], [1, 2, 3, 4]) == r1)
        // Slices of larger arrays, as the per-level blocks are taken.
        let r4 = try #require(PearsonCorrelation.coefficient([9, 1, 2, 3, 4][1...], [9, 2, 1, 4, 3][1...]))
        #expect(abs(r4 - 0.6) < 1e-12)
    }

    @Test func zeroVarianceOrTooFewValuesIsUndefined() {
        #expect(PearsonCorrelation.coefficient([3, 3, 3], [1, 2, 3]) == nil)
        #expect(PearsonCorrelation.coefficient([1, 2, 3], [0, 0, 0]) == nil)
        #expect(PearsonCorrelation.coefficient([1], [2]) == nil)
        #expect(PearsonCorrelation.coefficient([], []) == nil)
    }

    // MARK: Two tiny detectors

    static func tinySetup(fpnChannels: Int = 16) -> (DenseDetectorConfig, any DetectionDataset) {
        var scenes = SyntheticSceneConfig()
        scenes.imageWidth = 64; scenes.imageHeight = 64; scenes.trainCount = 1; scenes.valCount = 3
        let (_, val) = SyntheticScenes.splits(scenes)
        var config = DenseDetectorConfig(kind: .gfl, numClasses: val.numClasses,
                                         backbone: .resnet(.init(depth: 18, widthMultiplier: 0.125, stem: .compact)))
        config.fpnChannels = fpnChannels; config.headChannels = 16; config.stackedConvs = 1; config.regMax = 4
        return (config, val)
    }

    static func copy(of model: DenseDetector) throws -> DenseDetector {
        var rng = RNG(seed: 99)
        let copy = DenseDetector(model.config, rng: &rng)
        try copy.load(state: model.state())
        return copy
    }

    /// A copy of the teacher correlates perfectly in both quantities, even with one level's box
    /// outputs scaled ×3: r is taken per level, so a level's scale does not matter (pooled over
    /// levels it would). Two independently initialised detectors correlate far less.
    @Test func copyIsOnePerLevelAndIndependentModelsAreNot() throws {
        let (config, val) = Self.tinySetup()
        var rng = RNG(seed: 1)
        let teacher = DenseDetector(config, rng: &rng)
        let student = try Self.copy(of: teacher)
        student.head.scales[2].assign([3])
        var measure = TeacherStudentCorrelation(images: 2)
        measure.batchSize = 1
        let same = try measure.measure(student: student, teacher: teacher, on: val)
        #expect(same.images == 2 && same.levels == 5)
        #expect(abs(try #require(same.features) - 1) < 1e-6)
        #expect(abs(try #require(same.bboxLogits) - 1) < 1e-6)
        #expect(same.undefinedFeaturePairs == 0 && same.undefinedBoxPairs == 0)

        let other = DenseDetector(config, rng: &rng)
        let different = try TeacherStudentCorrelation(images: 5).measure(student: other, teacher: teacher, on: val)
        #expect(different.images == 3)  // the split has 3 images
        let features = try #require(different.features), boxes = try #require(different.bboxLogits)
        #expect(features > -1 && features < 0.9)
        #expect(boxes > -1 && boxes < 0.9)
    }

    /// The mean is over (image, level) pairs: checked against r computed here, one forward pass
    /// per image, level by level.
    @Test func averagesOverImagesAndLevels() throws {
        let (config, val) = Self.tinySetup()
        var rng = RNG(seed: 2)
        let teacher = DenseDetector(config, rng: &rng), student = DenseDetector(config, rng: &rng)
        let result = try TeacherStudentCorrelation(images: 3).measure(student: student, teacher: teacher, on: val)
        let loader = BatchLoader(dataset: val, transform: DetectionTransform(flipProbability: 0).evaluation)
        var features: [Double] = [], boxes: [Double] = []
        for i in 0..<3 {
            var r = RNG(seed: 0)
            let images = try loader.batch([i], rng: &r).images
            let (s, t) = GradMode.withoutGrad { (student(images), teacher(images)) }
            for (a, b) in zip(s.features, t.features) { features.append(try #require(PearsonCorrelation.coefficient(a.data, b.data))) }
            let k = s.reg.shape[2]
            for level in s.priors.layout.levels {
                let range = (level.start * k)..<((level.start + level.count) * k)
                boxes.append(try #require(PearsonCorrelation.coefficient(s.reg.data[range], t.reg.data[range])))
            }
        }
        #expect(features.count == 15 && boxes.count == 15)
        // The measure ran the 3 images as one batch: the same numbers up to float rounding of
        // the batched convolutions (about 1e-8 here).
        #expect(abs(try #require(result.features) - features.reduce(0, +) / 15) < 1e-6)
        #expect(abs(try #require(result.bboxLogits) - boxes.reduce(0, +) / 15) < 1e-6)
    }

    /// Constant box outputs (a zeroed output convolution) have no r: every pair is counted as
    /// undefined and the value is nil, never 0; the features are unaffected.
    @Test func constantTensorsAreUndefinedNotZero() throws {
        let (config, val) = Self.tinySetup()
        var rng = RNG(seed: 3)
        let teacher = DenseDetector(config, rng: &rng)
        let student = try Self.copy(of: teacher)
        let state = student.state()
        for name in ["bbox_head.reg_out.weight", "bbox_head.reg_out.bias"] {
            let t = try #require(state[name])
            t.assign([Float](repeating: 0, count: t.count))
        }
        let result = try TeacherStudentCorrelation(images: 2).measure(student: student, teacher: teacher, on: val)
        #expect(result.bboxLogits == nil)
        #expect(result.undefinedBoxPairs == 2 * 5)
        #expect(abs(try #require(result.features) - 1) < 1e-6)
    }

    /// A NaN or an infinity is not a constant tensor: the measure throws, naming the model, the
    /// tensor and level, and the image, instead of counting the pair as undefined.
    @Test func nonFiniteValuesThrowNamingModelAndLevel() throws {
        let (config, val) = Self.tinySetup()
        var rng = RNG(seed: 5)
        let teacher = DenseDetector(config, rng: &rng)
        let student = try Self.copy(of: teacher)
        let bias = try #require(student.state()["bbox_head.reg_out.bias"])
        var values = bias.data
        values[0] = .nan
        bias.assign(values)
        #expect(throws: TeacherStudentCorrelationError.nonFinite(model: "student", tensor: "box logits P3", image: 0)) {
            _ = try TeacherStudentCorrelation(images: 2).measure(student: student, teacher: teacher, on: val)
        }
        let healthy = try Self.copy(of: teacher)
        let weight = try #require(teacher.state()["bbox_head.reg_out.weight"])
        weight.assign([Float](repeating: .infinity, count: weight.count))
        do {
            _ = try TeacherStudentCorrelation(images: 2).measure(student: healthy, teacher: teacher, on: val)
            Issue.record("an infinite teacher must throw")
        } catch let error as TeacherStudentCorrelationError {
            #expect(error == .nonFinite(model: "teacher", tensor: "box logits P3", image: 0))
            #expect(error.description.contains("teacher's box logits P3 of validation image 0"), "\(error)")
        }
    }

    @Test func differentShapesThrow() throws {
        let (config, val) = Self.tinySetup()
        let (wider, _) = Self.tinySetup(fpnChannels: 24)
        var rng = RNG(seed: 4)
        let teacher = DenseDetector(wider, rng: &rng), student = DenseDetector(config, rng: &rng)
        #expect(throws: TeacherStudentCorrelationError.self) {
            _ = try TeacherStudentCorrelation(images: 1).measure(student: student, teacher: teacher, on: val)
        }
        var finer = config
        finer.regMax = 8
        let other = DenseDetector(finer, rng: &rng)
        do {
            _ = try TeacherStudentCorrelation(images: 1).measure(student: student, teacher: other, on: val)
            Issue.record("different n must throw")
        } catch let error as TeacherStudentCorrelationError {
            #expect(error.description.contains("box outputs"))
        }
    }
}
