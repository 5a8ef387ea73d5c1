import Detection
import Distillation
import Foundation
import Testing
@testable import Harness

/// A table's `recipe:` (the paper's learning rate and decays) shapes full-scale runs only.
@Suite("Paper recipe") struct PaperRecipeTests {
    static func setting(_ changes: [String: SettingValue]) -> SettingValue {
        var setting: [String: SettingValue] = [
            "dataset": .string("coco"), "detector": .string("retinanet"), "schedule": .string("1x"),
            "student": .map(["backbone": .string("resnet18")]), "teacher": .map(["backbone": .string("resnet50")]),
            "distillation": .list([.map(["method": .string("ld")])]),
        ]
        setting.merge(changes) { $1 }
        return .map(setting)
    }

    static func recipe(_ entries: [String: SettingValue]) -> SettingValue { .map(entries) }

    /// COCO 1x at full is 12 × 7330 iterations; mmdetection's default decays after epochs 8 and
    /// 11 are the trainer's default fractions, so the spec names none.
    @Test func mmdetectionDefaultsAtFull() throws {
        let spec = try RunResolver(scale: .full).student(Self.setting([:]), seed: 1).get()
        #expect(spec.schedule.iterations == 87_960 && spec.schedule.learningRate == 0.01)
        #expect(spec.schedule.decayIterations == nil)
        let lr = DetectorRunExecutor.trainingConfig(spec, detector: .retinanet).schedule
        #expect(lr.learningRate(at: 58_639) == 0.01 && abs(lr.learningRate(at: 58_640) - 0.001) < 1e-9)
        #expect(abs(lr.learningRate(at: 80_629) - 0.001) < 1e-9 && abs(lr.learningRate(at: 80_630) - 0.0001) < 1e-9)
    }

    /// RM on VOC: 18 epochs of 3 × 1035 iterations, lr 0.02, decays after epochs 14 and 16; the
    /// teacher with the same schedule inherits it whole.
    @Test func explicitEpochStepsAndRate() throws {
        let setting = Self.setting(["dataset": .string("voc"), "schedule": .string("18e"),
                                    "recipe": Self.recipe(["lr": .number(0.02), "lr_steps": .list([.number(14), .number(16)])])])
        let spec = try RunResolver(scale: .full).student(setting, seed: 1).get()
        #expect(spec.schedule.iterations == 18 * 3105 && spec.schedule.learningRate == 0.02)
        #expect(spec.schedule.decayIterations == [14 * 3105, 16 * 3105])
        #expect(spec.teacher?.schedule == spec.schedule)
    }

    /// A teacher on another schedule keeps the rate and framework, not the student's decays.
    @Test func teacherOnAnotherScheduleDropsTheStudentsDecays() throws {
        let setting = Self.setting(["teacher": .map(["backbone": .string("resnet50"), "schedule": .string("2x")]),
                                    "recipe": Self.recipe(["lr": .number(0.02), "lr_steps": .list([.number(9)])])])
        let spec = try RunResolver(scale: .full).student(setting, seed: 1).get()
        #expect(spec.schedule.decayIterations == [9 * 7330])
        let teacher = try #require(spec.teacher)
        #expect(teacher.schedule.learningRate == 0.02 && teacher.schedule.iterations == 24 * 7330)
        #expect(teacher.schedule.decayIterations == nil)   // mmdetection's 16 and 22 of 24 epochs
    }

    /// Detectron2's COCO schedules (LGD) and a schedule stated in iterations (LGD on VOC).
    @Test func detectron2Schedules() throws {
        let resolver = RunResolver(scale: .full)
        let d2 = Self.recipe(["framework": .string("detectron2")])
        for (text, iterations, steps) in [("1x", 90_000, [60_000, 80_000]), ("3x", 270_000, [210_000, 250_000])] {
            let spec = try resolver.student(Self.setting(["schedule": .string(text), "recipe": d2, "distillation": .list([])]), seed: 1).get()
            #expect(spec.schedule.iterations == iterations && spec.schedule.decayIterations == steps)
        }
        let voc = Self.recipe(["framework": .string("detectron2"), "iterations": .number(24_000),
                               "lr_steps": .list([.number(18_000), .number(22_000)])])
        let spec = try resolver.student(Self.setting(["dataset": .string("voc"), "schedule": .string("2x"), "recipe": voc,
                                                      "distillation": .list([])]), seed: 1).get()
        #expect(spec.schedule.iterations == 24_000 && spec.schedule.decayIterations == [18_000, 22_000])
        // Detectron2 warms up over 1000 iterations and clips no gradient, RetinaNet included.
        let training = DetectorRunExecutor.trainingConfig(spec, detector: .retinanet)
        #expect(spec.schedule.framework == .detectron2 && spec.canonicalJSON.contains(#""framework":"detectron2""#) && training.warmupIterations == 1000 && training.gradientClip == nil)
        let mmdet = try resolver.student(Self.setting(["distillation": .list([])]), seed: 1).get()
        #expect(mmdet.schedule.framework == nil && !mmdet.canonicalJSON.contains("framework"))
        #expect(DetectorRunExecutor.trainingConfig(mmdet, detector: .retinanet).warmupIterations == 500)
        guard case .failure(let error) = resolver.student(Self.setting(["schedule": .string("18e"), "recipe": d2]), seed: 1) else {
            Issue.record("a Detectron2 18-epoch COCO schedule has no known decays"); return
        }
        #expect(error.reason.contains("give iterations and lr_steps"))
    }

