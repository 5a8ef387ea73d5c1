import Foundation
import GRDB

/// Run records as JSON lines: `bench export` writes every finished attempt (one JSON object per
/// line, with its spec, metrics and artifacts), `bench import` reads them into another store. A
/// sitting's results can so be committed as text and imported in the next sitting or on another
/// machine. Planned and running attempts are local states and are not exported.
///
/// Import is idempotent (an attempt already present is skipped) and checks that each record's id
/// is the hash of its spec, so a hand-edited record cannot pose as another run.
public struct ExportedAttempt: Codable, Sendable {
    public var attempt: AttemptRecord
    /// The spec as a JSON object (readable in diffs); its canonical text is `attempt.spec`.
    public var spec: JSONValue
    public var metrics: [ExportedMetric]
    public var artifacts: [ExportedArtifact]

    public struct ExportedMetric: Codable, Sendable {
        public var name: String
        public var value: Double
        public var step: Int
    }

    public struct ExportedArtifact: Codable, Sendable {
        public var kind: String
        public var path: String
        public var sha256: String?
    }
}

public struct ImportSummary: Equatable, Sendable, CustomStringConvertible {
    public var imported = 0
    public var alreadyPresent = 0
    public var description: String { "\(imported) attempts imported, \(alreadyPresent) already present" }
}

/// A line of an import file that cannot be taken.
public struct ImportError: Error, CustomStringConvertible, Sendable {
    public var line: Int
    public var message: String
    /// The file read, when known.
    public var file: String?

    public init(line: Int, message: String, file: String? = nil) {
        self.line = line
        self.message = message
        self.file = file
    }

    public var description: String { (file.map { "\($0):" } ?? "line ") + "\(line): \(message)" }
}

extension RunStore {
    /// Every finished attempt (optionally of one scale) as JSON lines, oldest first.
    public func exportJSONLines(scale: ScaleProfile? = nil) throws -> String {
        let finished = Set(AttemptStatus.allCases.filter(\.isFinished))
        let attempts = try self.attempts(statuses: finished, scale: scale)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try database.read { db in
            try attempts.map { attempt in
                let metrics = try MetricRecord.filter(Column("attempt") == attempt.attempt)
                    .order(Column("name"), Column("step")).fetchAll(db)
                    .map { ExportedAttempt.ExportedMetric(name: $0.name, value: $0.value, step: $0.step) }
                let artifacts = try ArtifactRecord.filter(Column("attempt") == attempt.attempt)
                    .order(Column("kind")).fetchAll(db)
                    .map { ExportedAttempt.ExportedArtifact(kind: $0.kind, path: $0.path, sha256: $0.sha256) }
                let record = ExportedAttempt(attempt: attempt, spec: try JSONValue.parse(attempt.spec),
                                             metrics: metrics, artifacts: artifacts)
                return String(decoding: try encoder.encode(record), as: UTF8.self)
            }.map { $0 + "\n" }.joined()
        }
    }

    /// Reads JSON lines written by `exportJSONLines`, in one transaction: either every line is
    /// taken or none (a malformed line is reported with its number).
    @discardableResult
    public func importJSONLines(_ text: String) throws -> ImportSummary {
        var records: [ExportedAttempt] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            let record: ExportedAttempt
            do {
                record = try JSONDecoder().decode(ExportedAttempt.self, from: Data(trimmed.utf8))
            } catch {
                throw ImportError(line: index + 1, message: "not a run record: \(error)")
            }
            let canonical = record.spec.canonicalText
            guard RunSpec.id(ofCanonicalJSON: canonical) == record.attempt.id else {
                throw ImportError(line: index + 1, message: "id \(record.attempt.id) is not the hash of its spec")
            }
            guard (try? RunSpec.decode(json: canonical)) != nil else {
                throw ImportError(line: index + 1, message: "spec is not a run spec of this version")
            }
            guard record.attempt.status.isFinished else {
                throw ImportError(line: index + 1, message: "attempt is \(record.attempt.status.rawValue), not finished")
            }
            records.append(record)
        }
        return try database.write { db in
            var summary = ImportSummary()
            for record in records {
                if try AttemptRecord.exists(db, key: record.attempt.attempt) {
                    summary.alreadyPresent += 1
                    continue
                }
                var attempt = record.attempt
                attempt.spec = record.spec.canonicalText
                try attempt.insert(db)
                for metric in record.metrics {
                    try MetricRecord(attempt: attempt.attempt, name: metric.name, value: metric.value, step: metric.step).insert(db)
                }
                for artifact in record.artifacts {
                    try ArtifactRecord(attempt: attempt.attempt, kind: artifact.kind, path: artifact.path, sha256: artifact.sha256).insert(db)
                }
                summary.imported += 1
            }
            return summary
        }
    }
}
