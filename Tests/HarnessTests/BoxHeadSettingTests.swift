import Detection
import Foundation
import Testing
@testable import Harness

/// The `box_head` setting (LD's Table 4 "GFL-ified" heads): from the table to the run's identity
/// and to the detector the executor builds, for students and their teachers alike.
@Suite("box_head setting") struct BoxHeadSettingTests {
    /// Every run of ld Table 4 (baselines, LD students and their teachers) has the distributional
    /// head; the executor supports each and builds it so.
    @Test func everyTableFourRunUsesTheDistributionHead() throws {
        let plan = Planner.plan([try RunsFixture.realTable("ld/table4.yaml")], scale: .smoke, seeds: 1)
        #expect(plan.runs.count == 9 && plan.runs.filter(\.isTeacher).count == 3)
        let executor = DetectorRunExecutor()
        for run in plan.runs {
            #expect(run.spec.boxHead == "distribution", "\(run.spec.summary)")
            #expect(executor.support(run.spec) == .supported, "\(run.spec.summary)")
            #expect(try DetectorRunExecutor.detectionRun(run.spec).detector.boxHead == .distribution)
            if let teacher = run.spec.teacher { #expect(teacher.boxHead == "distribution" && teacher.detector == run.spec.detector) }
        }
    }

    /// Part of the identity when set; absent from the JSON when not, so older ids stay valid
    /// (RunSpecTests pins one).
    @Test func boxHeadIsPartOfTheIdentity() throws {
        let plain = RunsFixture.spec(distilled: true)
        #expect(!plain.canonicalJSON.contains("boxHead"))
        var head = plain
        head.boxHead = "distribution"
        #expect(head.id != plain.id && head.canonicalJSON.contains(#""boxHead":"distribution""#))
        let decoded = try RunSpec.decode(json: head.canonicalJSON)
        #expect(decoded == head && decoded.id == head.id)
        #expect(head.summary.contains("gfl(box_head: distribution) resnet18"))
    }

    /// Teachers inherit the setting's head unless their own map names one; absent and `native`
    /// are the detector's own head; on GFL `distribution` is dropped (its head is that already),
    /// so it is the same run; any other value is not implemented.
    @Test func resolution() throws {
        let resolver = RunResolver(scale: .smoke)
        func student(_ changes: [String: SettingValue]) -> Result<RunSpec, NotImplemented> {
            var setting: [String: SettingValue] = [
                "dataset": .string("coco"), "detector": .string("retinanet"), "schedule": .string("1x"),
                "student": .map(["backbone": .string("resnet18")]), "teacher": .map(["backbone": .string("resnet101")]),
                "distillation": .list([.map(["method": .string("ld")])]),
            ]
            setting.merge(changes) { $1 }
            return resolver.student(.map(setting), seed: 1)
        }
        let distribution = SettingValue.string("distribution")
        let inherited = try student(["box_head": distribution]).get()
        #expect(inherited.boxHead == "distribution" && inherited.teacher?.boxHead == "distribution")
        let ownTeacher = try student(["box_head": distribution,
                                      "teacher": .map(["backbone": .string("resnet101"), "box_head": .string("native")])]).get()
        #expect(ownTeacher.boxHead == "distribution" && ownTeacher.teacher?.boxHead == nil)
        let plain = try student([:]).get()
        #expect(plain.boxHead == nil && plain.teacher?.boxHead == nil)
        #expect(try student(["box_head": .string("native")]).get() == plain)
        let gfl = try student(["box_head": distribution, "detector": .string("gfl")]).get()
        #expect(gfl == (try student(["detector": .string("gfl")]).get()) && gfl.boxHead == nil)
        guard case .failure(let why) = student(["box_head": .string("histogram")]) else {
            Issue.record("an unknown box head must not resolve"); return
        }
        #expect(why.reason.contains("box_head") && why.reason.contains("histogram"))
    }

    /// `box_head: distribution` on a detector without a GFL-ified head (Faster R-CNN…) is refused
    /// by the resolver too (the table validator reports it with file and line first), for the
    /// student and for a teacher that inherits it; retinanet, fcos and atss take it.
    @Test func distributionHeadOnlyOnDetectorsThatHaveOne() throws {
        let resolver = RunResolver(scale: .smoke)
        func student(_ changes: [String: SettingValue]) -> Result<RunSpec, NotImplemented> {
            var setting: [String: SettingValue] = [
                "dataset": .string("coco"), "detector": .string("faster_rcnn"), "schedule": .string("1x"),
                "box_head": .string("distribution"),
                "student": .map(["backbone": .string("resnet18")]), "teacher": .map(["backbone": .string("resnet101")]),
                "distillation": .list([.map(["method": .string("ld")])]),
            ]
            setting.merge(changes) { $1 }
            return resolver.student(.map(setting), seed: 1)
        }
        guard case .failure(let why) = student([:]) else { Issue.record("box_head on faster_rcnn must not resolve"); return }
        #expect(why.reason.contains("box_head: distribution applies only to atss, fcos, gwd, retinanet, rotated_retinanet") && why.reason.contains("faster_rcnn"),
                "\(why.reason)")
        guard case .failure(let teacherWhy) = student([
            "detector": .string("retinanet"),
            "teacher": .map(["backbone": .string("resnet101"), "detector": .string("faster_rcnn")])]) else {
            Issue.record("an inherited box_head on a faster_rcnn teacher must not resolve"); return
        }
        #expect(teacherWhy.reason.hasPrefix("teacher: ") && teacherWhy.reason.contains("faster_rcnn"), "\(teacherWhy.reason)")
        for detector in ["retinanet", "fcos", "atss"] {
            #expect(try student(["detector": .string(detector)]).get().boxHead == "distribution")
        }
        #expect(try student(["box_head": .string("native")]).get().boxHead == nil)
    }

