import GRDB

/// Where an attempt is in its life. Only `planned` and `running` ever change.
public enum AttemptStatus: String, Codable, Sendable, CaseIterable {
    case planned, running, completed, failed
    case notImplemented = "not_implemented"

    public var isFinished: Bool { self == .completed || self == .failed || self == .notImplemented }
}

/// A row of `runs`: one attempt at one run.
public struct AttemptRecord: Codable, Hashable, Sendable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "runs"

    public var attempt: String
    public var id: String
    public var spec: String
    public var scale: String
    public var seed: Int
    public var teacher: String?
    public var status: AttemptStatus
    public var reason: String?
    public var createdAt: Double
    public var startedAt: Double?
    public var finishedAt: Double?
    public var heartbeatAt: Double?
    /// The executor's measured time; for an attempt found interrupted, the time from its start to
    /// its last heartbeat (what it is known to have run), so run-time sums count it.
    public var seconds: Double?
    public var codeVersion: String?
    public var codeDirty: Bool?
    public var host: String?
    public var pid: Int?
    public var blasCore: String?
    public var blasThreads: Int?
    public var kernelThreads: Int?

    enum CodingKeys: String, CodingKey {
        case attempt, id, spec, scale, seed, teacher, status, reason
        case createdAt = "created_at", startedAt = "started_at", finishedAt = "finished_at"
        case heartbeatAt = "heartbeat_at", seconds
        case codeVersion = "code_version", codeDirty = "code_dirty", host, pid
        case blasCore = "blas_core", blasThreads = "blas_threads", kernelThreads = "kernel_threads"
    }

    mutating func stamp(_ provenance: Provenance) {
        codeVersion = provenance.codeVersion
        codeDirty = provenance.codeDirty
        host = provenance.host
        pid = provenance.pid
        blasCore = provenance.blasCore
        blasThreads = provenance.blasThreads
        kernelThreads = provenance.kernelThreads
    }
}

/// A row of `metrics`.
public struct MetricRecord: Codable, Hashable, Sendable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "metrics"
    public var attempt: String
    public var name: String
    public var value: Double
    public var step: Int
}

/// A row of `artifacts`. Paths inside the store's directory are kept relative to it, so a store
/// and its `work/` directory can move (or be imported elsewhere) together.
public struct ArtifactRecord: Codable, Hashable, Sendable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "artifacts"
    public var attempt: String
    public var kind: String
    public var path: String
    public var sha256: String?
}