    /// Smoke and small ignore the recipe: the same run, the same id, nothing in the canonical form.
    @Test func smallRunsAreUnchanged() throws {
        let resolver = RunResolver(scale: .small)
        let plain = try resolver.student(Self.setting([:]), seed: 1).get()
        let withRecipe = try resolver.student(Self.setting(["recipe": Self.recipe(["lr": .number(0.02)])]), seed: 1).get()
        #expect(plain == withRecipe && plain.id == withRecipe.id)
        #expect(!plain.canonicalJSON.contains("learningRate") && !plain.canonicalJSON.contains("decayIterations"))
    }

    /// Malformed recipes name the field and the cell says why, at every scale.
    @Test(arguments: [
        (["lr_step": SettingValue.number(3)], "recipe field 'lr_step'"),
        (["framework": .string("detectron")], "expected mmdetection or detectron2"),
        (["lr": .number(-1)], "expected a positive number"),
        (["lr_steps": .list([.number(11), .number(8)])], "expected one or more increasing positive numbers"),
        (["lr_steps": .list([])], "expected one or more increasing positive numbers"),
        (["iterations": .number(24_000)], "iterations without lr_steps"),
        (["lr_steps": .list([.number(12)])], "must fall inside the schedule"),
    ])
    func malformedRecipes(_ entries: [String: SettingValue], _ message: String) {
        for scale in [ScaleProfile.small, .full] where !(scale == .small && message.contains("inside the schedule")) {
            guard case .failure(let error) = RunResolver(scale: scale).student(Self.setting(["recipe": Self.recipe(entries)]), seed: 1) else {
                Issue.record("\(entries) at \(scale) was accepted"); continue
            }
            #expect(error.reason.contains(message), "\(error.reason)")
        }
    }

    /// The executor trains with the spec's rate (linearly scaled to its batch) and decays.
    @Test func executorUsesTheRecipe() throws {
        let setting = Self.setting(["dataset": .string("voc"), "schedule": .string("18e"), "distillation": .list([]),
                                    "recipe": Self.recipe(["lr": .number(0.02), "lr_steps": .list([.number(14), .number(16)])])])
        let spec = try RunResolver(scale: .full).student(setting, seed: 1).get()
        let config = DetectorRunExecutor.trainingConfig(spec, detector: .retinanet)
        #expect(config.learningRate == 0.02 && config.decay == .milestones([14 * 3105, 16 * 3105]))
        let lr = config.schedule
        #expect(lr.learningRate(at: 14 * 3105 - 1) == 0.02 && abs(lr.learningRate(at: 14 * 3105) - 0.002) < 1e-9)
        let small = try RunResolver(scale: .small).student(setting, seed: 1).get()
        let reduced = DetectorRunExecutor.trainingConfig(small, detector: .retinanet)
        // Not the recipe's 0.02 but the reduced-scale rate of RetinaNet's own head (×1 of 0.01).
        #expect(reduced.learningRate == 0.01 && reduced.decay == .steps([8.0 / 12, 11.0 / 12]))
    }

    /// At full each detector clips as its config does: mmdet's RetinaNet and FCOS at 35, LD's
    /// GFL-ified heads and GFL not at all, mmrotate's detectors at 35; smaller scales always clip.
    @Test func gradientClipFollowsTheDetectorsConfig() throws {
        func clip(_ detector: String, head: String? = nil, scale: ScaleProfile = .full, dataset: String = "coco") throws -> Float? {
            var changes: [String: SettingValue] = ["detector": .string(detector), "distillation": .list([]), "dataset": .string(dataset)]
            if let head { changes["box_head"] = .string(head) }
            let spec = try RunResolver(scale: scale).student(Self.setting(changes), seed: 1).get()
            return DetectorRunExecutor.trainingConfig(spec, detector: try #require(DenseDetectorKind(rawValue: detector))).gradientClip
        }
        #expect(try clip("retinanet") == 35 && clip("fcos") == 35)
        #expect(try clip("retinanet", head: "distribution") == nil && clip("fcos", head: "distribution") == nil)
        #expect(try clip("gfl") == nil && clip("atss") == nil)
        #expect(try clip("gwd", dataset: "dota") == 35)
        #expect(try clip("gfl", scale: .small) == 35)
    }

    /// LD's GFL-ified RetinaNet trains at its released 0.0025, at every scale (small doubles it
    /// as it doubles 0.01); a table's `lr` still wins at full; other detectors keep ids without a rate.
    @Test func releasedRateOfTheGFLifiedRetinaNet() throws {
        let gflified = ["box_head": SettingValue.string("distribution"), "distillation": .list([])]
        let small = try RunResolver(scale: .small).student(Self.setting(gflified), seed: 1).get()
        #expect(small.schedule.learningRate == 0.0025 && small.canonicalJSON.contains("learningRate"))
        #expect(DetectorRunExecutor.trainingConfig(small, detector: .retinanet).learningRate == 0.005)
        let plain = try RunResolver(scale: .small).student(Self.setting(["distillation": .list([])]), seed: 1).get()
        #expect(plain.schedule.learningRate == nil && !plain.canonicalJSON.contains("learningRate"))
        let distilled = try RunResolver(scale: .small).student(Self.setting(["box_head": .string("distribution")]), seed: 1).get()
        #expect(distilled.teacher?.schedule.learningRate == 0.0025)
        let full = try RunResolver(scale: .full).student(Self.setting(gflified), seed: 1).get()
        #expect(full.schedule.learningRate == 0.0025)
        var stated = gflified
        stated["recipe"] = Self.recipe(["lr": .number(0.01)])
        #expect(try RunResolver(scale: .full).student(Self.setting(stated), seed: 1).get().schedule.learningRate == 0.01)
    }
}
