import Foundation
import Testing
@testable import Harness

/// Tables → runs: teachers as dependencies, ordered before their students; teacher rows; columns
/// reported only; settings that cannot become a run.
@Suite struct PlannerTests {
    func plan(seeds: Int = 2) throws -> (Plan, TablePlan) {
        let plan = Planner.plan([try RunsFixture.distillationTable()], scale: .small, seeds: seeds)
        return (plan, try #require(plan.tables.first))
    }

    func runs(_ table: TablePlan, _ row: String, _ column: String = "AP") -> [Int: String] {
        if case let .runs(_, seeds) = table.cells[CellReference(row: row, column: column)] { return seeds }
        return [:]
    }

    @Test func distilledRunsDependOnTheirTeacherAndComeAfterIt() throws {
        let (plan, table) = try plan()
        let order = Dictionary(uniqueKeysWithValues: plan.runs.enumerated().map { ($1.id, $0) })
        for seed in [1, 2] {
            let student = try #require(runs(table, "r18-ld")[seed].flatMap { plan.run($0) })
            let teacherID = try #require(student.teacherID)
            let teacher = try #require(plan.run(teacherID))
            #expect(teacher.spec.distillation.isEmpty)
            #expect(teacher.spec.teacher == nil)
            #expect(teacher.spec.backbone.name == "resnet101")
            #expect(teacher.spec.schedule.epochs == 24)
            #expect(teacher.spec.scale == .small)
            #expect(teacher.isTeacher)
            #expect(order[teacherID]! < order[student.id]!)
        }
    }

    @Test func everyTeacherPrecedesItsStudents() throws {
        let catalog = try TableCatalog.load(from: RunsFixture.tablesDirectory)
        let plan = Planner.plan(catalog.tables, scale: .small, seeds: 3)
        var seen: Set<String> = []
        for run in plan.runs {
            if let teacher = run.teacherID { #expect(seen.contains(teacher), "\(run.spec.summary) before its teacher") }
            seen.insert(run.id)
        }
        #expect(seen.count == plan.runs.count)
    }

    /// One teacher per seed: the seed-s student learns from the seed-s teacher, and every student
    /// of that seed shares it.
    @Test func teachersArePerSeedAndShared() throws {
        let (plan, table) = try plan(seeds: 3)
        for seed in 1...3 {
            let r18 = try #require(runs(table, "r18-ld")[seed].flatMap { plan.run($0) })
            let r34 = try #require(runs(table, "r34-ld")[seed].flatMap { plan.run($0) })
            #expect(r18.teacherID == r34.teacherID)
            #expect(r18.spec.teacher?.seed == seed)
        }
        #expect(Set(plan.runs.filter(\.isTeacher).map(\.id)).count == 3)
    }

    @Test func baselinesTrainWithoutTheTablesTeacher() throws {
        let (plan, table) = try plan()
        let baseline = try #require(runs(table, "r18")[1].flatMap { plan.run($0) })
        #expect(baseline.teacherID == nil)
        #expect(baseline.spec.teacher == nil)
    }

    @Test func teacherRowIsTheTeacherRunItself() throws {
        let (plan, table) = try plan()
        let student = try #require(runs(table, "r18-ld")[2].flatMap { plan.run($0) })
        #expect(runs(table, "teacher")[2] == student.teacherID)
    }

    @Test func reportedOnlyColumnsHaveNoRun() throws {
        let (_, table) = try plan()
        #expect(table.cells[CellReference(row: "r18", column: "Params")] == .notMeasured)
        #expect(table.cells[CellReference(row: "teacher", column: "Params")] == .notMeasured)
    }

    @Test func backboneWithoutAnalogueIsNotImplementedWithItsName() throws {
        let (_, table) = try plan()
        guard case let .notImplemented(reason) = table.cells[CellReference(row: "swin", column: "AP")] else {
            Issue.record("swin_t resolved to a run"); return
        }
        #expect(reason.contains("swin_t"))
    }

    /// An `unresolved:` row runs nothing: each measured cell says why, and the plan has no run
    /// for it (its placeholder terms would otherwise add an LD-only run); an empty reason is an
    /// error of the table.
    @Test func unresolvedRowRunsNothing() throws {
        let star = "  - key: r18-star\n    label: \"R-18* + LD\"\n"
            + "    distillation: [{method: ld, region: main, temperature: 10}]\n"
            + "    unresolved: \"the asterisk is undefined\"\n    values: {AP: 37.1}\n"
        let yaml = RunsFixture.distillationYAML.replacingOccurrences(of: "  - key: r34\n", with: star + "  - key: r34\n")
        #expect(yaml != RunsFixture.distillationYAML)
        let table = try RunsFixture.distillationTable(yaml)
        #expect(table.rows.contains { $0.key == "r18-star" && $0.unresolved == "the asterisk is undefined" })
        let plan = Planner.plan([table], scale: .small, seeds: 1)
        let cells = plan.tables[0].cells
        #expect(cells[CellReference(row: "r18-star", column: "AP")] == .notImplemented("unresolved row: the asterisk is undefined"))
        #expect(cells[CellReference(row: "r18-star", column: "Params")] == .notMeasured)
        #expect(throws: (any Error).self) {
            try RunsFixture.distillationTable(yaml.replacingOccurrences(of: "\"the asterisk is undefined\"", with: "\" \""))
        }
        let withoutField = Planner.plan([try RunsFixture.distillationTable()], scale: .small, seeds: 1)
        #expect(plan.runs.map(\.spec.id) == withoutField.runs.map(\.spec.id))
    }

    @Test func runsAreSeedMajorSoEarlySeedsFinishFirst() throws {
        let (plan, _) = try plan(seeds: 3)
        let seeds = plan.runs.map(\.spec.seed)
        #expect(seeds == seeds.sorted())
    }

    /// rm Table 3: a `role: teacher` row over columns that each name their own teacher pair, and
    /// a student row whose `teacher: null` beats the column's teacher.
    @Test func realTeacherStudentMatrix() throws {
        let table = try RunsFixture.realTable("rm/table3.yaml")
        let plan = Planner.plan([table], scale: .small, seeds: 1)
        let cells = try #require(plan.tables.first).cells
        func run(_ row: String, _ column: String) -> PlannedRun? {
            if case let .runs(_, seeds) = cells[CellReference(row: row, column: column)] { return seeds[1].flatMap(plan.run) }
            return nil
        }
        let teacher = try #require(run("teacher", "r101_r50_AP"))
        #expect(teacher.spec.backbone.name == "resnet101")
        #expect(run("rm", "r101_r50_AP")?.teacherID == teacher.id)
        #expect(run("student", "r101_r50_AP")?.teacherID == nil)
        // The R-50 student of the second pair is the R-50 teacher of the first: one run.
        #expect(run("student", "r101_r50_AP")?.id == run("teacher", "r50_r18_AP")?.id)
        // MobileNetV2 at half width vs full width are different runs.
        let half = try #require(run("student", "mbv2_mbv2half_AP"))
        let full = try #require(run("teacher", "mbv2_mbv2half_AP"))
        #expect(half.spec.backbone.widthMultiplier * 2 == full.spec.backbone.widthMultiplier)
    }
}
