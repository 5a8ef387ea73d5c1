import Foundation
import Testing
@testable import Harness

/// The mapping from a paper's setting to a run at each scale (`ScaleCalibration`).
@Suite struct ScaleProfileTests {
    func backbone(_ map: [String: SettingValue], _ scale: ScaleProfile) -> Result<BackboneConfig, NotImplemented> {
        BackboneConfig.resolve(.map(map), scale: scale, context: "student")
    }

    @Test func resnetsKeepDepthAndNarrowAtSmallScale() throws {
        let small = try backbone(["backbone": .string("resnet18")], .small).get()
        #expect(small.family == .resnet && small.depth == 18)
        #expect(small.widthMultiplier == 0.25 && small.stem == .compact)
        let full = try backbone(["backbone": .string("resnet101")], .full).get()
        #expect(full.depth == 101 && full.widthMultiplier == 1 && full.stem == .imagenet)
        let smoke = try backbone(["backbone": .string("resnet152")], .smoke).get()
        #expect(smoke.depth == 152 && smoke.widthMultiplier == 0.125)
    }

    @Test func resnextIsAWiderResNetAnalogueAndARealResNeXtAtFull() throws {
        let small = try backbone(["backbone": .string("resnext101")], .small).get()
        #expect(small.family == .resnet && small.depth == 101 && small.widthMultiplier == 0.375)
        let full = try backbone(["backbone": .string("resnext101")], .full).get()
        #expect(full.family == .resnext && full.groups == 64 && full.groupWidth == 4)
    }

    @Test func deformableByNameOrFlag() throws {
        let named = try backbone(["backbone": .string("resnet101_dcn")], .small).get()
        let flagged = try backbone(["backbone": .string("resnet101"), "dcn": .bool(true)], .small).get()
        #expect(named == flagged)
        #expect(named.deformable && named.name == "resnet101")
    }

    @Test func mobileNetWidthMultipliesTheProfiles() throws {
        let half = try backbone(["backbone": .string("mobilenet_v2"), "width": .number(0.5)], .small).get()
        #expect(half.family == .mobileNetV2 && half.widthMultiplier == 0.25 && half.stem == nil)
        let full = try backbone(["backbone": .string("mobilenet_v2"), "width": .number(0.5)], .full).get()
        #expect(full.widthMultiplier == 0.5)
    }

    @Test func unknownBackbonesAndFieldsAreNamed() {
        for name in ["swin_t", "convnext_t", "uniformer_s", "eva", "hrnet_w32"] {
            guard case let .failure(reason) = backbone(["backbone": .string(name)], .small) else {
                Issue.record("\(name) resolved"); continue
            }
            #expect(reason.reason.contains(name) && reason.reason.contains("not implemented"))
        }
        guard case let .failure(reason) = backbone(["backbone": .string("resnet18"), "frozen": .bool(true)], .small) else {
            Issue.record("unknown field accepted"); return
        }
        #expect(reason.reason.contains("student.frozen"))
    }

    /// Res2Net-101 26w×4s (LD Table 8's teacher) at the profile's width; the DCN suffix too.
    @Test func res2NetResolves() throws {
        let small = try backbone(["backbone": .string("res2net101_dcn")], .small).get()
        #expect(small.family == .res2net && small.depth == 101 && small.scales == 4 && small.scaleWidth == 26)
        #expect(small.deformable && small.widthMultiplier == ScaleCalibration.small.resnetWidth && small.summary == "res2net101+dcn")
        #expect(!RunsFixture.spec().canonicalJSON.contains("scales"))
    }

