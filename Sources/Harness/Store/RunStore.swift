import Foundation
import GRDB

/// The run store: one SQLite file in WAL mode (GRDB `DatabasePool`). Several `bench` processes
/// may write it at once: every write is one IMMEDIATE transaction, and a writer that finds the
/// database locked waits (busy timeout) instead of failing, so nothing is lost.
public final class RunStore: Sendable {
    public let database: DatabasePool
    /// The database file.
    public let file: URL
    /// The directory holding it; artifact paths below it are stored relative to it.
    public let directory: URL

    /// Default location, relative to the current directory.
    public static let defaultRelativePath = "runs/bench.sqlite"

    /// How long a writer waits for another process's transaction before giving up.
    public static let busyTimeout: TimeInterval = 120

    /// Opens (creating if needed) the store at `file` and brings its schema up to date.
    public init(file: URL) throws {
        let file = file.standardizedFileURL
        self.file = file
        directory = file.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var configuration = Configuration()
        configuration.busyMode = .timeout(RunStore.busyTimeout)
        configuration.foreignKeysEnabled = true
        configuration.label = "bench run store"
        database = try RunStore.openRetryingWhenBusy(file.path, configuration)
        try StoreSchema.migrator.migrate(database)
    }

    /// Switching a new file to WAL needs an exclusive lock, and SQLite answers "database is
    /// locked" at once (without the busy timeout) when two processes create the store at the
    /// same moment. Found in a two-process test; retrying after a pause resolves it.
    private static func openRetryingWhenBusy(_ path: String, _ configuration: Configuration) throws -> DatabasePool {
        var attempt = 0
        while true {
            do {
                return try DatabasePool(path: path, configuration: configuration)
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY && attempt < 100 {
                attempt += 1
                Thread.sleep(forTimeInterval: 0.05 + Double.random(in: 0..<0.05))
            }
        }
    }

    /// The migrations applied so far, by name.
    public func appliedMigrations() throws -> [String] {
        try database.read { try StoreSchema.migrator.appliedMigrations($0) }
    }

    /// Where runs keep their work directories: `<store directory>/work/`.
    public var workRoot: URL { directory.appendingPathComponent("work", isDirectory: true) }

    /// What runs share and reuse (pretrained backbones): `<store directory>/cache/`.
    public var cacheRoot: URL { directory.appendingPathComponent("cache", isDirectory: true) }

    /// `<store directory>/work/<id>/`.
    public func workDirectory(for id: String) -> URL {
        workRoot.appendingPathComponent(id, isDirectory: true)
    }

    /// An artifact path as stored: relative to the store's directory when inside it.
    func storedPath(_ url: URL) -> String {
        let base = directory.standardizedFileURL.pathComponents
        let full = url.standardizedFileURL.pathComponents
        guard full.count > base.count, full.starts(with: base) else { return url.standardizedFileURL.path }
        return full.dropFirst(base.count).joined(separator: "/")
    }

    /// A stored artifact path as a URL.
    public func resolve(path: String) -> URL {
        path.hasPrefix("/") ? URL(fileURLWithPath: path) : directory.appendingPathComponent(path)
    }

    static var now: Double { Date().timeIntervalSince1970 }
}
