import Distillation

/// A measurement made on a trained run after training, comparing it with a teacher: what a table
/// column asks for when its metric relates a student to its teacher (LD's Table 7 Pearson
/// correlations).
///
/// Such a cell is measured by an *analysis run*: the cell's training run spec with `analysis`
/// set and `teacher` = the setting's teacher (for a distilled run, the teacher it learned from;
/// for a baseline, attached for the analysis only). It depends on two runs, its `subject` (the
/// training run itself, unchanged: a baseline still trains without a teacher and keeps the id it
/// has in every other table, so it is trained once) and its teacher; it loads both final
/// checkpoints, trains nothing, and records the metrics of its kind. Its own id differs from the
/// subject's (the `analysis` field is part of the canonical JSON), so the subject's record is
/// never changed after the fact, and an analysis of a run completed long ago needs no retraining.
public struct RunAnalysis: Codable, Hashable, Sendable {
    /// What is measured: `teacher_correlation`.
    public var kind: String
    /// The first N images of the validation split are analysed; nil: the whole split (full scale,
    /// the paper's protocol).
    public var images: Int?

    public init(kind: String, images: Int?) {
        self.kind = kind
        self.images = images
    }

    /// Pearson's r between the student's and the teacher's FPN features and box logits, averaged
    /// over (image, level) pairs (`TeacherStudentCorrelation`): metrics `pearson_features` and
    /// `pearson_bbox_logits`, plain correlations in [−1, 1] (not percent).
    public static let teacherCorrelation = "teacher_correlation"

    /// Metric → the analysis kind that reports it. A column with one of these metrics is measured
    /// by an analysis run; every other metric by the training run itself.
    public static let metricKinds: [String: String] = [
        "pearson_features": teacherCorrelation,
        "pearson_bbox_logits": teacherCorrelation,
    ]

    /// Metric → the metric an analysis run records beside it: how many (image, level) pairs had
    /// no r (a constant tensor). The executor records these whenever a pair was undefined; a
    /// completed analysis without `pearson_features` but with its count had no defined pair.
    public static let undefinedPairMetrics: [String: String] = [
        "pearson_features": "pearson_undefined_feature_pairs",
        "pearson_bbox_logits": "pearson_undefined_box_pairs",
    ]

    /// Why a completed run's `metrics` lack `metric`, when the run said so: for the Pearson
    /// metrics, r undefined because every pair had a constant tensor. Nil otherwise.
    static func missingReason(_ metric: String, in metrics: [String: Double]) -> String? {
        guard metrics[metric] == nil, let countName = undefinedPairMetrics[metric], let count = metrics[countName] else {
            return nil
        }
        let pairs = Int(count)
        return "r undefined: constant tensors in every (image, level) pair (\(pairs) pair\(pairs == 1 ? "" : "s"))"
    }

    /// The analysis a column's metric needs at `scale`, or nil for a metric the training run
    /// reports. Reduced scales analyse `TeacherStudentCorrelation.defaultImages` images (or
    /// the whole split if it is smaller); full scale the whole split, as the paper does.
    static func forMetric(_ metric: String, scale: ScaleProfile) -> RunAnalysis? {
        guard let kind = metricKinds[metric] else { return nil }
        return RunAnalysis(kind: kind, images: scale == .full ? nil : TeacherStudentCorrelation.defaultImages)
    }
}

extension RunSpec {
    /// The training run an analysis run measures: this spec without `analysis`, and without the
    /// teacher when it has no distillation terms (a baseline trains without one, although its
    /// analysis compares it with the setting's teacher). Nil for a training run.
    public var subject: RunSpec? {
        guard analysis != nil else { return nil }
        var subject = self
        subject.analysis = nil
        if subject.distillation.isEmpty { subject.teacher = nil }
        return subject
    }
}
