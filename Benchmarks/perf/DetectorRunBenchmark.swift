import Data
import Detection
import Distillation
import Foundation
import NN
import Tensor

/// `perf detector-run`: trains one dense detector on synthetic scenes and evaluates it, printing
/// throughput and COCO AP: the measurement behind the small profile's calibration.
struct DetectorRunBenchmark {
    var kind = DenseDetectorKind.gfl
    var depth = 18
    var width: Float = 0.25
    var iterations = 100
    var batch = 16
    var trainImages = 1000
    var valImages = 200
    var channels = 64
    var convs = 2
    var learningRate = 0.01
    var seed: UInt64 = 0
    var stem = ResNet.Stem.compact
    var optimizer = TrainingConfig.OptimizerKind.sgd
    var pretrainIterations = 0
    var overfit = false
    var objectScale: Float = 1
    var imageSize = 128
    var cropSize = 64
    var maxObjects: Int?
    var arguments: [String]
    var pretrainBatch = 64
    var pretrainCache = FileManager.default.temporaryDirectory

    init(arguments: [String]) {
        self.arguments = arguments
        if let v = value("--kind").flatMap(DenseDetectorKind.init(rawValue:)) { kind = v }
        if let v = value("--depth").flatMap(Int.init) { depth = v }
        if let v = value("--width").flatMap(Float.init) { width = v }
        if let v = value("--iterations").flatMap(Int.init) { iterations = v }
        if let v = value("--batch").flatMap(Int.init) { batch = v }
        if let v = value("--train").flatMap(Int.init) { trainImages = v }
        if let v = value("--val").flatMap(Int.init) { valImages = v }
        if let v = value("--channels").flatMap(Int.init) { channels = v }
        if let v = value("--convs").flatMap(Int.init) { convs = v }
        if let v = value("--lr").flatMap(Double.init) { learningRate = v }
        if let v = value("--seed").flatMap(UInt64.init) { seed = v }
        if value("--stem") == "imagenet" { stem = .imagenet }
        if let v = value("--optimizer").flatMap(TrainingConfig.OptimizerKind.init(rawValue:)) { optimizer = v }
        if let v = value("--pretrain").flatMap(Int.init) { pretrainIterations = v }
        overfit = arguments.contains("--overfit")
        if let v = value("--object-scale").flatMap(Float.init) { objectScale = v }
        if let v = value("--size").flatMap(Int.init) { imageSize = v }
        if let v = value("--crop").flatMap(Int.init) { cropSize = v }
        maxObjects = value("--max-objects").flatMap(Int.init)
        if let v = value("--pretrain-batch").flatMap(Int.init) { pretrainBatch = v }
        if let v = value("--pretrain-cache") { pretrainCache = URL(fileURLWithPath: v) }
    }

    /// Pretrains (or reuses a cached) backbone for `--pretrain` iterations, cached as the harness
    /// caches its own (keyed by the architecture and the whole recipe, the scenes included);
    /// revision 0 keeps perf's files apart from the harness's.
    func pretrained(_ config: ResNet.Config, scene: SyntheticSceneConfig) throws -> URL {
        var pretraining = BackbonePretraining(iterations: pretrainIterations, batchSize: pretrainBatch)
        pretraining.cropSize = cropSize
        pretraining.scene = scene
        pretraining.zeroInitResidual = arguments.contains("--zero-init")
        let url = try PretrainedBackbones(directory: pretrainCache, revision: 0).weights(for: .resnet(config), recipe: pretraining) {
            print($0)
        }
        if let accuracy = PretrainedBackbones.heldOutAccuracy(of: url) { print(String(format: "held_out_accuracy %.3f", accuracy)) }
        return url
    }

    /// The value following `--name` on the command line.
    func value(_ name: String) -> String? {
        guard let i = arguments.lastIndex(of: name), i + 1 < arguments.count else { return nil }  // the last occurrence wins
        return arguments[i + 1]
    }

