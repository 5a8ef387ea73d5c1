import Foundation
import Testing
import Detection
@testable import Distillation
@testable import Harness
import NN

/// What the real executor accepts: LD's methods with a dense teacher; anything else reads "not
/// implemented" with the reason, never a number.
@Suite("Detector run executor") struct DetectorRunExecutorTests {
    @Test func supportsLDFromADenseTeacherAndNamesWhatIsMissing() {
        let executor = DetectorRunExecutor()
        #expect(executor.support(RunsFixture.spec(distilled: false)) == .supported)
        #expect(executor.support(RunsFixture.spec(distilled: true)) == .supported)

        var unknown = RunsFixture.spec(distilled: true)
        unknown.distillation = [.map(["method": .string("rank_mimicking")])]
        guard case .notImplemented(let why) = executor.support(unknown) else {
            Issue.record("an unknown method must not be supported"); return
        }
        #expect(why.contains("rank_mimicking"))

        var selfDistilled = RunsFixture.spec(distilled: true)
        selfDistilled.teacher = nil
        guard case .notImplemented(let reason) = executor.support(selfDistilled) else {
            Issue.record("a term without a teacher must not be supported"); return
        }
        #expect(reason.contains("no teacher"))
    }

    /// Oriented scenes (`dota`) are for rotated detectors only, and rotated detectors need them:
    /// the other pairs read "not implemented", never an AP of the wrong protocol.
    @Test func orientedScenesPairWithRotatedDetectors() {
        let executor = DetectorRunExecutor()
        func spec(_ dataset: String, _ detector: String) -> RunSpec {
            let setting: [String: SettingValue] = ["dataset": .string(dataset), "detector": .string(detector),
                                                   "schedule": .string("1x"), "student": .map(["backbone": .string("resnet18")])]
            return try! RunResolver(scale: .smoke).student(.map(setting), seed: 1).get()
        }
        #expect(executor.support(spec("dota", "rotated_retinanet")) == .supported)
        #expect(executor.support(spec("dota", "gwd")) == .supported)
        for (dataset, detector) in [("dota", "gfl"), ("coco", "gwd"), ("voc", "rotated_retinanet")] {
            guard case .notImplemented(let why) = executor.support(spec(dataset, detector)) else {
                Issue.record("\(detector) on \(dataset) must not be supported"); continue
            }
            #expect(why.contains(detector) && why.contains(dataset), "\(why)")
        }
    }

    /// `paa_official` is PAA under the official code's assignment rules: its own run (another id)
    /// whose detector is PAA's with those rules; `paa` keeps mmdetection's.
    @Test func detectorVariantsAreTheirOwnRuns() throws {
        let executor = DetectorRunExecutor()
        func spec(_ detector: String) -> RunSpec {
            let setting: [String: SettingValue] = ["dataset": .string("coco"), "detector": .string(detector),
                                                   "student": .map(["backbone": .string("resnet50")])]
            return try! RunResolver(scale: .small).student(.map(setting), seed: 1).get()
        }
        let official = spec("paa_official"), mmdetection = spec("paa")
        #expect(executor.support(official) == .supported && official.id != mmdetection.id)
        let config = try DetectorRunExecutor.detectorConfig(official, numClasses: 3)
        #expect(config.kind == .paa && config.paaRules == .officialCode)
        #expect(try DetectorRunExecutor.detectorConfig(mmdetection, numClasses: 3).paaRules == .mmdetection)
        guard case .notImplemented(let why) = executor.support(spec("paa_paper")) else {
            Issue.record("an unknown variant must not be supported"); return
        }
        #expect(why.contains("paa_paper"))
    }

