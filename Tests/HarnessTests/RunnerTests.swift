import Foundation
import Testing
@testable import Harness

/// Stands in for the trainer: completes runs with made-up metrics, fails or refuses the runs it
/// is told to, and remembers what it was given.
final class FakeExecutor: RunExecutor {
    var fails: (RunSpec) -> Bool = { _ in false }
    var refuses: (RunSpec) -> String? = { _ in nil }
    /// The metrics a run records instead of the default AP/AP50, when non-nil.
    var metrics: (RunSpec) -> [String: Double]? = { _ in nil }
    private(set) var executed: [String] = []
    private(set) var contexts: [String: RunContext] = [:]

    func support(_ spec: RunSpec) -> Support {
        refuses(spec).map { .notImplemented($0) } ?? .supported
    }

    func execute(_ spec: RunSpec, context: RunContext) throws -> RunResult {
        executed.append(spec.id)
        contexts[spec.id] = context
        let total = spec.schedule.iterations
        context.progress(RunProgress(iteration: total / 2, total: total, message: "loss 1.0"))
        if fails(spec) { throw RunFailure.diverged(iteration: 3, detail: "loss is nan") }
        try FileManager.default.createDirectory(at: RunCheckpoints.directory(in: context.workDirectory), withIntermediateDirectories: true)
        let checkpoint = RunCheckpoints.url(in: context.workDirectory, iteration: total)
        try Data(spec.id.utf8).write(to: checkpoint)
        context.progress(RunProgress(iteration: total, total: total))
        let ap = Double(spec.backbone.depth ?? 0) / 10 + Double(spec.seed) / 100 + (spec.distillation.isEmpty ? 0 : 1)
        return RunResult(metrics: metrics(spec) ?? ["AP": ap, "AP50": ap + 20], artifacts: ["checkpoint": checkpoint], seconds: 0.01)
    }
}

@Suite struct RunnerTests {
    let table: TableSpec
    let store: RunStore

    init() throws {
        table = try RunsFixture.distillationTable()
        store = try RunsFixture.temporaryStore()
    }

    func plan(seeds: Int = 2) -> Plan { Planner.plan([table], scale: .smoke, seeds: seeds) }

    func run(_ executor: FakeExecutor, _ plan: Plan, provenance: Provenance = RunsFixture.provenance()) throws -> RunnerSummary {
        try Runner(store: store, executor: executor, provenance: provenance).run(plan)
    }

    func cell(_ tables: [MeasuredTable], _ row: String, _ column: String = "AP") -> MeasuredCell? {
        tables.first?.cells[CellReference(row: row, column: column)]
    }

    static func isR34Baseline(_ spec: RunSpec) -> Bool { spec.backbone.name == "resnet34" && spec.distillation.isEmpty }

