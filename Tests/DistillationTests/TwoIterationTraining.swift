import Data
import Detection
import NN
@testable import Distillation
import Tensor

/// Trains `model` for 2 iterations at batch 2 on the first four images of `train` with `terms`
/// and a frozen `teacher`, returning each iteration's logged losses: the smoke loop the
/// distillation tests share.
func trainTwoIterations(_ model: DenseDetector, on train: any DetectionDataset, terms: [any LossTerm],
                        teacher: DenseDetector) throws -> [[String: Float]] {
    let loader = BatchLoader(dataset: train, transform: DetectionTransform(flipProbability: 0))
    var training = TrainingConfig(iterations: 2, batchSize: 2, learningRate: 0.005)
    training.warmupIterations = 1
    let trainer = DetectorTrainer(detector: model, config: training, terms: terms, teacher: teacher)
    var logged: [[String: Float]] = []
    try trainer.train(batch: { it in
        var r = RNG(seed: UInt64(it))
        return TrainingBatch(try loader.batch([2 * it, 2 * it + 1], rng: &r))
    }, progress: { logged.append($0.losses) })
    return logged
}