    func run() throws {
        // `--variant oriented` (LD Table 5's scenes, for the rotated detectors) and a few of the
        // scenes' knobs, for calibrating a variant.
        var scenes = SyntheticSceneConfig(variant: value("--variant").flatMap(SyntheticSceneConfig.Variant.init(rawValue:)) ?? .standard)
        if let v = value("--classes").flatMap(Int.init) { scenes.numClasses = v }
        if let v = value("--elongated").flatMap(Float.init) { scenes.elongatedFraction = v }
        if let v = value("--low-contrast").flatMap(Float.init) { scenes.lowContrastFraction = v }
        if let v = value("--aspect-max").flatMap(Float.init) { scenes.compactAspect = scenes.compactAspect.lowerBound...v }
        scenes.trainCount = trainImages
        scenes.valCount = valImages
        scenes.imageWidth = imageSize; scenes.imageHeight = imageSize
        if let v = value("--colour").flatMap(Float.init) { scenes.colourInformativeness = v }
        if let v = value("--distractors").flatMap(Float.init) { scenes.distractorsPerObject = v }
        if let maxObjects { scenes.objectsPerImage = Swift.min(2, maxObjects)...maxObjects }
        scenes.objectSide = .init(p5: scenes.objectSide.p5 * objectScale, p50: scenes.objectSide.p50 * objectScale,
                                  p95: min(0.8, scenes.objectSide.p95 * objectScale))
        if let v = value("--hue-jitter").flatMap(Float.init) { scenes.hueJitter = v }
        if let v = value("--blur-scale").flatMap(Float.init) {
            scenes.blurSigma = scenes.blurSigma.lowerBound * v...scenes.blurSigma.upperBound * v
        }
        var (train, val) = SyntheticScenes.splits(scenes)
        if let directory = value("--export-scenes") {
            // The validation split as COCO JSON + JPEGs, to look at what the detector sees.
            try val.write(to: URL(fileURLWithPath: directory))
            print("wrote \(valImages) validation scenes under \(directory)")
            return
        }
        if overfit { val = SyntheticScenes(config: scenes, split: .train) }  // scores the training images
        if depth < 50 && (arguments.contains("--dcn") || arguments.contains("--res2net")) {
            print("--dcn and --res2net need bottleneck blocks: --depth 50, 101 or 152")
            exit(2)
        }
        var backboneConfig = ResNet.Config(depth: depth, widthMultiplier: width, stem: stem)
        backboneConfig.deformable = arguments.contains("--dcn")  // C3–C5, from the plain network's pretraining
        if arguments.contains("--res2net") { backboneConfig.res2Net = Res2NetShape() }  // 26w×4s
        var detector = DenseDetectorConfig(kind: kind, numClasses: train.numClasses, backbone: .resnet(backboneConfig))
        detector.fpnChannels = channels; detector.headChannels = channels; detector.stackedConvs = convs
        detector.fcosRangeScale = stem == .compact ? 0.5 : 1  // ranges follow the strides (the executor's rule)
        if value("--box-head") == "distribution" { detector.boxHead = .distribution }
        var training = TrainingConfig(iterations: iterations, batchSize: batch, learningRate: learningRate)
        training.warmupIterations = min(100, iterations / 5)
        training.gradientClip = 35
        if optimizer == .adamw {
            // The reference study's protocol (small-scale-calibration.md).
            training.optimizer = .adamw
            training.weightDecay = 0.05
            training.decay = .cosine
            training.warmupIterations = min(30, iterations / 10)
            training.gradientClip = 10
        }
        var run = DetectionRun(detector: detector, training: training, train: train, val: val, seed: seed)
        if pretrainIterations > 0 {
            run.pretrainedBackbone = try pretrained(backboneConfig, scene: scenes)
        }
        run.evaluation.areaRanges = val.areaRanges
        let checkpoint = FileManager.default.temporaryDirectory.appendingPathComponent("perf-detector-\(UUID().uuidString).ckpt")
        defer { try? FileManager.default.removeItem(at: checkpoint) }
        var last = Date()
        let outcome = try run.execute(checkpoint: checkpoint) { p in
            if Date().timeIntervalSince(last) > 10 || p.iteration == p.total {
                last = Date()
                let terms = p.losses.sorted { $0.key < $1.key }.map { "\($0.key) \(String(format: "%.3f", $0.value))" }.joined(separator: " ")
                print("it \(p.iteration)/\(p.total) \(terms) eta \(Int(p.eta))s")
            }
        }
        print("blas_core \(BLASInfo.coreName) kernel_threads \(Parallelism.workers)")
        if let s = outcome.evaluation.coco?.stats {
            print(String(format: "AP %.2f AP50 %.2f AP75 %.2f APs %.2f APm %.2f APl %.2f", 100 * s.AP, 100 * s.AP50, 100 * s.AP75,
                         100 * s.APs, 100 * s.APm, 100 * s.APl))
            print(String(format: "AR1 %.2f AR10 %.2f AR100 %.2f", 100 * s.AR1, 100 * s.AR10, 100 * s.AR100))
        } else {
            print(outcome.evaluation.metrics.sorted { $0.key < $1.key }.map { "\($0.key) " + String(format: "%.2f", $0.value) }
                .joined(separator: " "))
        }
        print(String(format: "train_seconds %.1f eval_seconds %.1f", outcome.trainingSeconds, outcome.evaluationSeconds))
        print(String(format: "images_per_second %.2f", Double(iterations * batch) / outcome.trainingSeconds))
    }
}
