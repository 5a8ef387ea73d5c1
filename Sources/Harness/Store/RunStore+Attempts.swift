import Crypto
import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#endif

/// The life of an attempt: planned → running → completed | failed | not_implemented. Each
/// transition is one transaction, so a crash loses at most the attempt in flight, and a finished
/// attempt is never touched again.
extension RunStore {
    /// What `begin` found.
    public enum BeginOutcome: Equatable, Sendable {
        /// A new running attempt; `interrupted` is the earlier attempt that died running, if any.
        case started(attempt: String, interrupted: AttemptRecord?)
        /// Another process completed the run meanwhile.
        case alreadyCompleted
        /// Another live process is running it (same host and its pid alive, or a recent heartbeat).
        case runningElsewhere(AttemptRecord)
    }

    /// A running attempt whose process shows no sign of life for this long is abandoned.
    public static let staleAfter: TimeInterval = 15 * 60

    /// Inserts a `planned` attempt for each run that has no completed and no open attempt, so the
    /// store shows the whole plan before anything runs.
    public func recordPlanned(_ runs: [PlannedRun]) throws {
        try database.write { db in
            for run in runs {
                let open = try AttemptRecord
                    .filter(Column("id") == run.id)
                    .filter([AttemptStatus.planned.rawValue, AttemptStatus.running.rawValue, AttemptStatus.completed.rawValue]
                        .contains(Column("status")))
                    .fetchCount(db)
                if open == 0 { try RunStore.newAttempt(for: run, status: .planned).insert(db) }
            }
        }
    }

    /// Claims `run` for this process: turns its planned attempt (or a new one) into a running
    /// attempt, after marking attempts whose process died as failed ("interrupted"). With
    /// `again`, a completed run is run once more (a teacher whose checkpoint is gone); the new
    /// attempt supersedes the old one when it completes.
    public func begin(_ run: PlannedRun, provenance: Provenance, again: Bool = false) throws -> BeginOutcome {
        try database.write { db in
            let attempts = try AttemptRecord.filter(Column("id") == run.id).order(Column("created_at")).fetchAll(db)
            if !again, attempts.contains(where: { $0.status == .completed }) { return .alreadyCompleted }
            var interrupted: AttemptRecord?
            for var attempt in attempts where attempt.status == .running {
                if RunStore.isAlive(attempt, me: provenance) { return .runningElsewhere(attempt) }
                attempt.status = .failed
                attempt.reason = "interrupted: process \(attempt.pid.map(String.init) ?? "?") on \(attempt.host ?? "?") stopped"
                attempt.finishedAt = RunStore.now
                if let started = attempt.startedAt, let beat = attempt.heartbeatAt { attempt.seconds = Swift.max(0, beat - started) }
                try attempt.update(db)
                interrupted = attempt
            }
            var claimed = attempts.last(where: { $0.status == .planned }) ?? RunStore.newAttempt(for: run, status: .planned)
            let isNew = !attempts.contains { $0.attempt == claimed.attempt }
            claimed.status = .running
            claimed.startedAt = RunStore.now
            claimed.heartbeatAt = claimed.startedAt
            claimed.stamp(provenance)
            if isNew { try claimed.insert(db) } else { try claimed.update(db) }
            return .started(attempt: claimed.attempt, interrupted: interrupted)
        }
    }

    /// Marks a running attempt alive (called from progress reports, throttled by the runner).
    public func heartbeat(_ attempt: String) throws {
        try database.write { db in
            try db.execute(sql: "UPDATE runs SET heartbeat_at = ? WHERE attempt = ? AND status = 'running'",
                           arguments: [RunStore.now, attempt])
        }
    }

