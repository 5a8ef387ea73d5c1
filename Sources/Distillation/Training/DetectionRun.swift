import Data
import Detection
import Evaluation
import Foundation
import NN
import Tensor

/// A concrete training-and-evaluation job: the harness resolves a table cell to one of these.
public struct DetectionRun {
    public var detector: DenseDetectorConfig
    public var training: TrainingConfig
    public var train: any DetectionDataset
    public var val: any DetectionDataset
    public var evaluation = DetectorEvaluation()
    public var seed: UInt64
    /// Backbone weights to start from (a checkpoint written by `BackbonePretraining.save`), the
    /// analogue of the papers' ImageNet initialisation; nil trains from scratch.
    public var pretrainedBackbone: URL?
    /// The full profile's ImageNet initialisation: a torchvision ResNet state dict in safetensors
    /// form, loaded into the backbone (`ResNet.loadTorchvision`).
    public var imageNetWeights: URL?
    /// The teacher, for distillation terms: its architecture and trained weights (a checkpoint
    /// written by a `DetectionRun`).
    public var teacher: (config: DenseDetectorConfig, checkpoint: URL)?
    /// Evaluates on `val` every this many iterations during training (0: only at the end).
    public var evaluateEvery = 0

    public init(detector: DenseDetectorConfig, training: TrainingConfig, train: any DetectionDataset,
                val: any DetectionDataset, seed: UInt64) {
        self.detector = detector; self.training = training; self.train = train; self.val = val; self.seed = seed
    }

    public struct Outcome {
        public var evaluation: DetectorScores
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
                        evaluated: (_ iteration: Int, DetectorScores) -> Void = { _, _ in },
                        shouldStop: () -> Bool = { false }) throws -> Outcome {
        var rng = RNG(seed: seed)
        let model = DenseDetector(detector, rng: &rng)
        if let pretrainedBackbone { try BackbonePretraining.load(pretrainedBackbone, into: model.backbone) }
        if let imageNetWeights, resume == nil {   // a resumed run's checkpoint holds its weights
            guard let resnet = model.backbone as? ResNet else {
                throw SafeTensors.ReadError(path: imageNetWeights.path, reason: "ImageNet weights are read for ResNet backbones only")
            }
            try resnet.loadTorchvision(SafeTensors.read(imageNetWeights), source: imageNetWeights.path)
        }
        let teacherModel = try teacher.map { try Self.loadTeacher($0.config, from: $0.checkpoint) }
        let trainer = DetectorTrainer(detector: model, config: training, terms: terms, teacher: teacherModel)
        let start = try resume.map { try trainer.resume(from: $0) } ?? 0
        let sampler = EpochSampler(count: train.count, batchSize: training.batchSize, seed: seed)
        let loader = BatchLoader(dataset: train, transform: trainingTransform)
        let began = Date()
        var curveError: Error?
        var curveSeconds = 0.0
        do {
            try trainer.train(from: start, checkpoint: checkpoint, batch: { it in
                var rng = sampler.augmentationRNG(it)
                return TrainingBatch(try loader.batch(sampler.indices(it), rng: &rng))
            }, progress: { p in
                progress(p)
                // Evaluation switches the model to eval mode and draws from no training stream, so a
                // run with a curve ends with the same weights as one without.
                guard evaluateEvery > 0, p.iteration % evaluateEvery == 0, p.iteration < p.total, curveError == nil else { return }
                let evaluationBegan = Date()
                do { evaluated(p.iteration, try evaluation.evaluate(model, on: val)) } catch { curveError = error }
                model.train(true)
                curveSeconds += Date().timeIntervalSince(evaluationBegan)
            }, shouldStop: { curveError != nil || shouldStop() })
        } catch TrainingError.interrupted where curveError != nil {
            throw curveError!
        }
        let trained = Date()
        let result = try evaluation.evaluate(model, on: val)
        return Outcome(evaluation: result, checkpoint: checkpoint,
                       trainingSeconds: trained.timeIntervalSince(began) - curveSeconds,
                       evaluationSeconds: Date().timeIntervalSince(trained) + curveSeconds)
    }

    /// A trained detector from a run's final checkpoint, frozen in eval mode.
    public static func loadTeacher(_ config: DenseDetectorConfig, from checkpoint: URL) throws -> DenseDetector {
        var rng = RNG(seed: 0)
        let teacher = DenseDetector(config, rng: &rng)
        let saved = try Checkpoint.read(from: checkpoint)
        var state: [String: Tensor] = [:]
        for (key, t) in saved.tensors where key.hasPrefix("model.detector.") { state[String(key.dropFirst(15))] = t }
        try teacher.load(state: state)
        teacher.freeze()
        teacher.train(false)
        return teacher
    }

    /// mmdet's training pipeline: resize (one of the multi-scale sizes, if any), random flip,
    /// normalise, pad; the evaluation transform is the same without randomness.
    var trainingTransform: DetectionTransform {
        var t = evaluation.transform
        t.flipProbability = training.horizontalFlip ? 0.5 : 0
        if !training.multiScaleSizes.isEmpty {
            // Shorter sides to choose from; the longer side keeps the single-scale bound (mmdet's
            // (1333, 480…800)), or 1333:800 of each when the images are used as they are.
            let longEdge = evaluation.transform.scales?.first?.longEdge
            t.scales = training.multiScaleSizes.map { ImageScale(longEdge ?? $0 * 1333 / 800, $0) }
        }
        return t
    }
}
