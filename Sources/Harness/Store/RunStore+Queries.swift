import Foundation
import GRDB

/// What the store knows about one run.
public struct RunState: Sendable {
    /// The most recent attempt of any status.
    public var latest: AttemptRecord?
    /// The winning attempt: the completed one that finished last.
    public var completed: AttemptRecord?
    /// The winning attempt's metrics (the highest step of each name).
    public var metrics: [String: Double]
    /// The winning attempt's artifacts by kind.
    public var artifacts: [String: URL]
    /// The SHA-256 recorded for each artifact file when its attempt completed.
    public var artifactChecksums: [String: String] = [:]

    public static let empty = RunState(latest: nil, completed: nil, metrics: [:], artifacts: [:])

    /// Artifacts whose file no longer has the checksum recorded with it (changed or replaced
    /// since the run that wrote it completed), by kind; missing files are not listed here.
    public func changedArtifacts() -> [String] {
        artifacts.keys.sorted().filter { kind in
            guard let recorded = artifactChecksums[kind], let url = artifacts[kind],
                  FileManager.default.fileExists(atPath: url.path) else { return false }
            return RunStore.sha256(of: url) != recorded
        }
    }
}

extension RunStore {
    public func state(_ id: String) throws -> RunState {
        try states([id])[id] ?? .empty
    }

    /// The state of each of `ids` (absent ids map to `.empty`).
    public func states(_ ids: [String]) throws -> [String: RunState] {
        let unique = Array(Set(ids))
        var result: [String: RunState] = [:]
        for id in unique { result[id] = .empty }
        try database.read { db in
            // SQLite bounds the number of bound parameters; 500 per query stays far below it.
            for start in stride(from: 0, to: unique.count, by: 500) {
                let chunk = Array(unique[start..<min(unique.count, start + 500)])
                let attempts = try AttemptRecord.filter(chunk.contains(Column("id"))).fetchAll(db)
                var winners: [String: AttemptRecord] = [:]
                for (id, group) in Dictionary(grouping: attempts, by: \.id) {
                    let latest = group.max { ($0.createdAt, $0.attempt) < ($1.createdAt, $1.attempt) }
                    let winner = group.filter { $0.status == .completed }
                        .max { ($0.finishedAt ?? 0, $0.attempt) < ($1.finishedAt ?? 0, $1.attempt) }
                    result[id] = RunState(latest: latest, completed: winner, metrics: [:], artifacts: [:])
                    if let winner { winners[winner.attempt] = winner }
                }
                let attemptIDs = Array(winners.keys)
                guard !attemptIDs.isEmpty else { continue }
                var bestStep: [String: [String: Int]] = [:]
                for metric in try MetricRecord.filter(attemptIDs.contains(Column("attempt"))).fetchAll(db) {
                    let id = winners[metric.attempt]!.id
                    if let step = bestStep[id]?[metric.name], step > metric.step { continue }
                    bestStep[id, default: [:]][metric.name] = metric.step
                    result[id]!.metrics[metric.name] = metric.value
                }
                for artifact in try ArtifactRecord.filter(attemptIDs.contains(Column("attempt"))).fetchAll(db) {
                    let id = winners[artifact.attempt]!.id
                    result[id]!.artifacts[artifact.kind] = resolve(path: artifact.path)
                    result[id]!.artifactChecksums[artifact.kind] = artifact.sha256
                }
            }
        }
        return result
    }

    /// Every attempt, oldest first (for listings and export).
    public func attempts(statuses: Set<AttemptStatus>? = nil, scale: ScaleProfile? = nil) throws -> [AttemptRecord] {
        try database.read { db in
            var request = AttemptRecord.order(Column("created_at"), Column("attempt"))
            if let statuses { request = request.filter(statuses.map(\.rawValue).contains(Column("status"))) }
            if let scale { request = request.filter(Column("scale") == scale.rawValue) }
            return try request.fetchAll(db)
        }
    }

    /// Completed attempts at `scale` with their measured seconds: the measured throughput that
    /// time estimates are corrected by.
    public func completedTimings(scale: ScaleProfile) throws -> [(spec: RunSpec, seconds: Double)] {
        try attempts(statuses: [.completed], scale: scale).compactMap { attempt in
            guard let seconds = attempt.seconds, let spec = try? RunSpec.decode(json: attempt.spec) else { return nil }
            return (spec, seconds)
        }
    }
}