    @Test func schedulesAreEpochs() throws {
        #expect(ScheduleSpec.epochs(of: "1x") == 12)
        #expect(ScheduleSpec.epochs(of: "2x") == 24)
        #expect(ScheduleSpec.epochs(of: "3x") == 36)
        #expect(ScheduleSpec.epochs(of: "24e") == 24)
        #expect(ScheduleSpec.epochs(of: "18e") == 18)
        #expect(ScheduleSpec.epochs(of: "1.5x") == 18)
        #expect(ScheduleSpec.epochs(of: "fast") == nil)
        let small2x = try ScheduleSpec.resolve("2x", dataset: "coco", detector: "gfl", scale: .small).get()
        let small24e = try ScheduleSpec.resolve("24e", dataset: "coco", detector: "gfl", scale: .small).get()
        #expect(small2x == small24e)
        #expect(small2x.iterations == 2 * ScaleCalibration.small.iterationsPer1x!)
        // "4e" at smoke would round to 3 iterations; the minimum holds.
        #expect(try ScheduleSpec.resolve("4e", dataset: "voc", detector: "gfl", scale: .smoke).get().iterations >= ScaleCalibration.smoke.minimumIterations)
        let full = try ScheduleSpec.resolve("1x", dataset: "coco", detector: "gfl", scale: .full).get()
        #expect(full.iterations == 12 * 7330 && full.batchSize == 16)
        // Unstated schedule: 1x.
        #expect(try ScheduleSpec.resolve(nil, dataset: "coco", detector: "gfl", scale: .small).get().epochs == 12)
    }

