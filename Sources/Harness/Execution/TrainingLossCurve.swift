/// Each training loss term's mean over windows of iterations, recorded with the run so that a
/// surprising result can be read back term by term (which loss dominated, whether one grew)
/// without re-running it. Metric names are `train_` + the term's name (`train_loss_ld_vlr`) and
/// `train_loss` for their sum; each window's mean is recorded at the window's last iteration.
/// A resumed run records the windows it trained (its first one from the resume point on).
struct TrainingLossCurve {
    /// Windows per run; a run shorter than this gets one window per iteration.
    static let windows = 10

    let total: Int
    let windowLength: Int
    private var sums: [String: Double] = [:]
    private var count = 0
    private(set) var points: [Int: [String: Double]] = [:]

    init(iterations: Int) {
        total = iterations
        windowLength = Swift.max(1, iterations / Self.windows)
    }

    /// Adds one iteration's losses; closes the window at its last iteration and at the run's end.
    mutating func add(iteration: Int, losses: [String: Float]) {
        for (name, value) in losses { sums["train_" + name, default: 0] += Double(value) }
        sums["train_loss", default: 0] += losses.values.reduce(0) { $0 + Double($1) }
        count += 1
        guard iteration % windowLength == 0 || iteration == total else { return }
        points[iteration] = sums.mapValues { $0 / Double(count) }
        sums = [:]
        count = 0
    }

    /// The last window's means: recorded with the final metrics.
    var final: [String: Double] { points[total] ?? [:] }
}
