import Data
import Detection
import Foundation
import NN
import Testing
@testable import Distillation
import Tensor

@Suite("Training loop") struct TrainingTests {
    @Test func epochSamplerCoversEachEpochOnceAndIsPure() {
        let sampler = EpochSampler(count: 12, batchSize: 4, seed: 7)
        // Iterations 0–5 cover two epochs of 3 batches.
        let positions = (0..<6).flatMap { sampler.indices($0) }
        #expect(Set(positions[0..<12]) == Set(0..<12) && positions.count == 24)
        #expect(Set(positions[12..<24]) == Set(0..<12))
        #expect(positions[0..<12] != positions[12..<24])          // reshuffled per epoch
        #expect(sampler.indices(4) == sampler.indices(4))
        var a = sampler.augmentationRNG(4), b = sampler.augmentationRNG(4)
        #expect(a.next() == b.next())
        #expect(EpochSampler(count: 12, batchSize: 4, seed: 8).indices(0) != sampler.indices(0))
    }

    static func tinyRun(seed: UInt64, iterations: Int) -> DetectionRun {
        var scenes = SyntheticSceneConfig()
        scenes.imageWidth = 64; scenes.imageHeight = 64; scenes.trainCount = 8; scenes.valCount = 4
        let (train, val) = SyntheticScenes.splits(scenes)
        var detector = DenseDetectorConfig(kind: .gfl, numClasses: train.numClasses,
                                           backbone: .resnet(.init(depth: 18, widthMultiplier: 0.125, stem: .compact)))
        detector.fpnChannels = 16; detector.headChannels = 16; detector.stackedConvs = 1; detector.regMax = 8
        var training = TrainingConfig(iterations: iterations, batchSize: 2, learningRate: 0.005)
        training.warmupIterations = 2
        training.checkpointEvery = 3
        var run = DetectionRun(detector: detector, training: training, train: train, val: val, seed: seed)
        run.evaluation.areaRanges = val.areaRanges
        return run
    }

    /// A run interrupted after iteration 4 and resumed ends with the parameters and
    /// metrics of an uninterrupted run, bit for bit.
    @Test func resumedRunMatchesUninterrupted() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("train-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let full = try Self.tinyRun(seed: 1, iterations: 6).execute(checkpoint: dir.appendingPathComponent("full.ckpt"))

        // The interrupted run stops after iteration 4 (checkpoint there); a fresh process resumes.
        let partial = dir.appendingPathComponent("partial.ckpt")
        var iterations = 0
        #expect(throws: TrainingError.self) {
            _ = try Self.tinyRun(seed: 1, iterations: 6).execute(checkpoint: partial, progress: { iterations = $0.iteration },
                                                                 shouldStop: { iterations == 4 })
        }
        #expect(try Checkpoint.read(from: partial).iteration == 4)
        let resumed = try Self.tinyRun(seed: 1, iterations: 6).execute(checkpoint: dir.appendingPathComponent("resumed.ckpt"),
                                                                        resume: partial)
        let a = try Checkpoint.read(from: full.checkpoint), b = try Checkpoint.read(from: resumed.checkpoint)
        #expect(a.iteration == 6 && b.iteration == 6)
        for key in a.tensors.keys { #expect(a.tensors[key]!.data == b.tensors[key]?.data, "\(key)") }
        #expect(full.evaluation.coco!.stats == resumed.evaluation.coco!.stats)
    }

    /// Evaluating during training (the curve) leaves the trained weights and final metrics as
    /// they are without it.
    @Test func periodicEvaluationDoesNotChangeTheRun() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("curve-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let plain = try Self.tinyRun(seed: 3, iterations: 6).execute(checkpoint: dir.appendingPathComponent("plain.ckpt"))
        var run = Self.tinyRun(seed: 3, iterations: 6)
        run.evaluateEvery = 2
        var evaluatedAt: [Int] = []
        let curved = try run.execute(checkpoint: dir.appendingPathComponent("curved.ckpt"),
                                     evaluated: { iteration, _ in evaluatedAt.append(iteration) })
        #expect(evaluatedAt == [2, 4])   // the final evaluation is the outcome's
        let a = try Checkpoint.read(from: plain.checkpoint), b = try Checkpoint.read(from: curved.checkpoint)
        for key in a.tensors.keys { #expect(a.tensors[key]!.data == b.tensors[key]?.data, "\(key)") }
        #expect(plain.evaluation.coco!.stats == curved.evaluation.coco!.stats)
    }

    @Test func divergenceStopsWithAClearError() throws {
        var run = Self.tinyRun(seed: 2, iterations: 4)
        run.training.learningRate = 1e9
        run.training.gradientClip = nil
        run.training.warmupIterations = 0
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("diverge-\(UUID().uuidString).ckpt")
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(throws: TrainingError.self) { _ = try run.execute(checkpoint: url) }
    }
}
