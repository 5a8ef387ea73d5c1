import Data
import Detection
import Evaluation
import Foundation
import Tensor

/// A concrete training-and-evaluation job: the harness resolves a table cell to one of these.
public struct DetectionRun {
    public var detector: DenseDetectorConfig
    public var training: TrainingConfig
    public var train: any DetectionDataset
    public var val: any DetectionDataset
    public var evaluation = DetectorEvaluation()
    public var seed: UInt64

    public init(detector: DenseDetectorConfig, training: TrainingConfig, train: any DetectionDataset,
                val: any DetectionDataset, seed: UInt64) {
        self.detector = detector; self.training = training; self.train = train; self.val = val; self.seed = seed
    }

    public struct Outcome {
        public var evaluation: COCOEvaluation
        public var checkpoint: URL
        public var trainingSeconds: Double
        public var evaluationSeconds: Double
    }

    /// Trains (resuming from `resume` when given), saves the final weights to `checkpoint`, and
    /// evaluates on `val`. `terms` add distillation losses.
    /// `shouldStop` is polled after every iteration: returning true saves a checkpoint and
    /// throws `TrainingError.interrupted` (a later `execute(resume:)` continues from it).
    public func execute(checkpoint: URL, resume: URL? = nil, terms: [LossTerm] = [],
                        progress: (TrainingProgress) -> Void = { _ in },
                        shouldStop: () -> Bool = { false }) throws -> Outcome {
        var rng = RNG(seed: seed)
        let model = DenseDetector(detector, rng: &rng)
        let trainer = DetectorTrainer(detector: model, config: training, terms: terms)
        let start = try resume.map { try trainer.resume(from: $0) } ?? 0
        let sampler = EpochSampler(count: train.count, batchSize: training.batchSize, seed: seed)
        let loader = BatchLoader(dataset: train, transform: trainingTransform)
        let began = Date()
        try trainer.train(from: start, checkpoint: checkpoint, batch: { it in
            var rng = sampler.augmentationRNG(it)
            return TrainingBatch(try loader.batch(sampler.indices(it), rng: &rng))
        }, progress: progress, shouldStop: shouldStop)
        let trained = Date()
        let result = try evaluation.evaluate(model, on: val)
        return Outcome(evaluation: result, checkpoint: checkpoint, trainingSeconds: trained.timeIntervalSince(began),
                       evaluationSeconds: Date().timeIntervalSince(trained))
    }

    /// mmdet's training pipeline: resize (one of the multi-scale sizes, if any), random flip,
    /// normalise, pad; the evaluation transform is the same without randomness.
    var trainingTransform: DetectionTransform {
        var t = evaluation.transform
        t.flipProbability = training.horizontalFlip ? 0.5 : 0
        if !training.multiScaleSizes.isEmpty {
            // Shorter sides to choose from, with mmdet's 1333:800 bound on the longer side.
            t.scales = training.multiScaleSizes.map { ImageScale($0 * 1333 / 800, $0) }
        }
        return t
    }
}
