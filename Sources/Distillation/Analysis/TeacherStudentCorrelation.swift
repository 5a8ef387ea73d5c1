import Data
import Detection
import Foundation
import Tensor

/// Pearson's correlation coefficient of two equally long samples.
public enum PearsonCorrelation {
    /// r = Σ(x − x̄)(y − ȳ) / √(Σ(x − x̄)² · Σ(y − ȳ)²), accumulated in double precision in two
    /// passes (means first), clamped to [−1, 1] against rounding.
    ///
    /// Returns nil when r is undefined: fewer than two values, or either sample constant (zero
    /// variance: the denominator is 0). Callers decide what an undefined r means; it is never
    /// reported as 0 (which would read as "uncorrelated") or 1.
    public static func coefficient(_ x: UnsafeBufferPointer<Float>, _ y: UnsafeBufferPointer<Float>) -> Double? {
        precondition(x.count == y.count, "PearsonCorrelation: \(x.count) values against \(y.count)")
        let n = x.count
        guard n >= 2 else { return nil }
        var sumX = 0.0, sumY = 0.0
        for i in 0..<n { sumX += Double(x[i]); sumY += Double(y[i]) }
        let meanX = sumX / Double(n), meanY = sumY / Double(n)
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for i in 0..<n {
            let dx = Double(x[i]) - meanX, dy = Double(y[i]) - meanY
            sxy += dx * dy; sxx += dx * dx; syy += dy * dy
        }
        guard sxx > 0, syy > 0 else { return nil }
        return Swift.min(1, Swift.max(-1, sxy / (sxx * syy).squareRoot()))
    }

    public static func coefficient(_ x: ArraySlice<Float>, _ y: ArraySlice<Float>) -> Double? {
        x.withUnsafeBufferPointer { a in y.withUnsafeBufferPointer { b in coefficient(a, b) } }
    }

    public static func coefficient(_ x: [Float], _ y: [Float]) -> Double? {
        coefficient(x[...], y[...])
    }
}

public enum TeacherStudentCorrelationError: Error, Equatable, CustomStringConvertible {
    /// Student and teacher tensors differ in shape, so element i of one is not element i of the
    /// other and r has no meaning (different FPN widths, n, priors per location or strides).
    case shapeMismatch(String)
    case emptyDataset
    /// A NaN or infinite value in one model's tensor: r would be NaN, and the two-pass variance
    /// test would silently count the pair as undefined. `model` is "student" or "teacher",
    /// `tensor` names the level ("FPN features P4", "box logits P3"), `image` the dataset index.
    case nonFinite(model: String, tensor: String, image: Int)

    public var description: String {
        switch self {
        case let .shapeMismatch(what):
            return "teacher-student correlation needs identical tensor shapes: \(what)"
        case .emptyDataset:
            return "teacher-student correlation: the dataset has no image"
        case let .nonFinite(model, tensor, image):
            return "teacher-student correlation: the \(model)'s \(tensor) of validation image \(image) has a NaN or "
                + "infinite value (a diverged or corrupt checkpoint?); r is not computed from it"
        }
    }
}

