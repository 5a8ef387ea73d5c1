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

    init(arguments: [String]) {
        func value(_ name: String) -> String? {
            guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count else { return nil }
            return arguments[i + 1]
        }
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
    }

    func run() throws {
        var scenes = SyntheticSceneConfig()
        scenes.trainCount = trainImages
        scenes.valCount = valImages
        let (train, val) = SyntheticScenes.splits(scenes)
        var detector = DenseDetectorConfig(kind: kind, numClasses: train.numClasses,
                                           backbone: .resnet(.init(depth: depth, widthMultiplier: width, stem: stem)))
        detector.fpnChannels = channels; detector.headChannels = channels; detector.stackedConvs = convs
        detector.fcosRangeScale = 128.0 / 800
        var training = TrainingConfig(iterations: iterations, batchSize: batch, learningRate: learningRate)
        training.warmupIterations = min(100, iterations / 5)
        training.gradientClip = 35
        var run = DetectionRun(detector: detector, training: training, train: train, val: val, seed: seed)
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
        let s = outcome.evaluation.stats
        print("blas_core \(BLASInfo.coreName) kernel_threads \(Parallelism.workers)")
        print(String(format: "AP %.2f AP50 %.2f AP75 %.2f APs %.2f APm %.2f APl %.2f", 100 * s.AP, 100 * s.AP50, 100 * s.AP75,
                     100 * s.APs, 100 * s.APm, 100 * s.APl))
        print(String(format: "train_seconds %.1f eval_seconds %.1f", outcome.trainingSeconds, outcome.evaluationSeconds))
        print(String(format: "images_per_second %.2f", Double(iterations * batch) / outcome.trainingSeconds))
    }
}
