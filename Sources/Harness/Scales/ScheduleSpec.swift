/// A training schedule as a run executes it. Identity is the number of epochs, not the printed
/// name, so LD's "2x" and a "24e" elsewhere are the same schedule (and share runs).
public struct ScheduleSpec: Codable, Hashable, Sendable {
    /// Epochs of the paper's schedule: 1x = 12, 2x = 24, "18e" = 18.
    public var epochs: Int
    /// Training iterations at this scale.
    public var iterations: Int
    /// Images per iteration.
    public var batchSize: Int
    /// The learning rate at 16 images per iteration: at full the paper's (`PaperRecipe`); at
    /// smoke and small only a detector's released rate where it departs from 0.01
    /// (`ScaleCalibration.releasedLearningRate`), else nil and absent from the canonical form.
    /// `decayIterations`, full only: the iterations after which it decays ×0.1.
    public var learningRate: Double?
    public var decayIterations: [Int]?
    /// Full only: `.detectron2` where the paper trains with Detectron2's conventions (1000
    /// warm-up iterations, no gradient clipping); nil: mmdetection's.
    public var framework: TrainingFramework?

    /// Reads "1x", "2x", "1.5x", "24e", "30e", "24 epochs"; nil for anything else.
    public static func epochs(of text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        if trimmed.hasSuffix("x"), let multiple = Double(trimmed.dropLast()), multiple > 0 {
            let epochs = multiple * Double(ScaleCalibration.epochsPerX)
            return epochs == epochs.rounded() ? Int(epochs) : nil
        }
        for suffix in [" epochs", "epochs", "e"] where trimmed.hasSuffix(suffix) {
            if let epochs = Int(trimmed.dropLast(suffix.count).trimmingCharacters(in: .whitespaces)), epochs > 0 {
                return epochs
            }
        }
        return nil
    }

    /// The epochs of a table's schedule field: `text`, or `ScaleCalibration.unstatedSchedule`
    /// where the table states none.
    static func epochs(stated text: String?) -> Int? { epochs(of: text ?? ScaleCalibration.unstatedSchedule) }

    /// The schedule `text` (nil: unstated, trained as `ScaleCalibration.unstatedSchedule`) of
    /// `detector` on `dataset` at `scale`.
    static func resolve(_ text: String?, dataset: String, detector: String, scale: ScaleProfile) -> Result<ScheduleSpec, NotImplemented> {
        guard let epochs = epochs(stated: text) else {
            return .failure(NotImplemented("schedule '\(text ?? "")': not understood (expected 1x, 2x, 24e…)"))
        }
        let numbers = ScaleCalibration.numbers(for: scale)
        let iterations: Int
        if let per1x = numbers.iterationsPer1x {
            let multiplier = Double((numbers.iterationMultipliers[dataset] ?? 1) * (numbers.detectorIterationMultipliers[detector] ?? 1))
            let scaled = multiplier * Double(per1x) * Double(epochs) / Double(ScaleCalibration.epochsPerX)
            iterations = max(numbers.minimumIterations, Int(scaled.rounded()))
        } else if let real = ScaleCalibration.fullDatasets[dataset] {
            iterations = epochs * real.iterationsPerEpoch * real.repeats
        } else {
            return .failure(NotImplemented("dataset \(dataset): no full-scale reader"))
        }
        return .success(ScheduleSpec(epochs: epochs, iterations: iterations, batchSize: numbers.batchSize))
    }
}
