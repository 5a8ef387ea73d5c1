import Foundation
import Testing
@testable import Harness

/// Teacher-relative metrics (LD Table 7's Pearson correlations): their cells are measured by
/// analysis runs that depend on the unchanged training run and on the setting's teacher.
@Suite("Analysis runs") struct AnalysisRunTests {
    static func cellRuns(_ table: TablePlan, _ row: String, _ column: String) -> [Int: String] {
        if case let .runs(_, seeds) = table.cells[CellReference(row: row, column: column)] { return seeds }
        return [:]
    }

    static func ldPlan(_ tables: [String], scale: ScaleProfile = .small, seeds: Int = 2) throws -> Plan {
        Planner.plan(try tables.map { try RunsFixture.realTable("ld/\($0).yaml") }, scale: scale, seeds: seeds)
    }

    /// Every Table 7 cell is an analysis run against the seed's teacher, both columns of a row
    /// share it, and it comes after the runs it needs.
    @Test func table7CellsAreAnalysesAgainstTheSeedsTeacher() throws {
        let plan = try Self.ldPlan(["table7"])
        let table = try #require(plan.tables.first)
        let order = Dictionary(uniqueKeysWithValues: plan.runs.enumerated().map { ($1.id, $0) })
        for row in ["none", "gi", "ours", "ours-gi"] {
            for seed in [1, 2] {
                let id = try #require(Self.cellRuns(table, row, "features")[seed])
                #expect(Self.cellRuns(table, row, "bbox_logits")[seed] == id)
                let run = try #require(plan.run(id))
                #expect(run.spec.analysis == RunAnalysis(kind: RunAnalysis.teacherCorrelation, images: 100))
                let teacher = try #require(run.teacherID.flatMap { plan.run($0) })
                #expect(teacher.spec.backbone.name == "resnet101" && teacher.spec.seed == seed && teacher.spec.teacher == nil)
                #expect(teacher.isTeacher)
                let subject = try #require(run.subjectID.flatMap { plan.run($0) })
                #expect(subject.spec == run.spec.subject)
                #expect(subject.spec.analysis == nil && subject.spec.backbone.name == "resnet50")
                #expect(run.dependencies == [subject.id, teacher.id])
                #expect(order[subject.id]! < order[id]! && order[teacher.id]! < order[id]!)
                if row == "none" {
                    // The baseline trains without a teacher: the teacher is the analysis's only.
                    #expect(subject.spec.teacher == nil && subject.teacherID == nil)
                    #expect(subject.spec.distillation.isEmpty)
                } else {
                    #expect(subject.teacherID == teacher.id)
                }
            }
        }
        // 2 teachers, 4 training runs and 4 analyses per seed.
        #expect(plan.runs.count == 2 * 9)
        #expect(plan.runs.filter { $0.spec.analysis != nil }.count == 8)
    }

    /// Table 7's baseline is Table 6's baseline run (trained once), and adding Table 7 to a plan
    /// changes no cell of Table 6 or Table 3.
    @Test func baselineRunIsSharedWithTable6AndOtherTablesAreUnchanged() throws {
        let alone = try Self.ldPlan(["table3", "table6"])
        let together = try Self.ldPlan(["table3", "table6", "table7"])
        for index in 0..<2 {
            #expect(alone.tables[index].cells == together.tables[index].cells)
        }
        let table6 = together.tables[1], table7 = together.tables[2]
        for seed in [1, 2] {
            let base = try #require(Self.cellRuns(table6, "base", "AP")[seed].flatMap { together.run($0) })
            #expect(base.spec.teacher == nil && base.spec.analysis == nil)
            #expect(!base.spec.canonicalJSON.contains("analysis"))
            let analysis = try #require(Self.cellRuns(table7, "none", "features")[seed].flatMap { together.run($0) })
            #expect(analysis.subjectID == base.id)
            for row in ["gi", "ours", "ours-gi"] {
                let trained = try #require(Self.cellRuns(table6, row, "AP")[seed])
                let analysed = try #require(Self.cellRuns(table7, row, "features")[seed].flatMap { together.run($0) })
                #expect(analysed.subjectID == trained)
            }
        }
        // Only the Table 7 analyses are new.
        let added = Set(together.runs.map(\.id)).subtracting(alone.runs.map(\.id))
        #expect(added.count == 8)
        #expect(added.allSatisfy { together.run($0)?.spec.analysis != nil })
    }