/// LD's Table 7 (methods.md D8): how linearly a trained student's tensors follow its teacher's on
/// validation images, for (a) the FPN feature maps P3–P7 and (b) the box branch's outputs
/// (`DenseDetector.Outputs.reg`: GFL's 4·(n+1) distribution logits per prior).
///
/// **What is averaged.** Both detectors run in eval mode without gradient on the same input
/// batches (the evaluation transform: no flip, no random scale). For each of the first `images`
/// images i and each FPN level l:
/// - features: r(i, l) = Pearson's r between the flattened [C, H, W] map of level l of image i
///   of the teacher and that of the student (element (c, y, x) paired with (c, y, x));
/// - bbox logits: r(i, l) = Pearson's r between the flattened [priors of level l × 4·(n+1)]
///   blocks of `reg` (prior p, channel k paired with prior p, channel k).
///
/// Each reported value is the plain mean of r(i, l) over all (image, level) pairs at which r is
/// defined. Every image has the same levels, so when every r is defined this equals the mean over
/// images of each image's mean over the five levels: levels weigh equally, not by their sizes.
///
/// **Why per image and per level.** Pooling levels into one vector would let P3 (most elements)
/// dominate, and differences between the levels' means and scales (present in both networks
/// alike) would correlate by themselves and inflate r; pooling images likewise would correlate
/// per-image brightness of the maps. Per (image, level), r measures whether the two tensors vary
/// together inside one map: the reading of the paper's "linear correlation" taken here.
///
/// **Undefined r.** If either tensor of a pair is constant (zero variance), r is undefined; the
/// pair is left out of the mean and counted in `undefinedFeaturePairs` / `undefinedBoxPairs`. If
/// no pair has an r, the value is nil (reported as missing, never as 0). A NaN or infinite value
/// is not "undefined": `measure` throws `nonFinite` naming the model, tensor, level and image.
///
/// **What the paper does not say.** The LD paper does not publish its averaging, and no
/// analysis script for Table 7 is in the public LD code. The only trace there is a commented-out
/// block in `multi_gpu_test` of `AP_landscape/apis/test.py` (HikariTJU/LD, with the import of
/// audtorch's `pearsonr` also commented out): it reshapes P5 alone to one row per (image,
/// channel), takes each row's r over the spatial positions, adds each batch's mean of those r and
/// divides by 5000 (val2017's images) in a commented-out print; it has no bbox-logit counterpart.
/// Whether Table 7 came from that code is not stated. This struct follows the definition above
/// instead: every level, whole maps, both quantities alike. (A per-channel r removes each
/// channel's mean, the whole-map r keeps differences between channels, so the two readings can
/// give different numbers for the same pair.)
///
/// Images in one batch are padded to a common size; with images of different sizes the padded
/// border is part of each map (`batchSize = 1` avoids that). Synthetic scenes all have one size.
public struct TeacherStudentCorrelation {
    /// The first N validation images are analysed. 100 by default: at small scale (R-50 and R-101
    /// analogues on 64-px scenes) both forward passes took 2.3 s for 100 images (5.2 s for 200)
    /// on 2 cores shared with training runs, and for that (untrained) pair the means over 20, 100
    /// and 200 images agreed within 0.001, far below the differences Table 7 compares (0.82 vs
    /// −0.004, 0.97 vs 0.92).
    /// At smoke scale the split has 8 images and all are used.
    public var images = TeacherStudentCorrelation.defaultImages
    public static let defaultImages = 100
    public var batchSize = 8
    /// The evaluation pipeline (`DetectorEvaluation.transform.evaluation`).
    public var transform = DetectionTransform(flipProbability: 0)

    public init(images: Int = TeacherStudentCorrelation.defaultImages) { self.images = images }

    public struct Result: Equatable, Sendable {
        /// Mean r of the FPN feature maps; nil when no pair had one.
        public var features: Double?
        /// Mean r of the box branch's outputs; nil when no pair had one.
        public var bboxLogits: Double?
        /// Images analysed and levels per image: each quantity has images × levels pairs.
        public var images: Int
        public var levels: Int
        public var undefinedFeaturePairs: Int
        public var undefinedBoxPairs: Int
    }

