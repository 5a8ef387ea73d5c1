/// The training framework whose conventions a paper follows (warm-up, clipping, schedules).
public enum TrainingFramework: String, Codable, Hashable, Sendable { case mmdetection, detectron2 }

/// The paper's optimisation protocol beyond its schedule's length, as a table's `recipe:` field
/// states it: the framework whose conventions the paper follows, the learning rate at 16 images
/// per iteration, and where it decays. Applied at full scale only: smoke and small train under
/// their calibrated recipe (`ScaleCalibration.TrainingRecipe`), so a `recipe:` never changes a
/// small run's identity.
///
///     recipe: {lr: 0.02, lr_steps: [14, 16]}                      # RM on VOC: 18 epochs
///     recipe: {framework: detectron2}                              # LGD on COCO: 90k-iteration 1x
///     recipe: {framework: detectron2, iterations: 24000, lr_steps: [18000, 22000]}   # LGD on VOC
///
/// `lr_steps` are epochs, or iterations when `iterations` is given.
struct PaperRecipe: Equatable {
    var framework = TrainingFramework.mmdetection
    /// Learning rate at 16 images per iteration; nil: the detector's released rate
    /// (`ScaleCalibration.releasedLearningRate`, else `ScaleCalibration.paperLearningRate`).
    var learningRate: Double?
    /// Decay points (×0.1 each) in epochs, or in iterations when `iterations` is set.
    var steps: [Double]?
    /// Training iterations at 16 images, when the paper states its schedule in iterations.
    var iterations: Int?

    static let understoodKeys: Set<String> = ["framework", "lr", "lr_steps", "iterations"]

    /// Detectron2's COCO schedules (`configs/common/coco_schedule.py`): 1x = 90k iterations at
    /// 16 images, decays at 60k and 80k; 2x 180k (120k, 160k); 3x 270k (210k, 250k).
    static let detectron2COCO: [Int: (iterations: Int, steps: [Int])] = [
        12: (90_000, [60_000, 80_000]), 24: (180_000, [120_000, 160_000]), 36: (270_000, [210_000, 250_000]),
    ]

    /// Reads a `recipe:` value (nil: mmdetection's defaults).
    init(_ value: SettingValue?) throws(NotImplemented) {
        guard let value, value != .null else { return }
        guard let entries = value.map else { throw NotImplemented("recipe '\(value)': expected a map (framework, lr, lr_steps, iterations)") }
        for key in entries.keys.sorted() where !Self.understoodKeys.contains(key) {
            throw NotImplemented("recipe field '\(key)': not understood (expected framework, lr, lr_steps, iterations)")
        }
        if let name = entries["framework"] {
            guard let text = name.string, let framework = TrainingFramework(rawValue: text) else {
                throw NotImplemented("recipe framework '\(name)': expected mmdetection or detectron2")
            }
            self.framework = framework
        }
        if let lr = entries["lr"] {
            guard let rate = lr.number, rate > 0 else { throw NotImplemented("recipe lr '\(lr)': expected a positive number") }
            learningRate = rate
        }
        if let list = entries["lr_steps"] {
            let numbers = list.list?.compactMap(\.number) ?? []
            guard let items = list.list, !items.isEmpty, numbers.count == items.count, numbers.allSatisfy({ $0 > 0 }),
                  zip(numbers, numbers.dropFirst()).allSatisfy({ $0 < $1 }) else {
                throw NotImplemented("recipe lr_steps '\(list)': expected one or more increasing positive numbers")
            }
            steps = numbers
        }
        if let count = entries["iterations"] {
            guard let number = count.number, number >= 1, number == number.rounded() else {
                throw NotImplemented("recipe iterations '\(count)': expected a positive whole number")
            }
            guard steps != nil else { throw NotImplemented("recipe iterations without lr_steps: give the decays in iterations too") }
            iterations = Int(number)
        }
    }

    /// The recipe a teacher inherits when its schedule differs from its student's: the
    /// framework and learning rate, not decays written for the student's schedule length.
    var forOtherSchedule: PaperRecipe {
        var other = self
        other.steps = nil
        other.iterations = nil
        return other
    }

    /// `schedule` (resolved at full from the dataset's epoch length) with this recipe's
    /// iterations, learning rate and decay iterations.
    /// `releasedRate`: the detector's released rate, for when no `lr` is given. mmdetection's
    /// decays (after 8/12 and 11/12 of the schedule) are `TrainingConfig`'s default, so they
    /// leave `decayIterations` nil.
    func applied(to schedule: ScheduleSpec, dataset: String, releasedRate: Double? = nil) throws(NotImplemented) -> ScheduleSpec {
        var resolved = schedule
        resolved.learningRate = learningRate ?? releasedRate ?? ScaleCalibration.paperLearningRate
        if framework == .detectron2 { resolved.framework = framework }
        let epochFraction = Double(schedule.iterations) / Double(schedule.epochs)
        if let steps {
            if let iterations { resolved.iterations = iterations }
            resolved.decayIterations = steps.map { Int((iterations == nil ? $0 * epochFraction : $0).rounded()) }
        } else if framework == .detectron2 {
            guard dataset == "coco", let known = Self.detectron2COCO[schedule.epochs] else {
                throw NotImplemented("recipe: Detectron2's \(schedule.epochs)-epoch schedule on \(dataset) has no known "
                                     + "decays; give iterations and lr_steps")
            }
            resolved.iterations = known.iterations
            resolved.decayIterations = known.steps
        }
        if let last = resolved.decayIterations?.last, last >= resolved.iterations {
            throw NotImplemented("recipe: decays \(resolved.decayIterations ?? []) must fall inside the schedule's \(resolved.iterations) iterations")
        }
        return resolved
    }
}
