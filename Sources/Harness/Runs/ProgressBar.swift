import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Draws the runner's events on standard error: on a terminal one line redrawn in place
/// ("[3/12] ███░░░ 420/1200 it · ld r18 … · run 2m10s left · all ~35m left"), elsewhere (CI
/// logs, pipes) a line per run start and end and one per tenth of a run's progress.
public final class ProgressBar {
    private let write: (String) -> Void
    private let isTerminal: Bool
    private let width: Int
    private var lastTenth = -1
    private var lastDraw = Date.distantPast
    private var lineOpen = false

    public init(write: @escaping (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) },
                isTerminal: Bool = isatty(2) != 0, width: Int? = nil) {
        self.write = write
        self.isTerminal = isTerminal
        self.width = width ?? Int(ProcessInfo.processInfo.environment["COLUMNS"] ?? "") ?? 100
    }

    public func handle(_ event: RunnerEvent) {
        switch event {
        case let .started(index, total, run, estimated, remaining, resume):
            lastTenth = -1
            var text = "[\(index)/\(total)] \(shortRunID(run.id)) \(run.spec.summary) · est \(formatDuration(estimated))"
                + " · all ~\(formatDuration(remaining)) left"
            if let resume { text += " · resuming from \(resume)" }
            line(text)
        case let .progress(index, total, run, progress, _, runLeft, totalLeft):
            let fraction = progress.total > 0 ? Double(progress.iteration) / Double(progress.total) : 0
            let tenth = Int(fraction * 10)
            let now = Date()
            if isTerminal {
                // Redrawing more often than 10 times a second only costs time.
                guard now.timeIntervalSince(lastDraw) >= 0.1 || progress.iteration == progress.total else { return }
                lastDraw = now
                let text = "[\(index)/\(total)] " + bar(fraction) + " \(progress.iteration)/\(progress.total) it"
                    + " · run \(formatDuration(runLeft)) left · all ~\(formatDuration(totalLeft)) left"
                    + (progress.message.isEmpty ? "" : " · " + progress.message) + " · " + run.spec.summary
                write("\r\u{1B}[2K" + String(text.prefix(width)))
                lineOpen = true
            } else if tenth > lastTenth {
                lastTenth = tenth
                line("  \(shortRunID(run.id)) \(progress.iteration)/\(progress.total) it · run \(formatDuration(runLeft)) left"
                     + (progress.message.isEmpty ? "" : " · " + progress.message))
            }
        case let .finished(run, outcome):
            switch outcome {
            case .cached, .notImplemented:
                return  // the summary counts them; a line each would bury the runs that execute
            case let .completed(seconds):
                line("  \(shortRunID(run.id)) completed in \(formatDuration(seconds))")
            case let .failed(reason):
                line("  \(shortRunID(run.id)) FAILED: \(reason)")
            case let .blocked(reason):
                line("  \(shortRunID(run.id)) skipped: \(reason)")
            case let .runningElsewhere(reason):
                line("  \(shortRunID(run.id)) skipped: \(reason)")
            }
        }
    }

    private func line(_ text: String) {
        write((lineOpen && isTerminal ? "\r\u{1B}[2K" : "") + text + "\n")
        lineOpen = false
    }

    private func bar(_ fraction: Double, cells: Int = 20) -> String {
        let filled = max(0, min(cells, Int((fraction * Double(cells)).rounded(.down))))
        return String(repeating: "█", count: filled) + String(repeating: "░", count: cells - filled)
    }
}