    @Test func completesSomeFailsOneAndRefusesOthers() throws {
        let executor = FakeExecutor()
        executor.fails = Self.isR34Baseline
        executor.refuses = { $0.backbone.name == "resnet34" && !$0.distillation.isEmpty ? "method ld: not implemented yet" : nil }
        let plan = plan()
        let summary = try run(executor, plan)

        #expect(summary.failures.count == 2)
        #expect(summary.failures.allSatisfy { $0.reason == "diverged at iteration 3: loss is nan" })
        #expect(summary.count { if case .notImplemented = $0 { return true }; return false } == 2)
        #expect(summary.count { if case .completed = $0 { return true }; return false } == 6)
        #expect(summary.hasFailures)

        let tables = try store.measuredTables(plan, support: SupportCheck(executor: executor))
        #expect(cell(tables, "r18")?.status == .measured)
        #expect(cell(tables, "r18")?.samples.keys.sorted() == [1, 2])
        #expect(cell(tables, "r18-ld", "AP50")?.status == .measured)
        #expect(cell(tables, "teacher")?.status == .measured)
        guard case let .failed(reason) = cell(tables, "r34")?.status else { Issue.record("r34 not failed"); return }
        #expect(reason.contains("diverged at iteration 3"))
        #expect(cell(tables, "r34-ld")?.status == .notImplemented(reason: "method ld: not implemented yet"))
        #expect(cell(tables, "r34-ld")?.samples.isEmpty == true)
        guard case .notImplemented = cell(tables, "swin")?.status else { Issue.record("swin not 'not implemented'"); return }
        #expect(cell(tables, "r18", "Params")?.status == .notMeasured)
        let single = try store.measuredTable(table, scale: .smoke, seeds: 2, executor: executor)
        #expect(single.cells == tables[0].cells)

        // Again, with the failure fixed: only the failed runs execute (from scratch, although a
        // checkpoint lies in their work directory); everything else is cached.
        let failed = try #require(summary.failures.first?.run)
        let failedWork = store.workDirectory(for: failed.id)
        try FileManager.default.createDirectory(at: RunCheckpoints.directory(in: failedWork), withIntermediateDirectories: true)
        try Data().write(to: RunCheckpoints.url(in: failedWork, iteration: 2))
        let fixed = FakeExecutor()
        fixed.refuses = executor.refuses
        let again = try run(fixed, plan)
        #expect(fixed.executed.count == 2)
        #expect(fixed.contexts[failed.id] != nil && fixed.contexts[failed.id]?.resumeCheckpoint == nil)
        #expect(again.count { $0 == .cached } == 6)
        #expect(!again.hasFailures)
        #expect(try store.measuredTables(plan, support: SupportCheck(executor: fixed)).first?
            .cells[CellReference(row: "r34", column: "AP")]?.status == .measured)
    }

    @Test func aFailedTeacherBlocksOnlyItsStudents() throws {
        let executor = FakeExecutor()
        executor.fails = { $0.backbone.name == "resnet101" }
        let plan = plan(seeds: 1)
        let summary = try run(executor, plan)
        #expect(summary.failures.count == 1)
        #expect(summary.blocked.count == 2)
        #expect(summary.blocked.allSatisfy { $0.reason.contains("diverged") })
        #expect(summary.count { if case .completed = $0 { return true }; return false } == 2)  // both baselines
        let tables = try store.measuredTables(plan, support: SupportCheck(executor: executor))
        guard case let .failed(reason) = cell(tables, "r18-ld")?.status else { Issue.record("student not failed"); return }
        #expect(reason.contains("teacher"))
    }

    @Test func studentsGetTheirTeachersCheckpoint() throws {
        let executor = FakeExecutor()
        let plan = plan(seeds: 1)
        _ = try run(executor, plan)
        let student = try #require(plan.runs.first { !$0.spec.distillation.isEmpty })
        let teacherCheckpoint = try #require(executor.contexts[student.id]?.teacherArtifacts["checkpoint"])
        #expect(try String(contentsOf: teacherCheckpoint, encoding: .utf8) == student.teacherID)
        #expect(executor.contexts[student.id]?.workDirectory == store.workDirectory(for: student.id))
    }

    /// A process killed mid-run leaves a running attempt and checkpoints; the next invocation
    /// marks the attempt interrupted and resumes from the latest checkpoint.
    @Test func resumesAfterAKill() throws {
        let plan = plan(seeds: 1)
        let victim = try #require(plan.runs.first { $0.spec.backbone.name == "resnet18" && $0.spec.distillation.isEmpty })
        let dead = try deadPID()
        guard case .started = try store.begin(victim, provenance: RunsFixture.provenance(pid: dead)) else {
            Issue.record("could not start the victim"); return
        }
        let work = store.workDirectory(for: victim.id)
        try FileManager.default.createDirectory(at: RunCheckpoints.directory(in: work), withIntermediateDirectories: true)
        for iteration in [2, 4] { try Data().write(to: RunCheckpoints.url(in: work, iteration: iteration)) }
        // Its last sign of life came 123 s after it started.
        try store.database.write { db in
            try db.execute(sql: "UPDATE runs SET heartbeat_at = started_at + 123 WHERE id = ? AND status = 'running'", arguments: [victim.id])
        }

        let executor = FakeExecutor()
        let summary = try run(executor, plan)
        #expect(!summary.hasFailures)
        #expect(executor.contexts[victim.id]?.resumeCheckpoint?.lastPathComponent == "iter-00000004.ckpt")
        let attempts = try store.attempts().filter { $0.id == victim.id }
        #expect(attempts.map(\.status) == [.failed, .completed])
        #expect(attempts.first?.reason?.hasPrefix("interrupted") == true)
        #expect(attempts.first?.seconds == 123)
        // Runs that never started have no checkpoint to resume from.
        let other = try #require(plan.runs.first { $0.id != victim.id })
        #expect(executor.contexts[other.id]?.resumeCheckpoint == nil)
    }

    /// A run another live process holds is left alone, and so are its students.
    @Test func runningElsewhereIsSkipped() throws {
        let plan = plan(seeds: 1)
        let teacher = try #require(plan.runs.first { $0.isTeacher })
        let alive = Int(ProcessInfo.processInfo.processIdentifier)
        guard case .started = try store.begin(teacher, provenance: RunsFixture.provenance(pid: alive)) else { return }
        let executor = FakeExecutor()
        let summary = try run(executor, plan)
        #expect(!executor.executed.contains(teacher.id))
        #expect(summary.count { if case .runningElsewhere = $0 { return true }; return false } == 1)
        #expect(summary.blocked.count == 2)
    }

    /// Runs one seed's plan with the students refused, so that only the runs without terms (the
    /// teacher among them) complete; returns the plan and the teacher.
    func trainOnlyTheTeacher() throws -> (Plan, PlannedRun) {
        let plan = plan(seeds: 1)
        let refusing = FakeExecutor()
        refusing.refuses = { $0.distillation.isEmpty ? nil : "method ld: not implemented yet" }
        _ = try run(refusing, plan)
        let teacher = try #require(plan.runs.first { $0.isTeacher })
        #expect(refusing.executed.contains(teacher.id))
        return (plan, teacher)
    }

    /// A teacher checkpoint rewritten after its run completed is not distilled from: the student
    /// fails with a reason naming the file, and nothing is executed for it.
    @Test func aTeacherCheckpointChangedSinceItsRunFailsTheStudent() throws {
        let (plan, teacher) = try trainOnlyTheTeacher()
        let checkpoint = try #require(try store.state(teacher.id).artifacts["checkpoint"])
        #expect(try store.state(teacher.id).changedArtifacts().isEmpty)
        try Data("other weights".utf8).write(to: checkpoint)
        #expect(try store.state(teacher.id).changedArtifacts() == ["checkpoint"])

        let executor = FakeExecutor()
        let summary = try run(executor, plan)
        #expect(summary.hasFailures)
        #expect(!executor.executed.contains { id in plan.runs.contains { $0.id == id && !$0.spec.distillation.isEmpty } })
        let failed = try store.attempts(statuses: [.failed])
        #expect(failed.count == 2)
        #expect(failed.allSatisfy { $0.reason?.contains("teacher run \(teacher.id.prefix(12))'s checkpoint \(checkpoint.path)") == true })
    }

    /// Records imported from another machine come without checkpoints: a teacher whose
    /// checkpoint is gone is trained again before a student that needs it.
    @Test func aTeacherWithoutItsCheckpointIsRerunForNewStudents() throws {
        let (plan, teacher) = try trainOnlyTheTeacher()
        try FileManager.default.removeItem(at: store.workDirectory(for: teacher.id))

        let executor = FakeExecutor()
        _ = try run(executor, plan)
        #expect(executor.executed.first == teacher.id)
        #expect(executor.executed.count == 3)  // the teacher and the two students
    }

    /// A teacher that measures no cell is trained only for students that will run.
    @Test func aTeacherIsNotTrainedWhenNoStudentCanRun() throws {
        let withoutTeacherRow = RunsFixture.distillationYAML.replacingOccurrences(
            of: "  - key: teacher\n    label: \"Teacher\"\n    role: teacher\n    values: {AP: 44.7}\n", with: "")
        let plan = Planner.plan([try RunsFixture.distillationTable(withoutTeacherRow)], scale: .smoke, seeds: 1)
        let teacher = try #require(plan.runs.first { $0.isTeacher })
        #expect(teacher.uses.isEmpty)
        let refusing = FakeExecutor()
        refusing.refuses = { $0.distillation.isEmpty ? nil : "method ld: not implemented yet" }
        _ = try run(refusing, plan)
        #expect(!refusing.executed.contains(teacher.id))
        #expect(refusing.executed.count == 2)  // the two baselines
        let executor = FakeExecutor()
        _ = try run(executor, plan)
        #expect(executor.executed.first == teacher.id)
    }

    @Test func progressBarShowsIndexTotalAndTimeLeft() throws {
        var output = ""
        let bar = ProgressBar(write: { output += $0 }, isTerminal: false)
        let executor = FakeExecutor()
        _ = try Runner(store: store, executor: executor, provenance: RunsFixture.provenance(), events: bar.handle).run(plan(seeds: 1))
        #expect(output.contains("[1/5]"))
        #expect(output.contains("[5/5]"))
        #expect(output.contains("left"))
        #expect(output.contains("completed in"))
    }

    /// The pid of a process that has exited.
    func deadPID() throws -> Int {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        return Int(process.processIdentifier)
    }
}

/// Which file a restart resumes from.
@Suite struct RunCheckpointsTests {
    @Test func highestIterationWinsThenTheNewestSingleFile() throws {
        let work = try RunsFixture.temporaryDirectory("work")
        #expect(RunCheckpoints.latest(in: work) == nil)
        // A trainer that overwrites one file at every save.
        try Data().write(to: work.appendingPathComponent("final.ckpt"))
        #expect(RunCheckpoints.latest(in: work)?.lastPathComponent == "final.ckpt")
        try FileManager.default.createDirectory(at: RunCheckpoints.directory(in: work), withIntermediateDirectories: true)
        for iteration in [10, 200, 30] { try Data().write(to: RunCheckpoints.url(in: work, iteration: iteration)) }
        #expect(RunCheckpoints.latest(in: work)?.lastPathComponent == "iter-00000200.ckpt")
    }
}