    /// LD's GFL-ified RetinaNet tests with NMS IoU 0.6 (`retinagfl_r101_2x_coco.py`,
    /// `ld_retina_r50_1x.py`); the native RetinaNet keeps 0.5, the other detectors 0.6.
    @Test func gflifiedRetinaNetUsesNMSIoU06() throws {
        let resolver = RunResolver(scale: .smoke)
        func detector(_ name: String, _ head: String?) throws -> Detection.DenseDetectorConfig {
            var setting: [String: SettingValue] = [
                "dataset": .string("coco"), "detector": .string(name), "schedule": .string("1x"),
                "student": .map(["backbone": .string("resnet18")]),
            ]
            if let head { setting["box_head"] = .string(head) }
            return try DetectorRunExecutor.detectionRun(try resolver.student(.map(setting), seed: 1).get()).detector
        }
        #expect(try detector("retinanet", "distribution").postprocess.iouThreshold == 0.6)
        #expect(try detector("retinanet", nil).postprocess.iouThreshold == 0.5)
        #expect(try detector("retinanet", "native").postprocess.iouThreshold == 0.5)
        for name in ["fcos", "atss", "gfl"] {
            #expect(try detector(name, "distribution").postprocess.iouThreshold == 0.6, "\(name)")
        }
        // Everything else is RetinaNet's and GFL's shared test config.
        let gflified = try detector("retinanet", "distribution").postprocess
        #expect(gflified.nmsPre == 1000 && gflified.scoreThreshold == 0.05 && gflified.maxPerImage == 100)
    }

    /// LD on a plain RetinaNet reads "not implemented" and says what would make it work.
    @Test func executorNamesTheMissingHead() {
        let resolver = RunResolver(scale: .smoke)
        let setting: [String: SettingValue] = [
            "dataset": .string("coco"), "detector": .string("retinanet"), "schedule": .string("1x"),
            "student": .map(["backbone": .string("resnet18")]), "teacher": .map(["backbone": .string("resnet101")]),
            "distillation": .list([.map(["method": .string("ld")])]),
        ]
        let spec = try! resolver.student(.map(setting), seed: 1).get()
        guard case .notImplemented(let why) = DetectorRunExecutor().support(spec) else {
            Issue.record("LD on a native RetinaNet head must not be supported"); return
        }
        #expect(why.contains("box_head: distribution"), "\(why)")
        var unknown = spec
        unknown.boxHead = "histogram"
        #expect(DetectorRunExecutor().support(unknown) == .notImplemented("box_head histogram on retinanet: not implemented yet"))
    }
}
