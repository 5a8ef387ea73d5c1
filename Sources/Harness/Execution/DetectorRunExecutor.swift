import Data
import Detection
import Distillation
import Evaluation
import Foundation
import NN
import Tensor

/// Trains and evaluates runs with the project's own dense detectors on synthetic scenes.
///
/// Supported today: RetinaNet, FCOS, ATSS and GFL students on ResNet or MobileNetV2 analogues,
/// trained without distillation, on the standard and VOC-like synthetic variants. Everything
/// else answers "not implemented" with what is missing, so its cells never show a number.
public struct DetectorRunExecutor: RunExecutor {
    public init() {}

    /// Synthetic variants whose metrics this executor computes (COCO AP and VOC-style AP).
    static let syntheticVariants: Set<String> = ["standard", "vocLike"]

    public func support(_ spec: RunSpec) -> Support {
        guard DenseDetectorKind(rawValue: spec.detector) != nil else {
            return .notImplemented("detector \(spec.detector): not implemented yet")
        }
        switch spec.backbone.family {
        case .resnet where !spec.backbone.deformable && [18, 34, 50, 101, 152].contains(spec.backbone.depth ?? 0): break
        case .mobileNetV2: break
        default:
            let what = spec.backbone.deformable ? "\(spec.backbone.name) with deformable convolutions" : spec.backbone.name
            return .notImplemented("backbone \(what): not implemented yet")
        }
        guard let variant = spec.dataset.synthetic else {
            return .notImplemented("dataset \(spec.dataset.name) at full scale: the real-data training path is not implemented yet")
        }
        guard Self.syntheticVariants.contains(variant) else {
            return .notImplemented("dataset \(spec.dataset.name) (synthetic \(variant)): its metrics are not implemented yet")
        }
        if let method = spec.methods.first {
            return .notImplemented("method \(method): not implemented yet")
        }
        return .supported
    }

    public func execute(_ spec: RunSpec, context: RunContext) throws -> RunResult {
        if case .notImplemented(let why) = support(spec) { throw RunFailure.other(why) }
        let run = try Self.detectionRun(spec)
        let checkpoint = context.workDirectory.appendingPathComponent("final.ckpt")
        var progressTime = Date.distantPast
        let outcome = try run.execute(checkpoint: checkpoint, resume: context.resumeCheckpoint) { p in
            guard Date().timeIntervalSince(progressTime) > 1 || p.iteration == p.total else { return }
            progressTime = Date()
            let total = p.losses.values.reduce(0, +)
            context.progress(RunProgress(iteration: p.iteration, total: p.total, message: String(format: "loss %.3f", total)))
        }
        var metrics: [String: Double] = [:]
        // pycocotools' −1 means "undefined" (no object in that size range): no metric, not −100.
        for (name, value) in zip(COCOStats.names, outcome.evaluation.stats.values) where value >= 0 { metrics[name] = 100 * value }
        for t in [0.5, 0.6, 0.7, 0.8, 0.9] {
            if let ap = outcome.evaluation.averagePrecision(iouThreshold: t), ap >= 0 { metrics["AP\(Int(t * 100))"] = 100 * ap }
        }
        metrics["train_hours"] = outcome.trainingSeconds / 3600
        return RunResult(metrics: metrics, artifacts: ["checkpoint": checkpoint],
                         seconds: outcome.trainingSeconds + outcome.evaluationSeconds)
    }

    /// The concrete job a spec describes (see the README's "Scale profiles" for the choices).
    static func detectionRun(_ spec: RunSpec) throws -> DetectionRun {
        var scenes = SyntheticSceneConfig(variant: SyntheticSceneConfig.Variant(rawValue: spec.dataset.synthetic ?? "") ?? .standard)
        scenes.seed = UInt64(spec.dataset.dataSeed ?? 0)
        scenes.imageWidth = spec.dataset.imageSize
        scenes.imageHeight = spec.dataset.imageSize
        scenes.trainCount = spec.dataset.trainImages ?? scenes.trainCount
        scenes.valCount = spec.dataset.valImages ?? scenes.valCount
        let (train, val) = SyntheticScenes.splits(scenes)

        let backbone: BackboneChoice
        switch spec.backbone.family {
        case .mobileNetV2: backbone = .mobileNetV2(widthMultiplier: Float(spec.backbone.widthMultiplier))
        default:
            var c = ResNet.Config(depth: spec.backbone.depth ?? 50, widthMultiplier: Float(spec.backbone.widthMultiplier),
                                  stem: spec.backbone.stem == .imagenet ? .imagenet : .compact)
            c.norm = .batch
            backbone = .resnet(c)
        }
        var detector = DenseDetectorConfig(kind: DenseDetectorKind(rawValue: spec.detector)!, numClasses: train.numClasses,
                                           backbone: backbone)
        // Neck and head widths follow the backbone's multiplier (256 at width 1); at reduced
        // scale the towers have 2 convolutions instead of 4 (the reference study's head).
        let width = spec.backbone.family == .resnet ? spec.backbone.widthMultiplier : 1
        detector.fpnChannels = Swift.max(16, Int(256 * width))
        detector.headChannels = detector.fpnChannels
        detector.stackedConvs = spec.scale == .full ? 4 : 2
        detector.fcosRangeScale = Float(spec.dataset.imageSize) / 800

        let iterations = spec.schedule.iterations
        var training = TrainingConfig(iterations: iterations, batchSize: spec.schedule.batchSize,
                                      learningRate: 0.01 * Double(spec.schedule.batchSize) / 16)
        training.warmupIterations = Swift.min(500, iterations / 10)
        // "ms": mmdet's shorter sides 640…800 in steps of 32, as fractions of the base size.
        training.multiScaleSizes = spec.multiscale
            ? (0...5).map { spec.dataset.imageSize * (640 + 32 * $0) / 800 } : []
        // From-scratch training on small synthetic data occasionally spikes early; a loose clip
        // (mmdet's value for several one-stage configs) keeps runs from diverging.
        training.gradientClip = 35
        training.checkpointEvery = Swift.max(50, iterations / 10)
        var run = DetectionRun(detector: detector, training: training, train: train, val: val, seed: UInt64(spec.seed))
        run.evaluation.areaRanges = val.areaRanges
        return run
    }
}
