import Data
import Detection
import Foundation
import NN
import Tensor

/// The stand-in for ImageNet pretraining at reduced scale: the backbone learns to name the
/// shape × texture conjunction of centred object crops (`ObjectCrops`, 32 classes) before any
/// detector is built on it. The papers all start from ImageNet-pretrained backbones; from scratch,
/// a small-budget detector cannot tell objects from their look-alikes (calibration notes, lesson 1).
public struct BackbonePretraining: Sendable, Codable, Equatable {
    public var iterations: Int
    public var batchSize: Int
    public var cropSize = 64
    /// The appearance the crops share with the detection scenes (colours, textures, blur, noise).
    public var scene = SyntheticSceneConfig()
    public var learningRate = 2e-3
    public var weightDecay: Float = 0.05
    public var warmupIterations = 50
    /// Starts every residual block as the identity: the last normalisation's scale of each block
    /// is set to 0 before training (Goyal et al. 2017; mmdet's `zero_init_residual`), so a deep
    /// network trains like a shallow one at first. Without it, 1000 iterations left a ResNet-101
    /// analogue at 20.5 % crop accuracy against 33 % for ResNet-18.
    public var zeroInitResidual = false
    /// Held-out crops scored after training (a different seed stream from the training crops).
    public var heldOutCrops = 1024
    /// Decides the crops and the classifier's initialisation; the backbone's own initialisation
    /// comes from the `rng` passed to `run`.
    public var seed: UInt64 = 7

    public init(iterations: Int, batchSize: Int) {
        self.iterations = iterations; self.batchSize = batchSize
    }

    public struct Outcome {
        /// Top-1 accuracy on the held-out crops.
        public var heldOutAccuracy: Double
        public var finalLoss: Float
        public var seconds: Double
    }

    /// Trains `backbone` in place (AdamW, warm-up then cosine decay) through a linear classifier
    /// on its last feature map, average-pooled.
    public func run(_ backbone: any Backbone, progress: (_ iteration: Int, _ loss: Float) -> Void = { _, _ in }) throws -> Outcome {
        let began = Date()
        var rng = RNG(seed: seed)
        let classifier = Linear(backbone.outChannels.last!, ObjectCrops.classCount, rng: &rng)
        let parameters = backbone.trainableParameters + classifier.trainableParameters
        let optimizer = AdamW(parameters, learningRate: Float(learningRate), weightDecay: weightDecay)
        let schedule = LearningRateSchedule(baseLearningRate: learningRate, warmupIterations: warmupIterations,
                                            decay: .cosine(totalIterations: iterations, minimumRatio: 0))
        let crops = ObjectCrops(scene: scene, cropSize: cropSize, seed: seed)
        if zeroInitResidual { Self.zeroResidualBranches(backbone) }
        backbone.train(true)
        var loss: Float = .nan
        for it in 0..<iterations {
            optimizer.learningRate = schedule.learningRate(at: it)
            let (images, labels) = batch(crops, indices: Array((it * batchSize)..<((it + 1) * batchSize)))
            let logits = classifier(backbone(images).last!.globalAvgPool())
            let total = Self.crossEntropy(logits, labels)
            loss = total.item
            guard loss.isFinite else { throw TrainingError.diverged(iteration: it, losses: ["pretraining_ce": loss]) }
            optimizer.zeroGrad()
            total.backward()
            optimizer.step()
            progress(it + 1, loss)
        }
        backbone.train(false)
        let accuracy = heldOutAccuracy(backbone, classifier)
        return Outcome(heldOutAccuracy: accuracy, finalLoss: loss, seconds: Date().timeIntervalSince(began))
    }

    /// Zeroes the scale of the last normalisation in every residual block (conv3 of a bottleneck,
    /// conv2 of a basic block).
    static func zeroResidualBranches(_ backbone: any Backbone) {
        let named = backbone.namedParameters()
        let bottleneck = named.contains { $0.name.contains(".conv3.") }
        let suffix = bottleneck ? ".conv3.norm.weight" : ".conv2.norm.weight"
        for (name, t) in named where name.hasPrefix("layer") && name.hasSuffix(suffix) {
            t.assign([Float](repeating: 0, count: t.count))
        }
    }

    /// Writes the backbone's parameters and buffers (atomically).
    public static func save(_ backbone: any Backbone, outcome: Outcome, to url: URL) throws {
        try Checkpoint(iteration: 0, model: backbone, optimizers: [:], rngs: [:],
                       metadata: ["held_out_accuracy": String(outcome.heldOutAccuracy)]).write(to: url)
    }

    /// Loads weights written by `save` into a backbone of the same architecture; a deformable
    /// backbone takes its plain counterpart's, offsets at zero (`PretrainedBackbones` pretrains
    /// the plain one, as mmdet starts DCN from ImageNet weights).
    public static func load(_ url: URL, into backbone: any Backbone) throws {
        try Checkpoint.read(from: url).restore(model: backbone, optimizers: [:], mayKeepOwn: DeformableConv2d.isOffsetParameter)
    }

    /// Mean negative log-likelihood of `labels` under softmax(logits) ([N, K] logits).
    static func crossEntropy(_ logits: Tensor, _ labels: [Int]) -> Tensor {
        let k = logits.shape[1]
        let picked = logits.logSoftmax(axis: 1).reshaped([labels.count * k]).take(labels.enumerated().map { $0 * k + $1 })
        return picked.mean().scaled(by: -1)
    }

    private func heldOutAccuracy(_ backbone: any Backbone, _ classifier: Linear) -> Double {
        let crops = ObjectCrops(scene: scene, cropSize: cropSize, seed: seed ^ 0x5EED_0F_4E1D_0A7)
        var correct = 0
        for start in stride(from: 0, to: heldOutCrops, by: batchSize) {
            let indices = Array(start..<Swift.min(heldOutCrops, start + batchSize))
            let (images, labels) = batch(crops, indices: indices)
            let logits = GradMode.withoutGrad { classifier(backbone(images).last!.globalAvgPool()) }
            correct += zip(logits.argmax(axis: 1), labels).filter { $0 == $1 }.count
        }
        return Double(correct) / Double(heldOutCrops)
    }

    private func batch(_ crops: ObjectCrops, indices: [Int]) -> (Tensor, [Int]) {
        crops.batch(indices, normalization: .imageNet)
    }
}