    /// No other column of any table gets an analysis run.
    @Test func onlyTeacherRelativeMetricsGetAnalysisRuns() throws {
        let catalog = try TableCatalog.load(from: RunsFixture.tablesDirectory)
        let plan = Planner.plan(catalog.tables, scale: .smoke, seeds: 1)
        for tablePlan in plan.tables {
            for (_, cell) in tablePlan.cells {
                guard case let .runs(metric, seeds) = cell else { continue }
                for id in seeds.values {
                    let isAnalysis = plan.run(id)?.spec.analysis != nil
                    #expect(isAnalysis == (RunAnalysis.metricKinds[metric] != nil), "\(tablePlan.table.id) \(metric)")
                }
            }
        }
    }

    @Test func analysisSpecsRoundTripAndDifferFromTheirSubject() throws {
        let plan = try Self.ldPlan(["table7"], scale: .smoke, seeds: 1)
        let id = try #require(Self.cellRuns(plan.tables[0], "none", "features")[1])
        let spec = try #require(plan.run(id)).spec
        let decoded = try RunSpec.decode(json: spec.canonicalJSON)
        #expect(decoded == spec && decoded.id == id)
        #expect(spec.canonicalJSON.contains(#""analysis":{"images":100,"kind":"teacher_correlation"}"#))
        #expect(spec.subject?.id != id)
        #expect(spec.summary.hasPrefix("teacher_correlation (first 100 val images) of [coco gfl resnet50 1x, seed 1] vs "))
    }

    /// A table whose setting names no teacher cannot compare with one.
    @Test func withoutATeacherTheCellSaysWhy() throws {
        let yaml = RunsFixture.distillationYAML
            .replacingOccurrences(of: "  teacher: {detector: gfl, backbone: resnet101, schedule: 2x}\n", with: "")
            .replacingOccurrences(of: "- {key: AP50, metric: AP50}", with: "- {key: AP50, metric: pearson_features}")
        let table = try RunsFixture.distillationTable(yaml)
        let plan = Planner.plan([table], scale: .smoke, seeds: 1)
        guard case let .notImplemented(reason) = plan.tables[0].cells[CellReference(row: "r18", column: "AP50")] else {
            Issue.record("a Pearson cell without a teacher must not resolve"); return
        }
        #expect(reason.contains("names no teacher"))
        guard case .notImplemented = plan.tables[0].cells[CellReference(row: "teacher", column: "AP50")] else {
            Issue.record("a teacher row has no teacher-relative metric"); return
        }
    }

    /// The executor refuses pairs whose tensors cannot be paired element by element.
    @Test func executorRefusesDifferentTensorShapes() throws {
        let plan = try Self.ldPlan(["table7"], scale: .smoke, seeds: 1)
        var spec = try #require(Self.cellRuns(plan.tables[0], "none", "features")[1].flatMap { plan.run($0) }).spec
        #expect(DetectorRunExecutor().support(spec) == .supported)
        spec.teacher?.backbone.widthMultiplier *= 2  // a wider teacher: twice the FPN channels
        guard case let .notImplemented(reason) = DetectorRunExecutor().support(spec) else {
            Issue.record("different FPN widths must not be supported"); return
        }
        #expect(reason.contains("FPN channels"))
    }

