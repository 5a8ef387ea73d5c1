import Data
import Detection
import Distillation
import Foundation
import NN
import Tensor
import Testing
@testable import Harness

/// The full profile's real-data path, on a COCO-layout directory written from synthetic scenes
/// (no real dataset is needed to check the wiring; nothing is trained here).
@Suite("Full-scale runs") struct FullScaleRunTests {
    /// `root/coco/annotations/instances_{train,val}2017.json` and `root/coco/{train,val}2017/`,
    /// with COCO's 80 categories (the scenes' 12 and 68 unused) unless `categories` says
    /// otherwise, and two training images mmdet's filter drops: one without annotations, one
    /// 20 pixels high.
    static func writeCOCOLayout(at root: URL, categories: Int = 80) throws {
        var config = SyntheticSceneConfig()
        (config.trainCount, config.valCount) = (6, 3)
        let coco = root.appendingPathComponent("coco")
        let written = try SyntheticScenes.write(config, to: coco)
        let manager = FileManager.default
        for (split, year) in [(written.train, "train2017"), (written.val, "val2017")] {
            let file = coco.appendingPathComponent("annotations/instances_\(year).json")
            var json = try JSONSerialization.jsonObject(with: Data(contentsOf: split.annotationFile)) as! [String: Any]
            var cats = json["categories"] as! [[String: Any]]
            for id in (cats.count + 1)...Swift.max(cats.count + 1, categories) where id <= categories { cats.append(["id": id, "name": "unused-\(id)"]) }
            json["categories"] = cats
            if year == "train2017" {
                json["images"] = (json["images"] as! [[String: Any]])
                    + [["id": 9001, "width": 64, "height": 64, "file_name": "empty.jpg"], ["id": 9002, "width": 64, "height": 20, "file_name": "thin.jpg"]]
                json["annotations"] = (json["annotations"] as! [[String: Any]])
                    + [["id": 9002, "image_id": 9002, "category_id": 1, "bbox": [1, 1, 10, 10], "area": 100, "iscrowd": 0]]
            }
            try JSONSerialization.data(withJSONObject: json).write(to: file)
            try manager.removeItem(at: split.annotationFile)
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
        // The empty and the 20-pixel image are filtered out of training (mmdet's `_filter_imgs`).
        #expect(run.train.count == 6 && run.val.count == 3 && run.train.name == "coco-train2017" && run.val.name == "coco-val2017")
        #expect(run.imageNetWeights == weights && run.pretrainedBackbone == nil)
        #expect(run.evaluation.transform.scales == [ImageScale(1333, 800)] && run.evaluation.transform.flipProbability == 0)
        // 12 epochs of COCO's 7330 iterations; mmdet's lr and warm-up; 4-conv towers at width 256.
        #expect(run.training.iterations == 12 * 7330 && run.training.learningRate == 0.01 && run.training.warmupIterations == 500)
        #expect(run.training.gradientClip == nil)   // GFL's config clips nothing (RetinaNet's and FCOS's: 35)
        #expect(run.detector.stackedConvs == 4 && run.detector.fpnChannels == 256 && run.detector.numClasses == 80)
        guard case .resnet(let backbone) = run.detector.backbone else { Issue.record("not a ResNet"); return }
        #expect(backbone.stem == .imagenet && backbone.frozenStages == 1 && backbone.batchNormEval && !backbone.frozenBatchNorm
                && backbone.widthMultiplier == 1)
        // mmdet's `frozen_stages=1, norm_eval=True` with trainable BatchNorm affine parameters:
        // stem and stage 1 fixed, later BatchNorms train their scale and shift on running statistics.
        var rng = RNG(seed: 0)
        let resnet = ResNet(backbone, rng: &rng)
        let grads = Dictionary(uniqueKeysWithValues: resnet.namedParameters().map { ($0.name, $0.tensor.requiresGrad) })
        #expect(grads["stem.norm.weight"] == false && grads["layer1.0.conv1.conv.weight"] == false && grads["layer1.0.conv1.norm.weight"] == false)
        #expect(grads["layer2.0.conv1.conv.weight"] == true && grads["layer2.0.conv1.norm.weight"] == true && grads["layer4.1.conv2.norm.bias"] == true)
    }

    /// Teachers and distillation terms are planned for COCO's 80 classes: a file with another
    /// number stops the run, naming the dataset.
    @Test func aCategoryCountOtherThanCOCOsStopsTheRun() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("full-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try Self.writeCOCOLayout(at: root, categories: 12)
        let weights = root.appendingPathComponent("pretrained/resnet18.safetensors")
        try FileManager.default.createDirectory(at: weights.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data().write(to: weights)
        #expect(throws: DataError(file: "coco-train2017", message: "12 categories; coco runs expect 80")) {
            try DetectorRunExecutor.detectionRun(Self.spec(), dataRoot: root)
        }
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