    /// Records a finished attempt's metrics (at `step`; its training curve at earlier steps) and
    /// artifacts and marks it completed, in one transaction. Artifact checksums are computed
    /// before the transaction opens.
    public func complete(_ attempt: String, result: RunResult, step: Int) throws {
        let artifacts = result.artifacts.sorted { $0.key < $1.key }.map { kind, url in
            ArtifactRecord(attempt: attempt, kind: kind, path: storedPath(url), sha256: RunStore.sha256(of: url))
        }
        try database.write { db in
            for (name, value) in result.metrics.sorted(by: { $0.key < $1.key }) {
                try MetricRecord(attempt: attempt, name: name, value: value, step: step).insert(db)
            }
            for (at, metrics) in result.curve.sorted(by: { $0.key < $1.key }) where at < step {
                for (name, value) in metrics.sorted(by: { $0.key < $1.key }) {
                    try MetricRecord(attempt: attempt, name: name, value: value, step: at).insert(db)
                }
            }
            for artifact in artifacts { try artifact.insert(db) }
            try RunStore.finish(attempt, status: .completed, reason: nil, seconds: result.seconds, in: db)
        }
    }

    /// Marks a running attempt failed with `reason`.
    public func fail(_ attempt: String, reason: String, seconds: Double?) throws {
        try database.write { db in
            try RunStore.finish(attempt, status: .failed, reason: reason, seconds: seconds, in: db)
        }
    }

    /// Records that the executor cannot run `run`: its planned attempt becomes not_implemented,
    /// or a new attempt is inserted, unless the latest attempt already says the same.
    public func recordNotImplemented(_ run: PlannedRun, reason: String, provenance: Provenance) throws {
        try database.write { db in
            let attempts = try AttemptRecord.filter(Column("id") == run.id).order(Column("created_at")).fetchAll(db)
            if let last = attempts.last(where: { $0.status.isFinished }), last.status == .notImplemented,
               last.reason == reason, !attempts.contains(where: { $0.status == .planned }) {
                return
            }
            var record = attempts.last(where: { $0.status == .planned }) ?? RunStore.newAttempt(for: run, status: .planned)
            let isNew = !attempts.contains { $0.attempt == record.attempt }
            record.status = .notImplemented
            record.reason = reason
            record.finishedAt = RunStore.now
            record.stamp(provenance)
            if isNew { try record.insert(db) } else { try record.update(db) }
        }
    }

    static func newAttempt(for run: PlannedRun, status: AttemptStatus) -> AttemptRecord {
        AttemptRecord(attempt: UUID().uuidString.lowercased(), id: run.id, spec: run.spec.canonicalJSON,
                      scale: run.spec.scale.rawValue, seed: run.spec.seed, teacher: run.teacherID, status: status,
                      createdAt: now)
    }

    private static func finish(_ attempt: String, status: AttemptStatus, reason: String?, seconds: Double?,
                               in db: Database) throws {
        try db.execute(sql: """
            UPDATE runs SET status = ?, reason = ?, seconds = ?, finished_at = ?
            WHERE attempt = ? AND status = 'running'
            """, arguments: [status.rawValue, reason, seconds, now, attempt])
        guard db.changesCount == 1 else {
            throw StoreError("attempt \(attempt) is not running; cannot mark it \(status.rawValue)")
        }
    }

    /// A running attempt is alive when its process exists (same host: the pid answers signal 0)
    /// or, on another host, when its heartbeat is recent.
    static func isAlive(_ attempt: AttemptRecord, me: Provenance) -> Bool {
        if attempt.host == me.host, let pid = attempt.pid {
            if pid == me.pid { return false }  // this process never runs one run twice at once
            #if canImport(Glibc)
            return kill(pid_t(pid), 0) == 0 || errno == EPERM
            #else
            return true
            #endif
        }
        let lastSign = attempt.heartbeatAt ?? attempt.startedAt ?? attempt.createdAt
        return now - lastSign < staleAfter
    }

    /// SHA-256 of a file, streamed; nil for a directory or an unreadable file.
    static func sha256(of url: URL) -> String? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue,
              let handle = try? FileHandle(forReadingFrom: url) else { return nil }
        defer { try? handle.close() }
        var hasher = SHA256()
        do {
            // `read(upToCount:)` answers nil or empty data at the end, depending on the platform.
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                hasher.update(data: chunk)
            }
        } catch {
            return nil
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}

/// A store operation that cannot be done (a programming error or a foreign database).
public struct StoreError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