    /// The runner hands an analysis run both checkpoints, blocks it when the run it analyses
    /// failed, and does not retrain a subject whose analysis is already recorded.
    @Test func runnerGivesBothCheckpointsAndBlocksOnAFailedSubject() throws {
        let plan = try Self.ldPlan(["table7"], scale: .smoke, seeds: 1)
        let store = try RunsFixture.temporaryStore()
        let executor = FakeExecutor()
        executor.fails = { $0.analysis == nil && $0.methods == ["gi_imitation"] }
        let summary = try Runner(store: store, executor: executor, provenance: RunsFixture.provenance()).run(plan)
        let table = plan.tables[0]
        let none = try #require(Self.cellRuns(table, "none", "features")[1].flatMap { plan.run($0) })
        let context = try #require(executor.contexts[none.id])
        #expect(context.subjectArtifacts["checkpoint"] == (try store.state(none.subjectID!)).artifacts["checkpoint"])
        #expect(context.teacherArtifacts["checkpoint"] == (try store.state(none.teacherID!)).artifacts["checkpoint"])
        #expect(context.subjectArtifacts["checkpoint"] != nil && context.teacherArtifacts["checkpoint"] != nil)
        let gi = try #require(Self.cellRuns(table, "gi", "features")[1])
        #expect(!executor.executed.contains(gi))
        let blocked = summary.outcomes.first { $0.run.id == gi }
        guard case let .blocked(reason)? = blocked?.outcome else { Issue.record("the GI analysis must be blocked"); return }
        #expect(reason.hasPrefix("analysed run "))
        let measured = try store.measuredTables(plan, support: SupportCheck(executor: executor))[0]
        guard case let .failed(why)? = measured.cells[CellReference(row: "gi", column: "features")]?.status else {
            Issue.record("the GI cell must read failed"); return
        }
        #expect(why.contains("analysed run"))

        // Second sitting: completed analyses are cached, and their subjects are not retrained even
        // if their checkpoints were gone.
        let again = FakeExecutor()
        for id in [none.subjectID!] { try FileManager.default.removeItem(at: try store.state(id).artifacts["checkpoint"]!) }
        _ = try Runner(store: store, executor: again, provenance: RunsFixture.provenance()).run(plan)
        #expect(!again.executed.contains(none.id) && !again.executed.contains(none.subjectID!))
        #expect(again.executed.contains(gi))  // the GI student is retried, then its analysis runs
    }

    /// An analysis run that completed without a Pearson metric because every (image, level) pair
    /// had a constant tensor: the cell says "r undefined" and shows no number, never a partial
    /// mean over the other seeds (read as "still running") nor "not reported by the trainer".
    @Test func undefinedCorrelationIsNeitherPartialNorUnreported() throws {
        let plan = try Self.ldPlan(["table7"], scale: .smoke, seeds: 2)
        let store = try RunsFixture.temporaryStore()
        let executor = FakeExecutor()
        let defined: [String: Double] = ["pearson_features": 0.25, "pearson_bbox_logits": 0.9, "pearson_images": 8]
        let constantFeatures: [String: Double] = ["pearson_bbox_logits": 0.9, "pearson_images": 8,
                                                  "pearson_undefined_feature_pairs": 40, "pearson_undefined_box_pairs": 0]
        executor.metrics = { spec in
            guard spec.analysis != nil else { return nil }
            switch spec.methods {
            case []: return spec.seed == 2 ? constantFeatures : defined           // "none": one seed undefined
            case ["gi_imitation"]: return constantFeatures                      // "gi": every seed
            case let methods where !methods.contains("gi_imitation"):           // "ours": seed 2 lacks it, no reason
                return spec.seed == 2 ? ["pearson_bbox_logits": 0.9, "pearson_images": 8] : defined
            default: return defined
            }
        }
        let summary = try Runner(store: store, executor: executor, provenance: RunsFixture.provenance()).run(plan)
        #expect(summary.failures.isEmpty)
        let measured = try store.measuredTables(plan, support: SupportCheck(executor: executor))[0]
        func status(_ cell: String) -> CellStatus? { measured.cells[CellReference(cell)!]?.status }

        guard case let .failed(none)? = status("none.features") else {
            Issue.record("one undefined seed must not leave a partial cell: \(String(describing: status("none.features")))"); return
        }
        #expect(none.hasPrefix("seed 2: run ") && none.contains("r undefined: constant tensors in every (image, level) pair (40 pairs)"),
                "\(none)")
        #expect(!none.contains("seed 1"))
        #expect(measured.measurement(CellReference("none.features")!).summary == nil)  // no number shown
        guard case let .failure(blocker) = measured.usableSamples(CellReference("none.features")!) else {
            Issue.record("an undefined r cannot be compared"); return
        }
        #expect(blocker.verdict == .failed && blocker.reason.contains("r undefined"))
        #expect(status("none.bbox_logits") == .measured)

