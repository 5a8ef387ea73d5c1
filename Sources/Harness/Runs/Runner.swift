import Foundation

/// Executes a plan's runs in dependency order. Completed runs are skipped (the store is the
/// cache); each result is committed the moment its run ends; a failing run is recorded with its
/// reason and only the runs depending on it are skipped. Killed and restarted, it continues: the
/// interrupted attempt is marked failed ("interrupted") and the run starts again from the latest
/// checkpoint in its work directory.
public final class Runner {
    let store: RunStore
    let executor: any RunExecutor
    let provenance: Provenance
    let events: (RunnerEvent) -> Void
    /// Seconds between heartbeats of a running attempt (so other hosts can tell it is alive).
    var heartbeatInterval: Double = 60

    public init(store: RunStore, executor: any RunExecutor, provenance: Provenance,
                events: @escaping (RunnerEvent) -> Void = { _ in }) {
        self.store = store
        self.executor = executor
        self.provenance = provenance
        self.events = events
    }

    public func run(_ plan: Plan) throws -> RunnerSummary {
        let support = SupportCheck(executor: executor)
        var estimate = RunTimeEstimate(history: try store.completedTimings(scale: plan.scale))
        let states = try store.states(plan.runs.map(\.id))
        let toExecute = Self.runsToExecute(plan, states: states, support: support)
        try store.recordPlanned(plan.runs.filter { toExecute.contains($0.id) })

        var summary = RunnerSummary()
        var unavailable: [String: String] = [:]  // run id → why its students cannot start
        let pending = plan.runs.filter { toExecute.contains($0.id) }
        var index = 0

        for run in plan.runs {
            func finish(_ outcome: RunOutcome) {
                summary.outcomes.append((run, outcome))
                events(.finished(run: run, outcome: outcome))
                switch outcome {
                case .cached, .completed: break
                case let .failed(reason), let .notImplemented(reason), let .blocked(reason), let .runningElsewhere(reason):
                    unavailable[run.id] = reason
                }
            }
            if case let .notImplemented(reason) = support.support(run.spec) {
                try store.recordNotImplemented(run, reason: reason, provenance: provenance)
                finish(.notImplemented(reason))
                continue
            }
            guard toExecute.contains(run.id) else { finish(.cached); continue }
            index += 1
            // Re-estimated at every run: the measured throughput improves as runs complete.
            let runEstimate = estimate.seconds(run.spec)
            let remaining = pending[(index - 1)...].map { estimate.seconds($0.spec) }.reduce(0, +)
            if let subjectID = run.subjectID, let why = unavailable[subjectID] {
                finish(.blocked("analysed run \(shortRunID(subjectID)): \(why)"))
                continue
            }
            if let teacherID = run.teacherID, let why = unavailable[teacherID] {
                finish(.blocked("teacher \(shortRunID(teacherID)): \(why)"))
                continue
            }
            let outcome = try execute(run, index: index, total: pending.count, estimate: runEstimate,
                                      remaining: remaining, estimator: &estimate)
            finish(outcome)
        }
        return summary
    }

    /// The runs this invocation executes: those without a completed attempt that measure a cell
    /// or that a student still to run depends on (a teacher whose students are all not
    /// implemented is not trained for nothing), plus completed teachers whose artifacts are gone
    /// (a record imported from another machine) while such a student needs them. An analysis run
    /// still to run needs its subject the same way (its checkpoint, retrained if gone).
    static func runsToExecute(_ plan: Plan, states: [String: RunState], support: SupportCheck) -> Set<String> {
        var needed: Set<String> = []
        var studentsNeed: Set<String> = []
        for run in plan.runs.reversed() {  // students before their teachers
            guard case .supported = support.support(run.spec) else { continue }
            let state = states[run.id] ?? .empty
            let forItsCells = !run.uses.isEmpty && state.completed == nil
            let forStudents = studentsNeed.contains(run.id) && (state.completed == nil || artifactsMissing(state))
            if forItsCells || forStudents {
                needed.insert(run.id)
                studentsNeed.formUnion(run.dependencies)
            }
        }
        return needed
    }

    static func artifactsMissing(_ state: RunState) -> Bool {
        state.artifacts.values.contains { !FileManager.default.fileExists(atPath: $0.path) }
    }

