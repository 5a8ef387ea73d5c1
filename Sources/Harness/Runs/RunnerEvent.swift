/// What the runner tells its observer (the progress bar, or a test).
public enum RunnerEvent {
    /// Run `index` of `total` (1-based, counting only runs that execute) is starting.
    /// `estimatedSeconds` is its own estimate, `remainingSeconds` that of it and every run after it.
    case started(index: Int, total: Int, run: PlannedRun, estimatedSeconds: Double, remainingSeconds: Double,
                 resumingFrom: String?)
    /// The executor reported progress; `runSecondsLeft` extrapolates the run's measured speed.
    case progress(index: Int, total: Int, run: PlannedRun, progress: RunProgress, elapsed: Double,
                  runSecondsLeft: Double, totalSecondsLeft: Double)
    /// A run ended (or was not started, with the reason).
    case finished(run: PlannedRun, outcome: RunOutcome)
}

/// How one run of a plan ended in this invocation.
public enum RunOutcome: Equatable, Sendable {
    /// A completed attempt was already recorded.
    case cached
    case completed(seconds: Double)
    case failed(String)
    /// The executor cannot run it (the reason names what is missing).
    case notImplemented(String)
    /// Its teacher failed or could not run here.
    case blocked(String)
    /// Another live process is running it.
    case runningElsewhere(String)
}

/// The end of a runner invocation: what happened to each run, in plan order.
public struct RunnerSummary: Sendable {
    public var outcomes: [(run: PlannedRun, outcome: RunOutcome)] = []

    public func count(_ match: (RunOutcome) -> Bool) -> Int { outcomes.filter { match($0.outcome) }.count }

    /// Runs that failed here, with their reasons.
    public var failures: [(run: PlannedRun, reason: String)] {
        outcomes.compactMap { entry in
            if case let .failed(reason) = entry.outcome { return (entry.run, reason) }
            return nil
        }
    }

    /// Runs not started because a teacher failed.
    public var blocked: [(run: PlannedRun, reason: String)] {
        outcomes.compactMap { entry in
            if case let .blocked(reason) = entry.outcome { return (entry.run, reason) }
            return nil
        }
    }

    /// Whether the invocation should end with a non-zero status: a run failed or was blocked by a
    /// failure. Not-implemented runs are the expected state of an unfinished suite, not failures.
    public var hasFailures: Bool { !failures.isEmpty || !blocked.isEmpty }

    /// "3 completed, 5 cached, 1 failed, 4 not implemented".
    public var line: String {
        let parts: [(String, Int)] = [
            ("completed", count { if case .completed = $0 { return true }; return false }),
            ("cached", count { $0 == .cached }),
            ("failed", failures.count),
            ("blocked by a failed teacher", blocked.count),
            ("not implemented", count { if case .notImplemented = $0 { return true }; return false }),
            ("running elsewhere", count { if case .runningElsewhere = $0 { return true }; return false }),
        ]
        let shown = parts.filter { $0.1 > 0 }.map { "\($0.1) \($0.0)" }
        return "\(outcomes.count) runs: " + (shown.isEmpty ? "nothing to do" : shown.joined(separator: ", "))
    }
}