    /// Runs both detectors on the first `images` images of `dataset` and averages as described
    /// above. Both are put in eval mode; no gradient is recorded. Throws
    /// `TeacherStudentCorrelationError.shapeMismatch` when a tensor of the student and the
    /// teacher differ in shape, and `.nonFinite` when one holds a NaN or an infinity.
    public func measure(student: DenseDetector, teacher: DenseDetector, on dataset: any DetectionDataset) throws -> Result {
        let count = Swift.min(images, dataset.count)
        guard count > 0 else { throw TeacherStudentCorrelationError.emptyDataset }
        student.train(false)
        teacher.train(false)
        let loader = BatchLoader(dataset: dataset, transform: transform.evaluation)
        var rng = RNG(seed: 0)  // the evaluation transform draws nothing
        var features = MeanOfDefined(), boxes = MeanOfDefined(), levels = 0
        for start in stride(from: 0, to: count, by: Swift.max(1, batchSize)) {
            let batch = try loader.batch(Array(start..<Swift.min(count, start + Swift.max(1, batchSize))), rng: &rng)
            let (s, t) = GradMode.withoutGrad { (student(batch.images), teacher(batch.images)) }
            try Self.checkShapes(student: s, teacher: t)
            levels = s.features.count
            let b = s.batch
            for (l, (sf, tf)) in zip(s.features, t.features).enumerated() {
                let size = sf.count / b
                for i in 0..<b {
                    let range = (i * size)..<((i + 1) * size)
                    try features.add(sf.data[range], tf.data[range], tensor: "FPN features P\(l + 3)", image: start + i)
                }
            }
            let priors = s.reg.shape[1], channels = s.reg.shape[2]
            for (l, level) in s.priors.layout.levels.enumerated() {
                for i in 0..<b {
                    let base = i * priors * channels
                    let range = (base + level.start * channels)..<(base + (level.start + level.count) * channels)
                    try boxes.add(s.reg.data[range], t.reg.data[range], tensor: "box logits P\(l + 3)", image: start + i)
                }
            }
        }
        return Result(features: features.mean, bboxLogits: boxes.mean, images: count, levels: levels,
                      undefinedFeaturePairs: features.undefined, undefinedBoxPairs: boxes.undefined)
    }

    /// The mean of r over the (image, level) pairs where it is defined, and how many were not.
    struct MeanOfDefined {
        private var sum = 0.0, defined = 0
        private(set) var undefined = 0
        var mean: Double? { defined > 0 ? sum / Double(defined) : nil }

        /// Adds one pair's r; throws `nonFinite` when a block holds a NaN or an infinity.
        mutating func add(_ student: ArraySlice<Float>, _ teacher: ArraySlice<Float>, tensor: String, image: Int) throws {
            try TeacherStudentCorrelation.requireFinite(student, teacher, tensor: tensor, image: image)
            if let r = PearsonCorrelation.coefficient(student, teacher) {
                sum += r; defined += 1
            } else {
                undefined += 1
            }
        }
    }

    /// Throws `nonFinite` for the first of the student's and the teacher's blocks that holds a
    /// NaN or an infinity.
    static func requireFinite(_ student: ArraySlice<Float>, _ teacher: ArraySlice<Float>, tensor: String, image: Int) throws {
        for (model, values) in [("student", student), ("teacher", teacher)] where !values.allSatisfy(\.isFinite) {
            throw TeacherStudentCorrelationError.nonFinite(model: model, tensor: tensor, image: image)
        }
    }

    static func checkShapes(student s: DenseDetector.Outputs, teacher t: DenseDetector.Outputs) throws {
        guard s.features.count == t.features.count else {
            throw TeacherStudentCorrelationError.shapeMismatch("student has \(s.features.count) FPN levels, teacher \(t.features.count)")
        }
        for (l, (a, b)) in zip(s.features, t.features).enumerated() where a.shape != b.shape {
            throw TeacherStudentCorrelationError.shapeMismatch(
                "FPN level P\(l + 3): student \(a.shape), teacher \(b.shape) ([B, C, H, W])")
        }
        guard s.reg.shape == t.reg.shape else {
            throw TeacherStudentCorrelationError.shapeMismatch(
                "box outputs: student \(s.reg.shape), teacher \(t.reg.shape) ([B, priors, 4·(n+1)])")
        }
        guard s.priors.layout == t.priors.layout else {
            throw TeacherStudentCorrelationError.shapeMismatch("prior layouts differ (priors per location or strides)")
        }
    }
}
