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