    private func execute(_ run: PlannedRun, index: Int, total: Int, estimate runEstimate: Double,
                         remaining: Double, estimator: inout RunTimeEstimate) throws -> RunOutcome {
        let attempt: String
        let interrupted: AttemptRecord?
        // Completed now: either it was planned again because its artifacts are gone, or another
        // process completed it meanwhile (then its artifacts are there and it is cached).
        let current = try store.state(run.id)
        if current.completed != nil, !Self.artifactsMissing(current) { return .cached }
        switch try store.begin(run, provenance: provenance, again: current.completed != nil) {
        case .alreadyCompleted:
            return .cached
        case let .runningElsewhere(other):
            return .runningElsewhere("running in process \(other.pid.map(String.init) ?? "?") on \(other.host ?? "?")")
        case let .started(id, previous):
            attempt = id
            interrupted = previous
        }

        let work = store.workDirectory(for: run.id)
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        let teacherArtifacts: [String: URL], subjectArtifacts: [String: URL]
        // A checkpoint rewritten since its run completed would make this run read other weights
        // than the ones its metrics were measured with.
        var changed: [String] = []
        func artifacts(of id: String?, role: String) throws -> [String: URL] {
            guard let id else { return [:] }
            let state = try self.store.state(id)
            changed += state.changedArtifacts().map { "the \(role) run \(id.prefix(12))'s \($0) \(state.artifacts[$0]!.path)" }
            return state.artifacts
        }
        teacherArtifacts = try artifacts(of: run.teacherID, role: "teacher")
        subjectArtifacts = try artifacts(of: run.subjectID, role: "analysed")
        // Resume only what a kill interrupted. A run that failed starts afresh: its checkpoints
        // may come from the code or the state that made it fail.
        let resume = interrupted == nil ? nil : RunCheckpoints.latest(in: work)
        events(.started(index: index, total: total, run: run, estimatedSeconds: runEstimate,
                        remainingSeconds: remaining, resumingFrom: resume?.lastPathComponent))

        let start = Date()
        var lastHeartbeat = start
        let store = self.store, events = self.events, heartbeatInterval = self.heartbeatInterval
        let context = RunContext(workDirectory: work, teacherArtifacts: teacherArtifacts, progress: { progress in
            let now = Date()
            let elapsed = now.timeIntervalSince(start)
            // Measured speed of this run once it has made progress; the estimate before that.
            let done = Double(max(0, progress.iteration))
            let left = progress.total > 0 && done > 0
                ? elapsed / done * Double(max(0, progress.total - progress.iteration))
                : max(0, runEstimate - elapsed)
            events(.progress(index: index, total: total, run: run, progress: progress, elapsed: elapsed,
                             runSecondsLeft: left, totalSecondsLeft: left + remaining - runEstimate))
            if now.timeIntervalSince(lastHeartbeat) >= heartbeatInterval {
                lastHeartbeat = now
                try? store.heartbeat(attempt)
            }
        }, resumeCheckpoint: resume, cacheDirectory: store.cacheRoot, subjectArtifacts: subjectArtifacts)

        var result: RunResult
        do {
            if !changed.isEmpty {
                throw RunFailure.other(changed.joined(separator: "; ") + " no longer has the SHA-256 recorded when that run completed (changed or unreadable); delete the file to have that run redone, or restore it")
            }
            result = try executor.execute(run.spec, context: context)
            if let bad = result.metrics.first(where: { !$0.value.isFinite }) {
                throw RunFailure.other("metric \(bad.key) is \(bad.value)")
            }
        } catch {
            let reason = (error as? RunFailure)?.description ?? String(describing: error)
            try store.fail(attempt, reason: reason, seconds: Date().timeIntervalSince(start))
            return .failed(reason)
        }
        // Measured, not invented: the attempt's own wall-clock time (an analysis run trains nothing).
        if result.metrics["train_hours"] == nil, run.spec.analysis == nil { result.metrics["train_hours"] = result.seconds / 3600 }
        try store.complete(attempt, result: result, step: run.spec.schedule.iterations)
        estimator.record(run.spec, seconds: result.seconds)
        return .completed(seconds: result.seconds)
    }
}
