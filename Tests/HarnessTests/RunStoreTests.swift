import Foundation
import GRDB
import Testing
@testable import Harness

/// The SQLite run store: schema migrations, attempts that supersede instead of overwriting,
/// concurrent writers, and the JSON-lines exchange.
@Suite struct RunStoreTests {
    func completeRun(_ store: RunStore, _ spec: RunSpec, ap: Double, provenance: Provenance = RunsFixture.provenance()) throws {
        guard case let .started(attempt, _) = try store.begin(RunsFixture.plannedRun(spec), provenance: provenance) else {
            Issue.record("could not start"); return
        }
        try store.complete(attempt, result: RunResult(metrics: ["AP": ap], seconds: 1), step: spec.schedule.iterations)
    }

    @Test func migrationsApplyOnceAndReopenCleanly() throws {
        let store = try RunsFixture.temporaryStore()
        #expect(try store.appliedMigrations() == ["v1: runs, metrics, artifacts"])
        let reopened = try RunStore(file: store.file)
        #expect(try reopened.appliedMigrations() == ["v1: runs, metrics, artifacts"])
        let journal = try store.database.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
        #expect(journal == "wal")
    }

    @Test func aRerunSupersedesWithoutOverwriting() throws {
        let store = try RunsFixture.temporaryStore()
        let spec = RunsFixture.spec()
        try completeRun(store, spec, ap: 30)
        // A later completed attempt wins; the first stays in the store.
        try store.database.write { db in
            try db.execute(sql: "INSERT INTO runs (attempt, id, spec, scale, seed, status, created_at, started_at) VALUES ('second', ?, ?, 'smoke', 1, 'running', 1e12, 1e12)",
                           arguments: [spec.id, spec.canonicalJSON])
        }
        try store.complete("second", result: RunResult(metrics: ["AP": 31], seconds: 1), step: 8)
        let state = try store.state(spec.id)
        #expect(state.metrics["AP"] == 31)
        #expect(try store.attempts().count == 2)
        let winners = try store.database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM latest_completed") }
        #expect(winners == 1)
    }

    @Test func finishedAttemptsAreFrozen() throws {
        let store = try RunsFixture.temporaryStore()
        try completeRun(store, RunsFixture.spec(), ap: 30)
        #expect(throws: DatabaseError.self) {
            try store.database.write { try $0.execute(sql: "UPDATE runs SET status = 'failed'") }
        }
        #expect(throws: DatabaseError.self) {
            try store.database.write { try $0.execute(sql: "DELETE FROM runs") }
        }
        #expect(throws: DatabaseError.self) {
            try store.database.write { try $0.execute(sql: "UPDATE metrics SET value = 99") }
        }
    }

    @Test func notImplementedIsRecordedOnceUntilItChanges() throws {
        let store = try RunsFixture.temporaryStore()
        let run = RunsFixture.plannedRun(RunsFixture.spec())
        try store.recordPlanned([run])
        try store.recordNotImplemented(run, reason: "detector gfl: not implemented yet", provenance: RunsFixture.provenance())
        try store.recordNotImplemented(run, reason: "detector gfl: not implemented yet", provenance: RunsFixture.provenance())
        #expect(try store.attempts().map(\.status) == [.notImplemented])
        try store.recordNotImplemented(run, reason: "method ld: not implemented yet", provenance: RunsFixture.provenance())
        #expect(try store.attempts().count == 2)
    }

    /// Two writers (separate connection pools, as two processes would have) on one file, at once:
    /// every attempt of both ends up in the store.
    @Test func concurrentWritersLoseNothing() async throws {
        let file = try RunsFixture.temporaryDirectory("concurrent").appendingPathComponent("bench.sqlite")
        let perWriter = 40
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<2 {
                group.addTask {
                    let store = try RunStore(file: file)
                    for index in 0..<perWriter {
                        let spec = RunsFixture.spec(seed: writer * 1000 + index + 1)
                        let provenance = RunsFixture.provenance(pid: 10_000 + writer)
                        guard case let .started(attempt, _) = try store.begin(RunsFixture.plannedRun(spec), provenance: provenance) else {
                            throw StoreError("not started")
                        }
                        try store.heartbeat(attempt)
                        try store.complete(attempt, result: RunResult(metrics: ["AP": Double(index), "AP50": 1], seconds: 1), step: 8)
                    }
                }
            }
            try await group.waitForAll()
        }
        let store = try RunStore(file: file)
        #expect(try store.attempts(statuses: [.completed]).count == 2 * perWriter)
        let metrics = try await store.database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM metrics") }
        #expect(metrics == 2 * perWriter * 2)
    }

    @Test func exportImportRoundTrip() throws {
        let source = try RunsFixture.temporaryStore()
        try completeRun(source, RunsFixture.spec(seed: 1), ap: 30.25)
        try completeRun(source, RunsFixture.spec(seed: 2, distilled: true), ap: 31.5)
        let run = RunsFixture.plannedRun(RunsFixture.spec(seed: 3))
        guard case let .started(failing, _) = try source.begin(run, provenance: RunsFixture.provenance()) else { return }
        try source.fail(failing, reason: "diverged at iteration 3", seconds: 2)
        try source.recordPlanned([RunsFixture.plannedRun(RunsFixture.spec(seed: 4))])  // not exported

        let exported = try source.exportJSONLines()
        #expect(exported.split(separator: "\n").count == 3)
        let target = try RunsFixture.temporaryStore()
        #expect(try target.importJSONLines(exported) == ImportSummary(imported: 3, alreadyPresent: 0))
        #expect(try target.exportJSONLines() == exported)
        #expect(try target.importJSONLines(exported) == ImportSummary(imported: 0, alreadyPresent: 3))
        #expect(try target.state(RunsFixture.spec(seed: 2, distilled: true).id).metrics["AP"] == 31.5)
    }

    @Test func importRejectsARecordWhoseIdIsNotItsSpec() throws {
        let source = try RunsFixture.temporaryStore()
        try completeRun(source, RunsFixture.spec(seed: 1), ap: 30)
        let line = try source.exportJSONLines().replacingOccurrences(of: "\"seed\":1", with: "\"seed\":7")
        let target = try RunsFixture.temporaryStore()
        #expect(throws: ImportError.self) { try target.importJSONLines(line) }
        #expect(try target.attempts().isEmpty)
    }

    @Test func artifactsInsideTheStoreAreStoredRelativeWithChecksums() throws {
        let store = try RunsFixture.temporaryStore()
        let spec = RunsFixture.spec()
        let work = store.workDirectory(for: spec.id)
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        let checkpoint = work.appendingPathComponent("final.ckpt")
        try Data("weights".utf8).write(to: checkpoint)
        guard case let .started(attempt, _) = try store.begin(RunsFixture.plannedRun(spec), provenance: RunsFixture.provenance()) else { return }
        try store.complete(attempt, result: RunResult(metrics: ["AP": 1], artifacts: ["checkpoint": checkpoint], seconds: 1), step: 8)
        let row = try store.database.read { try ArtifactRecord.fetchOne($0) }
        #expect(row?.path == "work/\(spec.id)/final.ckpt")
        #expect(row?.sha256 == "9a129038d9a00aed0cf6a7ea059ca50a813449061ab87848cf1a13eafdf33b2c")  // sha256("weights")
        #expect(try store.state(spec.id).artifacts["checkpoint"]?.path == checkpoint.path)
    }
}
