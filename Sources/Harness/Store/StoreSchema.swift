import GRDB

/// The run store's schema, as migrations: a database made by an older `bench` is upgraded in
/// place when opened, and a new migration is appended here, never edited.
///
/// - `runs`: one row per *attempt* at a run. A run (id = SHA-256 of its spec) may have many
///   attempts; nothing is overwritten: a re-run inserts a new attempt, and the latest completed
///   attempt wins. An attempt moves planned → running → completed | failed | not_implemented and
///   is frozen from then on (trigger `runs_finished_are_final`).
/// - `metrics`: (attempt, name, value, step); final metrics have step = the run's iterations.
/// - `artifacts`: (attempt, kind, path, sha256) — checkpoints, logs, detections.
/// - view `latest_completed`: the winning attempt of every run that has one.
enum StoreSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: runs, metrics, artifacts") { db in
            try db.execute(sql: """
                CREATE TABLE runs (
                    attempt TEXT PRIMARY KEY NOT NULL,      -- UUID of this attempt
                    id TEXT NOT NULL,                       -- SHA-256 of the spec's canonical JSON
                    spec TEXT NOT NULL,                     -- the canonical JSON
                    scale TEXT NOT NULL,
                    seed INTEGER NOT NULL,
                    teacher TEXT,                           -- the teacher run's id
                    status TEXT NOT NULL CHECK (status IN ('planned', 'running', 'completed', 'failed', 'not_implemented')),
                    reason TEXT,                            -- why failed / not implemented
                    created_at REAL NOT NULL,               -- Unix seconds
                    started_at REAL,
                    finished_at REAL,
                    heartbeat_at REAL,                      -- last sign of life of a running attempt
                    seconds REAL,                           -- the executor's measured time
                    code_version TEXT,                      -- git rev-parse HEAD
                    code_dirty INTEGER,                     -- uncommitted changes (1) or not (0)
                    host TEXT,
                    pid INTEGER,
                    blas_core TEXT,                         -- OpenBLAS core type: results differ in the last bits between them
                    blas_threads INTEGER,
                    kernel_threads INTEGER
                );
                CREATE INDEX runs_by_id ON runs(id, status, finished_at);
                CREATE TABLE metrics (
                    attempt TEXT NOT NULL REFERENCES runs(attempt),
                    name TEXT NOT NULL,
                    value REAL NOT NULL,
                    step INTEGER NOT NULL,
                    PRIMARY KEY (attempt, name, step)
                );
                CREATE TABLE artifacts (
                    attempt TEXT NOT NULL REFERENCES runs(attempt),
                    kind TEXT NOT NULL,
                    path TEXT NOT NULL,
                    sha256 TEXT,                            -- NULL for a directory
                    PRIMARY KEY (attempt, kind)
                );
                CREATE TRIGGER runs_finished_are_final BEFORE UPDATE ON runs
                    WHEN OLD.status IN ('completed', 'failed', 'not_implemented')
                    BEGIN SELECT RAISE(ABORT, 'a finished attempt is never changed: insert a new attempt'); END;
                CREATE TRIGGER runs_never_deleted BEFORE DELETE ON runs
                    BEGIN SELECT RAISE(ABORT, 'attempts are never deleted: a re-run supersedes'); END;
                CREATE TRIGGER metrics_never_changed BEFORE UPDATE ON metrics
                    BEGIN SELECT RAISE(ABORT, 'metrics are never changed'); END;
                CREATE TRIGGER metrics_never_deleted BEFORE DELETE ON metrics
                    BEGIN SELECT RAISE(ABORT, 'metrics are never deleted'); END;
                CREATE VIEW latest_completed AS
                    SELECT r.* FROM runs r
                    WHERE r.status = 'completed' AND NOT EXISTS (
                        SELECT 1 FROM runs o
                        WHERE o.id = r.id AND o.status = 'completed'
                          AND (o.finished_at > r.finished_at OR (o.finished_at = r.finished_at AND o.attempt > r.attempt)));
                """)
        }
        return migrator
    }
}
