/// Each training loss term's mean over windows of iterations, recorded with the run so that a
/// surprising result can be read back term by term (which loss dominated, whether one grew)
/// without re-running it. Metric names are `train_` + the term's name (`train_loss_ld_vlr`) and
/// `train_loss` for their sum; each window's mean is recorded at the window's last iteration.
/// The windows are the schedule's tenths, as equal as whole iterations allow (133 iterations:
/// windows of 13 or 14); a run of fewer than 10 iterations gets one window per iteration.
/// A resumed run records the windows it trained (its first one from the resume point on); one
/// resumed at its last iteration, for its evaluation alone, records none.
struct TrainingLossCurve {
    static let windows = 10

    let total: Int
    private var sums: [String: Double] = [:]
    private var count = 0
    private(set) var points: [Int: [String: Double]] = [:]

    init(iterations: Int) { total = iterations }

    /// The window (0..<windows) iteration `iteration` (1-based) falls in.
    private func window(_ iteration: Int) -> Int { (iteration - 1) * Self.windows / Swift.max(1, total) }

    /// Adds one iteration's losses; closes the window at its last iteration.
    mutating func add(iteration: Int, losses: [String: Float]) {
        for (name, value) in losses { sums["train_" + name, default: 0] += Double(value) }
        sums["train_loss", default: 0] += losses.values.reduce(0) { $0 + Double($1) }
        count += 1
        guard iteration >= total || window(iteration + 1) != window(iteration) else { return }
        points[iteration] = sums.mapValues { $0 / Double(count) }
        sums = [:]
        count = 0
    }

    /// The last window's means: recorded with the final metrics.
    var final: [String: Double] { points[total] ?? [:] }
}
