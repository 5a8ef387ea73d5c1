import Data
import Detection
import Foundation
import NN
import Tensor

/// One training batch in network-input coordinates.
public struct TrainingBatch {
    public var images: Tensor
    public var truth: [GroundTruth]
    public init(images: Tensor, truth: [GroundTruth]) { self.images = images; self.truth = truth }

    /// From a data batch: crowd regions become ignore regions; oriented boxes come along when
    /// every object has one.
    public init(_ batch: Batch) {
        images = batch.images
        truth = batch.objects.map { objects in
            let kept = objects.filter { !$0.isCrowd }
            let rotated = kept.compactMap(\.rotatedBox)
            precondition(rotated.isEmpty || rotated.count == kept.count,
                         "TrainingBatch: \(kept.count - rotated.count) of \(kept.count) objects of an image lack an oriented box")
            return GroundTruth(boxes: kept.map(\.box), labels: kept.map(\.label), ignored: objects.filter(\.isCrowd).map(\.box),
                               rotatedBoxes: rotated.count == kept.count ? rotated : [])
        }
    }
}

/// What a loss term sees at one iteration.
public struct LossTermInputs {
    /// The student being trained (its config, priors and assigner).
    public var studentDetector: DenseDetector
    public var student: DenseDetector.Outputs
    /// The frozen teacher's outputs on the same images (eval mode, no gradient); nil without a
    /// teacher (self-distillation).
    public var teacher: DenseDetector.Outputs?
    /// The student's assignment of the batch's ground truth.
    public var targets: DenseTargets
    public var batch: TrainingBatch
}

/// Extra loss terms added to the detector's own (distillation methods implement this).
public protocol LossTerm: AnyObject {
    /// Modules with their own trainable parameters (adapters); trained with the student.
    var trainableModules: [Module] { get }
    /// Named losses, already weighted, to add to the detector's.
    func losses(_ inputs: LossTermInputs) -> [String: Tensor]
}

public struct TrainingProgress: Sendable {
    public var iteration: Int
    public var total: Int
    public var losses: [String: Float]
    public var learningRate: Float
    public var secondsElapsed: Double
    public var eta: Double { iteration > 0 ? secondsElapsed / Double(iteration) * Double(total - iteration) : .nan }
}

public enum TrainingError: Error, CustomStringConvertible {
    case diverged(iteration: Int, losses: [String: Float])
    /// Stopped on request after `iteration`, with a checkpoint saved there.
    case interrupted(iteration: Int)

    public var description: String {
        switch self {
        case let .diverged(iteration, losses):
            let terms = losses.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
            return "training diverged at iteration \(iteration): \(terms)"
        case let .interrupted(iteration):
            return "training interrupted after iteration \(iteration) (checkpoint saved)"
        }
    }
}

/// The training loop shared by every run: detector losses plus optional extra terms, SGD or
/// AdamW with warm-up and step/cosine decay, optional gradient clipping, periodic checkpoints
/// that resume to identical numbers, and a divergence check every iteration.
public final class DetectorTrainer {
    public let detector: DenseDetector
    public let config: TrainingConfig
    public let terms: [LossTerm]
    /// Frozen, in eval mode; its forward pass runs once per iteration when terms need it.
    public let teacher: DenseDetector?
    public let optimizer: any Optimizer

    public init(detector: DenseDetector, config: TrainingConfig, terms: [LossTerm] = [], teacher: DenseDetector? = nil) {
        self.detector = detector; self.config = config; self.terms = terms; self.teacher = teacher
        teacher?.train(false)
        // mmdet's default: no weight decay exemptions; extra modules train with the student.
        let params = detector.trainableParameters + terms.flatMap { $0.trainableModules.flatMap(\.trainableParameters) }
        let group = ParameterGroup(name: "all", parameters: params, weightDecay: config.weightDecay)
        switch config.optimizer {
        case .sgd: optimizer = SGD(groups: [group], learningRate: Float(config.learningRate), momentum: config.momentum)
        case .adamw: optimizer = AdamW(groups: [group], learningRate: Float(config.learningRate))
        }
    }

    /// Trains from `start` (0, or a checkpoint's iteration) to `config.iterations`.
    /// `batch(it)` must be a pure function of the iteration (see `EpochSampler`), so a resumed run
    /// sees the same batches as an uninterrupted one; `checkpoint` is where to save.
    public func train(from start: Int = 0, checkpoint: URL? = nil,
                      batch makeBatch: (Int) throws -> TrainingBatch,
                      progress: (TrainingProgress) -> Void = { _ in },
                      shouldStop: () -> Bool = { false }) throws {
        let schedule = config.schedule
        let began = Date()
        detector.train(true)
        for it in start..<config.iterations {
            optimizer.learningRate = schedule.learningRate(at: it)
            let batch = try makeBatch(it)
            let out = detector(batch.images)
            let targets = detector.targets(for: out.priors, groundTruth: batch.truth, predictions: out,
                                           trainingProgress: Float(it) / Float(config.iterations))
            var named = detector.losses(out, targets)
            if !terms.isEmpty {
                let teacherOut = teacher.map { t in GradMode.withoutGrad { t(batch.images) } }
                let inputs = LossTermInputs(studentDetector: detector, student: out, teacher: teacherOut, targets: targets,
                                            batch: batch)
                for term in terms { named.merge(term.losses(inputs)) { $0 + $1 } }
            }
            let values = named.mapValues(\.item)
            guard values.values.allSatisfy(\.isFinite) else { throw TrainingError.diverged(iteration: it, losses: values) }
            let total = named.keys.sorted().map { named[$0]! }.reduce(Tensor(scalar: 0), +)
            optimizer.zeroGrad()
            total.backward()
            if let clip = config.gradientClip { clipGradientNorm(optimizer.groups.flatMap(\.parameters), maxNorm: clip) }
            optimizer.step()
            let done = it + 1
            progress(TrainingProgress(iteration: done, total: config.iterations, losses: values,
                                      learningRate: optimizer.learningRate, secondsElapsed: Date().timeIntervalSince(began)))
            if let checkpoint, (config.checkpointEvery > 0 && done % config.checkpointEvery == 0) || done == config.iterations {
                try save(iteration: done, to: checkpoint)
            }
            if done < config.iterations && shouldStop() {
                if let checkpoint { try save(iteration: done, to: checkpoint) }
                throw TrainingError.interrupted(iteration: done)
            }
        }
        detector.train(false)
    }

    /// A model holding the detector and the extra terms' modules, so one checkpoint has both.
    private var checkpointRoot: Module {
        let root = Module()
        root.child("detector", detector)
        for (i, t) in terms.enumerated() { for (j, m) in t.trainableModules.enumerated() { root.child("term\(i).\(j)", m) } }
        return root
    }

    public func save(iteration: Int, to url: URL) throws {
        try Checkpoint(iteration: iteration, model: checkpointRoot, optimizers: ["optimizer": optimizer],
                       rngs: [:]).write(to: url)
    }

    /// Restores a checkpoint written by `save`; returns the iteration to continue from.
    public func resume(from url: URL) throws -> Int {
        let c = try Checkpoint.read(from: url)
        try c.restore(model: checkpointRoot, optimizers: ["optimizer": optimizer])
        return c.iteration
    }
}
