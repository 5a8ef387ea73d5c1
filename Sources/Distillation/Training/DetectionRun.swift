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
        var sampler = EpochSampler(count: train.count, batchSize: training.batchSize, seed: seed)
        sampler.flipProbability = training.horizontalFlip ? 0.5 : 0
        let began = Date()
        try trainer.train(from: start, checkpoint: checkpoint, batch: { it in
            try makeBatch(sampler.batch(it))
        }, progress: progress, shouldStop: shouldStop)
        let trained = Date()
        let result = try evaluation.evaluate(model, on: val)
        return Outcome(evaluation: result, checkpoint: checkpoint, trainingSeconds: trained.timeIntervalSince(began),
                       evaluationSeconds: Date().timeIntervalSince(trained))
    }

    func makeBatch(_ pick: (indices: [Int], flips: [Bool])) throws -> TrainingBatch {
        let samples = try pick.indices.map { try train.sample($0) }
        let truth = zip(samples, pick.flips).map { sample, flip in
            let kept = sample.objects.filter { !$0.isCrowd }
            func place(_ b: Box) -> Box {
                flip ? Box(x1: Float(sample.width) - b.x2, y1: b.y1, x2: Float(sample.width) - b.x1, y2: b.y2) : b
            }
            return GroundTruth(boxes: kept.map { place($0.box) }, labels: kept.map(\.label),
                               ignored: sample.objects.filter(\.isCrowd).map { place($0.box) })
        }
        return TrainingBatch(images: evaluation.normalization.batch(samples, flips: pick.flips), truth: truth)
    }
}