        guard case let .failed(gi)? = status("gi.features") else {
            Issue.record("every seed undefined must not read 'not reported': \(String(describing: status("gi.features")))"); return
        }
        #expect(gi.contains("seed 1: ") && gi.contains("seed 2: ") && gi.contains("r undefined"), "\(gi)")

        guard case let .failed(ours)? = status("ours.features") else {
            Issue.record("a completed seed without the metric must not leave a partial cell"); return
        }
        #expect(ours.hasSuffix("completed without reporting pearson_features") && ours.hasPrefix("seed 2: "), "\(ours)")
        #expect(status("ours-gi.features") == .measured)
    }

    /// Smoke scale, end to end through the runner and the real executor: a GFL R-18-analogue
    /// baseline and its R-34-analogue teacher are trained, then the analysis run loads both
    /// checkpoints and records both correlations; the baseline's own record has none.
    @Test func executorRecordsBothCorrelationsAtSmokeScale() throws {
        let yaml = """
            paper: {key: ld, arxiv: "2204.05957", title: "Localization Distillation for Object Detection"}
            table: "7"
            caption: "fixture"
            source: "test"
            setting:
              dataset: coco
              split: val2017
              schedule: 1x
              detector: gfl
              student: {backbone: resnet18}
              teacher: {detector: gfl, backbone: resnet34, schedule: 1x}
            columns:
              - {key: AP, metric: AP}
              - {key: features, metric: pearson_features}
              - {key: bbox_logits, metric: pearson_bbox_logits}
            rows:
              - key: none
                label: "w/o distillation"
                values: {features: -0.0042, bbox_logits: 0.9222}
            """
        let table = try RunsFixture.distillationTable(yaml, id: "7")
        let store = try RunsFixture.temporaryStore()
        let plan = Planner.plan([table], scale: .smoke, seeds: 1)
        #expect(plan.runs.count == 3)
        let summary = try Runner(store: store, executor: DetectorRunExecutor(), provenance: RunsFixture.provenance()).run(plan)
        #expect(summary.failures.isEmpty, "\(summary.failures)")
        let measured = try store.measuredTables(plan, support: SupportCheck(executor: DetectorRunExecutor()))[0]
        for column in ["features", "bbox_logits"] {
            let cell = try #require(measured.cells[CellReference(row: "none", column: column)])
            #expect(cell.status == .measured)
            let r = try #require(cell.samples[1])
            #expect(r >= -1 && r <= 1)
        }
        let analysisID = try #require(Self.cellRuns(plan.tables[0], "none", "features")[1])
        let analysis = try store.state(analysisID)
        #expect(analysis.metrics["pearson_images"] == 8)  // the smoke split's 8 images
        #expect(analysis.metrics["train_hours"] == nil)
        let subject = try store.state(try #require(plan.run(analysisID)?.subjectID))
        #expect(subject.metrics["AP"] != nil && subject.metrics["pearson_features"] == nil)
    }
}