    @Test func datasetsMapToSyntheticVariantsOrDirectories() throws {
        let expected = ["coco": "standard", "voc": "vocLike", "crowdhuman": "crowded", "dota": "oriented"]
        for (name, variant) in expected {
            let small = try DatasetSpec.resolve(name: name, split: nil, scale: .small).get()
            #expect(small.synthetic == variant && small.directory == nil)
            let full = try DatasetSpec.resolve(name: name, split: nil, scale: .full).get()
            #expect(full.synthetic == nil && full.directory != nil)
        }
        let minival = try DatasetSpec.resolve(name: "coco", split: "minival", scale: .full).get()
        #expect(minival.split == "val2017")
        // Split does not matter on synthetic data: one run for val2017 and minival.
        #expect(try DatasetSpec.resolve(name: "coco", split: "minival", scale: .small).get()
                == DatasetSpec.resolve(name: "coco", split: "val2017", scale: .small).get())
        guard case let .failure(testDev) = DatasetSpec.resolve(name: "coco", split: "test-dev2019", scale: .full) else {
            Issue.record("test-dev resolved at full"); return
        }
        #expect(testDev.reason.contains("evaluation server"))
        #expect(throws: NotImplemented.self) { try DatasetSpec.resolve(name: "kitti", split: nil, scale: .small).get() }
    }

    /// The oriented scenes' revision 2: part of dota's identity (only dota's), applied on top of
    /// the profile's numbers; the other variants carry no revision, so their ids are unchanged.
    @Test func orientedScenesRevision() throws {
        let dota = try DatasetSpec.resolve(name: "dota", split: nil, scale: .small).get()
        let coco = try DatasetSpec.resolve(name: "coco", split: nil, scale: .small).get()
        #expect(dota.sceneRevision == 2 && coco.sceneRevision == nil)
        #expect(!RunsFixture.spec().canonicalJSON.contains("sceneRevision"))
        var spec = RunsFixture.spec()
        spec.dataset = dota
        spec.detector = "rotated_retinanet"
        #expect(spec.canonicalJSON.contains(#""sceneRevision":2"#))
        let scenes = try DetectorRunExecutor.sceneConfig(spec)
        #expect(scenes.variant == .oriented && scenes.elongatedFraction == 0 && scenes.compactAspect == 1.5...2.5)
        #expect(scenes.distractorsPerObject == 0 && scenes.lowContrastFraction == 0 && scenes.blurSigma == 0.75...2)
        #expect(scenes.objectsPerImage.upperBound == ScaleCalibration.small.maxObjectsPerImage)
        // Twice the iterations per schedule at small (not at smoke), and the papers' rate 0.01
        // instead of the reduced-scale 0.02 for the rotated detectors.
        #expect(try ScheduleSpec.resolve("1x", dataset: "dota", detector: "rotated_retinanet", scale: .small).get().iterations == 800)
        #expect(try ScheduleSpec.resolve("1x", dataset: "dota", detector: "rotated_retinanet", scale: .smoke).get().iterations == ScaleCalibration.smoke.iterationsPer1x)
        spec.schedule = try ScheduleSpec.resolve("1x", dataset: "dota", detector: "gfl", scale: .small).get()
        #expect(DetectorRunExecutor.trainingConfig(spec, detector: .rotatedRetinanet).learningRate == 0.01)
        #expect(DetectorRunExecutor.trainingConfig(spec, detector: .gfl).learningRate == 0.02)
        // RetinaNet with its own head too (revision 2); its GFL-ified form: PaperRecipeTests.
        #expect(DetectorRunExecutor.trainingConfig(spec, detector: .retinanet).learningRate == 0.01)
        spec.dataset = coco
        #expect(try DetectorRunExecutor.sceneConfig(spec).distractorsPerObject == ScaleCalibration.small.distractorsPerObject)
    }

    /// RetinaNet runs three times the iterations at small (2x: 2400), on top of a dataset's own
    /// multiplier; no other detector and no other profile does.
    @Test func retinaNetTrainsThreeTimesLongerAtSmall() throws {
        #expect(try ScheduleSpec.resolve("1x", dataset: "coco", detector: "retinanet", scale: .small).get().iterations == 1200)
        #expect(try ScheduleSpec.resolve("2x", dataset: "coco", detector: "retinanet", scale: .small).get().iterations == 2400)
        #expect(try ScheduleSpec.resolve("1x", dataset: "dota", detector: "retinanet", scale: .small).get().iterations == 2400)
        #expect(try ScheduleSpec.resolve("1x", dataset: "coco", detector: "fcos", scale: .small).get().iterations == 400)
        #expect(try ScheduleSpec.resolve("1x", dataset: "coco", detector: "retinanet", scale: .smoke).get().iterations == ScaleCalibration.smoke.iterationsPer1x)
        #expect(try ScheduleSpec.resolve("1x", dataset: "coco", detector: "retinanet", scale: .full).get()
            == ScheduleSpec.resolve("1x", dataset: "coco", detector: "fcos", scale: .full).get())
    }

    @Test func missingDatasetNamesTheExpectedPath() throws {
        let root = try RunsFixture.temporaryDirectory("data")
        let coco = try DatasetSpec.resolve(name: "coco", split: nil, scale: .full).get()
        let missing = MissingDataset.check([coco], dataRoot: root)
        #expect(missing.count == 1)
        #expect(missing.first?.description.contains(root.appendingPathComponent("coco").path) == true)
        // The directory alone is not enough: the annotation files must be there.
        try FileManager.default.createDirectory(at: root.appendingPathComponent("coco/annotations"), withIntermediateDirectories: true)
        #expect(MissingDataset.check([coco], dataRoot: root).first?.expected.hasSuffix("instances_train2017.json") == true)
        for file in ["instances_train2017.json", "instances_val2017.json"] {
            _ = FileManager.default.createFile(atPath: root.appendingPathComponent("coco/annotations/" + file).path, contents: Data())
        }
        #expect(MissingDataset.check([coco], dataRoot: root).isEmpty)
    }

    @Test func defaultSeeds() {
        #expect(ScaleProfile.smoke.defaultSeeds == 1)
        #expect(ScaleProfile.small.defaultSeeds == 3)
        #expect(ScaleProfile.full.defaultSeeds == 1)
        #expect(ScaleProfile.seeds(count: 3) == [1, 2, 3])
    }

    /// The dataset path is relative to the data root: a run's id is the same on every machine.
    @Test func fullScaleIdsDoNotDependOnTheDataRoot() throws {
        let spec = try DatasetSpec.resolve(name: "coco", split: "val2017", scale: .full).get()
        #expect(spec.location(in: URL(fileURLWithPath: "/a"))?.path == "/a/coco")
        #expect(spec.location(in: URL(fileURLWithPath: "/b"))?.path == "/b/coco")
        #expect(!(try JSONValue(encoding: spec).canonicalText.contains("/")))
    }
}
