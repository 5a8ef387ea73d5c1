import Data
import Detection
import Distillation
import Foundation
import NN
import Testing
@testable import Harness

/// The full profile's real-data path, on a COCO-layout directory written from synthetic scenes
/// (no real dataset is needed to check the wiring; nothing is trained here).
@Suite("Full-scale runs") struct FullScaleRunTests {
    /// `root/coco/annotations/instances_{train,val}2017.json` and `root/coco/{train,val}2017/`.
    static func writeCOCOLayout(at root: URL) throws {
        var config = SyntheticSceneConfig()
        (config.trainCount, config.valCount) = (6, 3)
        let coco = root.appendingPathComponent("coco")
        let written = try SyntheticScenes.write(config, to: coco)
        let manager = FileManager.default
        for (split, year) in [(written.train, "train2017"), (written.val, "val2017")] {
            try manager.moveItem(at: split.annotationFile, to: coco.appendingPathComponent("annotations/instances_\(year).json"))
            try manager.moveItem(at: split.imageDirectory, to: coco.appendingPathComponent(year))
        }
    }

    static func spec(_ backbone: String = "resnet18", detector: String = "gfl") -> RunSpec {
        let setting: [String: SettingValue] = ["dataset": .string("coco"), "detector": .string(detector), "schedule": .string("1x"),
                                               "student": .map(["backbone": .string(backbone)])]
        return try! RunResolver(scale: .full).student(.map(setting), seed: 1).get()
    }

    @Test func buildsTheRunFromCOCOOnDiskWithImageNetWeights() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("full-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try Self.writeCOCOLayout(at: root)
        let spec = Self.spec()
        #expect(DetectorRunExecutor(dataRoot: root).support(spec) == .supported)

        // Without the weights file the run stops before training, naming the file it wants.
        do {
            _ = try DetectorRunExecutor.detectionRun(spec, dataRoot: root)
            Issue.record("a full-scale run without ImageNet weights must not start")
        } catch {
            #expect("\(error)".contains("pretrained/resnet18.safetensors") && "\(error)".contains("torchvision resnet18"))
        }
        let weights = root.appendingPathComponent("pretrained/resnet18.safetensors")
        try FileManager.default.createDirectory(at: weights.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data().write(to: weights)
        let run = try DetectorRunExecutor.detectionRun(spec, dataRoot: root)
        #expect(run.train.count == 6 && run.val.count == 3 && run.train.name == "coco-train2017" && run.val.name == "coco-val2017")
        #expect(run.imageNetWeights == weights && run.pretrainedBackbone == nil)
        #expect(run.evaluation.transform.scales == [ImageScale(1333, 800)])
        // 12 epochs of COCO's 7330 iterations; mmdet's lr and warm-up; 4-conv towers at width 256.
        #expect(run.training.iterations == 12 * 7330 && run.training.learningRate == 0.01 && run.training.warmupIterations == 500)
        #expect(run.detector.stackedConvs == 4 && run.detector.fpnChannels == 256 && run.detector.numClasses == 12)
        guard case .resnet(let backbone) = run.detector.backbone else { Issue.record("not a ResNet"); return }
        #expect(backbone.stem == .imagenet && backbone.frozenStages == 1 && backbone.frozenBatchNorm && backbone.widthMultiplier == 1)
    }

    @Test func unreadableDatasetsAndBackbonesSayWhy() {
        let executor = DetectorRunExecutor(dataRoot: URL(fileURLWithPath: "/nonexistent"))
        guard case .notImplemented(let why) = executor.support(Self.spec("mobilenet_v2")) else {
            Issue.record("MobileNetV2 has no ImageNet weights reader"); return
        }
        #expect(why.contains("mobilenet_v2") && why.contains("torchvision ResNets"))
        let setting: [String: SettingValue] = ["dataset": .string("crowdhuman"), "detector": .string("retinanet"),
                                               "schedule": .string("1x"), "student": .map(["backbone": .string("resnet50")])]
        let crowd = try! RunResolver(scale: .full).student(.map(setting), seed: 1).get()
        guard case .notImplemented(let reason) = executor.support(crowd) else { Issue.record("no CrowdHuman reader yet"); return }
        #expect(reason.contains("crowdhuman") && reason.contains("no reader"))
    }
}
