import Foundation

// The seam between the harness and the training code. The harness plans, orders, records and
// resumes runs; an executor trains and evaluates one. `UnimplementedExecutor` stands in until the
// detector engineer plugs the real trainer in (see `makeRunExecutor`).

/// Whether an executor can run a spec. A spec it cannot run is never trained and its cells read
/// "not implemented" with the reason, never a number.
public enum Support: Sendable, Equatable {
    case supported
    /// What is missing, named so a reader knows what to build: "detector gfl: not implemented
    /// yet", "method ld: not implemented yet".
    case notImplemented(String)
}

/// What an executor gets besides the spec.
public struct RunContext {
    /// `runs/work/<id>/`: the run's own directory for checkpoints, logs and artifacts. It
    /// survives a kill; write checkpoints with `RunCheckpoints` so a restart finds them.
    public var workDirectory: URL
    /// The teacher run's artifacts by kind ("checkpoint" → file); empty without a teacher.
    public var teacherArtifacts: [String: URL]
    /// For an analysis run (`RunSpec.analysis`): the analysed training run's artifacts by kind;
    /// empty otherwise.
    public var subjectArtifacts: [String: URL]
    /// Report progress now and then (every few iterations); drives the progress bar and ETA.
    public var progress: (RunProgress) -> Void
    /// The latest checkpoint in the work directory when the run was interrupted before; resume
    /// from it (the run must end with the same numbers as an uninterrupted one).
    public var resumeCheckpoint: URL?
    /// Shared by all runs of a store: what several runs reuse and any of them may create
    /// (pretrained backbones). Files appear there atomically and are never changed.
    public var cacheDirectory: URL

    public init(workDirectory: URL, teacherArtifacts: [String: URL], progress: @escaping (RunProgress) -> Void,
                resumeCheckpoint: URL?, cacheDirectory: URL? = nil, subjectArtifacts: [String: URL] = [:]) {
        self.workDirectory = workDirectory
        self.subjectArtifacts = subjectArtifacts
        self.cacheDirectory = cacheDirectory ?? workDirectory.appendingPathComponent("cache", isDirectory: true)
        self.teacherArtifacts = teacherArtifacts
        self.progress = progress
        self.resumeCheckpoint = resumeCheckpoint
    }
}

public struct RunProgress: Sendable {
    /// Iterations done so far (including those before a resume).
    public var iteration: Int
    public var total: Int
    /// A short status ("loss 1.234", "evaluating").
    public var message: String

    public init(iteration: Int, total: Int, message: String = "") {
        self.iteration = iteration
        self.total = total
        self.message = message
    }
}

public struct RunResult: Sendable {
    /// Final metrics under the tables' column `metric` names: AP, AP50, AP75, APs, APm, APl,
    /// AR100, voc_mAP, AP60…AP90, mMR, AP_mask, pearson_*, train_hours… (AP values in percent, as
    /// the papers print them). Leave out a metric the evaluation leaves undefined (COCO's −1
    /// when no object falls in a size range): a missing metric reads "not reported", whereas
    /// −100 would read as a measurement.
    public var metrics: [String: Double]
    /// Files the run leaves, by kind: "checkpoint" (the final weights a student's teacher loads),
    /// "log", "detections"…
    public var artifacts: [String: URL]
    /// Wall-clock training and evaluation time of this attempt.
    public var seconds: Double
    /// Metrics measured during training, by iteration (the training curve); the final metrics
    /// are `metrics`.
    public var curve: [Int: [String: Double]]

    public init(metrics: [String: Double], artifacts: [String: URL] = [:], seconds: Double,
                curve: [Int: [String: Double]] = [:]) {
        self.metrics = metrics
        self.artifacts = artifacts
        self.seconds = seconds
        self.curve = curve
    }
}

/// Trains and evaluates runs. `support` must be cheap and must not throw: the planner asks it for
/// every run, including runs it will never execute.
public protocol RunExecutor {
    func support(_ spec: RunSpec) -> Support
    func execute(_ spec: RunSpec, context: RunContext) throws -> RunResult
}

/// How a run can fail, as recorded in the store.
public enum RunFailure: Error, Equatable, Sendable, CustomStringConvertible {
    /// The loss became non-finite (or exploded) at `iteration`.
    case diverged(iteration: Int, detail: String = "")
    /// An input (dataset file, teacher checkpoint) is missing or malformed.
    case invalidInput(file: String, detail: String)
    /// Anything else, in words.
    case other(String)

    public var description: String {
        switch self {
        case let .diverged(iteration, detail):
            return "diverged at iteration \(iteration)" + (detail.isEmpty ? "" : ": \(detail)")
        case let .invalidInput(file, detail):
            return "invalid input \(file): \(detail)"
        case let .other(text):
            return text
        }
    }
}
