import Foundation
import Testing
@testable import Harness

/// A run's identity: the canonical JSON and its SHA-256 must not depend on key order, number
/// spelling or term order, must survive a round trip, and must stay what it is across versions
/// of this code (or every recorded run silently stops matching).
@Suite struct RunSpecTests {
    @Test func canonicalJSONSortsKeysAndWritesIntegersPlainly() throws {
        let value = try JSONValue.parse(#"{"b": [1.0, 0.25, "x\n"], "a": {"d": true, "c": null}}"#)
        #expect(value.canonicalText == #"{"a":{"c":null,"d":true},"b":[1,0.25,"x\n"]}"#)
    }

    @Test func idIsStableForAFixedSpec() throws {
        var spec = RunsFixture.spec(seed: 2, distilled: true)
        // Pinned: if this changes, every stored run id changes. Bump ScaleCalibration.revision
        // on purpose instead of changing the encoding by accident. The revision is pinned here
        // too, so that bumping it does not read as an encoding change.
        spec.calibration = 1
        spec.teacher?.calibration = 1
        // Its term is LD: pin the encoding of a spec stored before LD's revision 2 (decoded,
        // so the field is absent).
        spec = try RunSpec.decode(json: spec.canonicalJSON.replacingOccurrences(of: #","distillationRevision":2"#, with: ""))
        #expect(spec.canonicalJSON.hasPrefix(#"{"backbone":{"deformable":false,"depth":18,"family":"resnet","name":"resnet18","stem":"compact","widthMultiplier":0.125},"calibration":1,"dataset":{"dataSeed":20240601,"imageSize":64,"name":"coco","synthetic":"standard","trainImages":16,"valImages":8},"detector":"gfl","distillation":[{"method":"ld"}],"multiscale":false,"scale":"smoke","schedule":{"batchSize":2,"epochs":12,"iterations":8},"seed":2,"teacher":{"#))
        #expect(spec.id == RunSpec.id(ofCanonicalJSON: spec.canonicalJSON))
        #expect(spec.id.count == 64)
        #expect(spec.id == RunSpecTests.pinnedID)
    }

    /// The id of `RunsFixture.spec(seed: 2, distilled: true)`, recorded when the encoding was
    /// written.
    static let pinnedID = "205b010845ae0201ead2dabcc15eb67555c51cf36d460c532c26d16a4f4d261e"

    /// A spec records the highest revision of its methods (LD is at 2): a change to one method
    /// is a new run for the specs using it only; runs without terms (baselines, teachers) and
    /// runs of unrevised methods keep their ids.
    @Test func distillationRevisionIsPartOfRevisedMethodsRunsOnly() throws {
        let distilled = RunsFixture.spec(seed: 2, distilled: true)   // {method: ld}
        #expect(distilled.distillationRevision == 2)
        #expect(distilled.canonicalJSON.contains(#""distillationRevision":2"#))
        #expect(distilled.teacher?.distillationRevision == nil)
        #expect(distilled.teacher?.canonicalJSON.contains("distillationRevision") == false)
        var kdOnly = distilled
        kdOnly.distillation = [.map(["method": .string("kd")])]
        #expect(kdOnly.distillationRevision == nil)
        #expect(!kdOnly.canonicalJSON.contains("distillationRevision"))
        // A spec stored before the field existed decodes without it and keeps its id.
        let oldJSON = distilled.canonicalJSON.replacingOccurrences(of: #","distillationRevision":2"#, with: "")
        let decoded = try RunSpec.decode(json: oldJSON)
        #expect(decoded.distillationRevision == nil)
        #expect(decoded.canonicalJSON == oldJSON)
        #expect(decoded.id != distilled.id)
    }

    /// A spec records its detector's revision (SAPD is at 2): its runs are new, every other
    /// detector's keep their ids, and a spec stored before the field existed keeps its id.
    @Test func detectorRevisionIsPartOfRevisedDetectorsRunsOnly() throws {
        var sapd = RunsFixture.spec(seed: 2, distilled: false)
        #expect(sapd.detectorRevision == nil && !sapd.canonicalJSON.contains("detectorRevision"))
        sapd.detector = "sapd"
        #expect(sapd.detectorRevision == 2 && sapd.canonicalJSON.contains(#""detectorRevision":2"#))
        let oldJSON = sapd.canonicalJSON.replacingOccurrences(of: #","detectorRevision":2"#, with: "")
        let decoded = try RunSpec.decode(json: oldJSON)
        #expect(decoded.detectorRevision == nil && decoded.canonicalJSON == oldJSON && decoded.id != sapd.id)
        #expect(try RunSpec.decode(json: sapd.canonicalJSON).id == sapd.id)
    }

    /// RetinaNet's own head is at revision 2; LD's GFL-ified RetinaNet (box head "distribution")
    /// is a different head and keeps revision 1, whichever field is set last.
    @Test func detectorRevisionFollowsTheBoxHead() {
        var retina = RunsFixture.spec(seed: 1, distilled: false)
        retina.detector = "retinanet"
        #expect(retina.detectorRevision == 2)
        retina.boxHead = "distribution"
        #expect(retina.detectorRevision == nil && !retina.canonicalJSON.contains("detectorRevision"))
        retina.boxHead = nil
        #expect(retina.detectorRevision == 2)
        #expect(ScaleCalibration.reducedScaleRateFactor(.retinanet, boxHead: nil) == 1)
        #expect(ScaleCalibration.reducedScaleRateFactor(.retinanet, boxHead: "distribution") == 2)
        #expect(ScaleCalibration.reducedScaleRateFactor(.fcos, boxHead: nil) == 2)
    }

    @Test func roundTripKeepsTheId() throws {
        let spec = RunsFixture.spec(seed: 3, distilled: true)
        let decoded = try RunSpec.decode(json: spec.canonicalJSON)
        #expect(decoded == spec)
        #expect(decoded.id == spec.id)
        #expect(decoded.teacher?.id == spec.teacher?.id)
    }

    @Test func keyOrderNumberSpellingAndTermOrderDoNotChangeTheId() throws {
        let table = try RunsFixture.distillationTable()
        let plan = Planner.plan([table], scale: .small, seeds: 1)
        let tablePlan = try #require(plan.tables.first)
        // r18-ld and r34-ld list the same two terms in opposite orders, with 10 and 10.0.
        guard case let .runs(_, r18) = tablePlan.cells[CellReference(row: "r18-ld", column: "AP")],
              case let .runs(_, r34) = tablePlan.cells[CellReference(row: "r34-ld", column: "AP")] else {
            Issue.record("distilled cells did not resolve to runs"); return
        }
        let r18Spec = try #require(r18[1].flatMap { plan.run($0) }).spec
        let r34Spec = try #require(r34[1].flatMap { plan.run($0) }).spec
        #expect(r18Spec.distillation == r34Spec.distillation)
        var swapped = r34Spec
        swapped.backbone = r18Spec.backbone
        #expect(swapped.id == r18Spec.id)
    }

    @Test func columnsOfOneSettingShareARun() throws {
        let plan = Planner.plan([try RunsFixture.distillationTable()], scale: .small, seeds: 1)
        let cells = try #require(plan.tables.first).cells
        #expect(cells[CellReference(row: "r18", column: "AP")] == .runs(metric: "AP", seeds: [1: runID(cells, "r18", "AP50")]))
        #expect(cells[CellReference(row: "r18", column: "AP50")] == .runs(metric: "AP50", seeds: [1: runID(cells, "r18", "AP")]))
    }

    private func runID(_ cells: [CellReference: CellPlan], _ row: String, _ column: String) -> String {
        if case let .runs(_, seeds) = cells[CellReference(row: row, column: column)] { return seeds[1] ?? "" }
        return ""
    }

    /// ld Table 3's "ResNet-50 + LD" and ld Table 2's "Main LD + VLR LD + Main KD" (COCO columns)
    /// are one experiment printed twice: one run.
    @Test func identicalRunsAcrossTablesAreOneRun() throws {
        let table2 = try RunsFixture.realTable("ld/table2.yaml")
        let table3 = try RunsFixture.realTable("ld/table3.yaml")
        let plan = Planner.plan([table2, table3], scale: .small, seeds: 2)
        let fromTable2 = plan.tables[0].cells[CellReference(row: "ld-main-vlr-kd-main", column: "coco_AP")]
        let fromTable3 = plan.tables[1].cells[CellReference(row: "r50-ld", column: "AP")]
        guard case let .runs(_, seeds2) = fromTable2, case let .runs(_, seeds3) = fromTable3 else {
            Issue.record("cells did not resolve: \(String(describing: fromTable2)), \(String(describing: fromTable3))"); return
        }
        #expect(seeds2 == seeds3)
        let run = try #require(seeds3[2].flatMap { plan.run($0) })
        #expect(Set(run.uses.map(\.table)) == [table2.id, table3.id])
        #expect(plan.runs.filter { $0.id == run.id }.count == 1)
        // The baselines agree too (Table 2 "no distillation" = Table 3 "ResNet-50").
        guard case let .runs(_, base2) = plan.tables[0].cells[CellReference(row: "none", column: "coco_AP")],
              case let .runs(_, base3) = plan.tables[1].cells[CellReference(row: "r50", column: "AP")] else {
            Issue.record("baseline cells did not resolve"); return
        }
        #expect(base2 == base3)
    }
}