    /// SAPD keeps FSAF's gradient clip 10 at every scale (its revision 2); the reduced profiles
    /// clip everything else at 35; at full each detector keeps its config's.
    @Test func gradientClipPerDetectorAndScale() {
        func clip(_ detector: String, _ scale: ScaleProfile) -> Float? {
            let setting: [String: SettingValue] = ["dataset": .string("coco"), "detector": .string(detector),
                                                   "student": .map(["backbone": .string("resnet50")])]
            let spec = try! RunResolver(scale: scale).student(.map(setting), seed: 1).get()
            return DetectorRunExecutor.trainingConfig(spec, detector: DetectorName.kind(detector)!).gradientClip
        }
        #expect(clip("sapd", .small) == 10 && clip("sapd", .full) == 10)
        #expect(clip("gfl", .small) == 35 && clip("retinanet", .small) == 35)
        #expect(clip("gfl", .full) == nil && clip("retinanet", .full) == 35)
    }

    /// Deformable convolutions need bottleneck ResNets (or Res2Net); Res2Net has no ImageNet
    /// weights at full; what runs carries both into the detector's backbone.
    @Test func deformableAndRes2NetBackbones() throws {
        let executor = DetectorRunExecutor()
        func spec(_ backbone: String, _ scale: ScaleProfile = .small) -> RunSpec {
            let setting: [String: SettingValue] = ["dataset": .string("coco"), "detector": .string("gfl"),
                                                   "student": .map(["backbone": .string(backbone)])]
            return try! RunResolver(scale: scale).student(.map(setting), seed: 1).get()
        }
        for backbone in ["resnet50_dcn", "resnet101_dcn", "res2net101", "res2net101_dcn", "resnext101_32x4d_dcn"] {
            #expect(executor.support(spec(backbone)) == .supported, "\(backbone)")
        }
        for (backbone, scale, reason) in [("resnet18_dcn", ScaleProfile.small, "with deformable convolutions"),
                                          ("mobilenet_v2_dcn", .small, "with deformable convolutions"),
                                          ("res2net101", .full, "torchvision ResNets only")] {
            guard case .notImplemented(let why) = executor.support(spec(backbone, scale)) else {
                Issue.record("\(backbone) at \(scale) must not be supported"); continue
            }
            #expect(why.contains(reason), "\(why)")
        }
        guard case .resnet(let config) = try DetectorRunExecutor.detectorConfig(spec("res2net101_dcn"), numClasses: 3).backbone else {
            Issue.record("Res2Net builds on ResNet"); return
        }
        #expect(config.deformable && config.res2Net == Res2NetShape(scales: 4, baseWidth: 26) && config.depth == 101)
    }

    @Test func reducedScaleRunsStartFromPretrainedBackbonesWithTheProfileRecipe() throws {
        let spec = RunsFixture.spec(distilled: false)
        let run = try DetectorRunExecutor.detectionRun(spec)
        let numbers = ScaleCalibration.numbers(for: .smoke)
        #expect(numbers.pretraining != nil)
        #expect(run.training.learningRate == 0.02 * Double(spec.schedule.batchSize) / 16)
        #expect(run.detector.fcosRangeScale == 0.5)  // compact stem: strides halved
        #expect(run.train.count == numbers.trainImages)
    }

    /// Pinned: the cached pretraining of the small profile's R-18 analogue at calibration
    /// revision 4. If this changes, every machine's cached pretraining is redone: acceptable when
    /// the recipe or its scenes really changed (a new scene field included), never by accident.
    @Test func smallProfilePretrainingKeyIsStable() throws {
        var spec = RunsFixture.spec(distilled: false)
        spec.scale = .small
        spec.dataset = try DatasetSpec.resolve(name: "coco", split: nil, scale: .small).get()
        spec.backbone.widthMultiplier = ScaleCalibration.numbers(for: .small).resnetWidth
        let run = try DetectorRunExecutor.detectionRun(spec)
        let recipe = try #require(DetectorRunExecutor.pretrainingRecipe(.small, run: run))
        #expect(PretrainedBackbones.key(run.detector.backbone, recipe, revision: 4) == "r18-9d032126ed31")
    }
}
