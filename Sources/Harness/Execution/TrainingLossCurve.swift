import Foundation

/// Each training loss term's mean over windows of iterations, recorded with the run so that a
/// surprising result can be read back term by term (which loss dominated, whether one grew)
/// without re-running it. Metric names are `train_` + the term's name (`train_loss_ld_vlr`) and
/// `train_loss` for their sum; each window's mean is recorded at the window's last iteration.
/// The windows are the schedule's tenths, as equal as whole iterations allow (133 iterations:
/// windows of 13 or 14); a run of fewer than 10 iterations gets one window per iteration.
/// Closed windows are also written to `savedWindows` (in the run's work directory), so that an
/// attempt resumed from a checkpoint keeps the windows its predecessor closed before the resume
/// point (the window it resumes inside is the resumed part's mean), and one resumed at its last
/// iteration, for its evaluation alone, keeps them all.
struct TrainingLossCurve {
    static let windows = 10

    let total: Int
    private var sums: [String: Double] = [:]
    private var count = 0
    private(set) var points: [Int: [String: Double]] = [:]

    /// Where closed windows are kept between attempts (nil: nowhere).
    let savedWindows: URL?
    private var started = false

    init(iterations: Int, savedWindows: URL? = nil) {
        total = iterations
        self.savedWindows = savedWindows
        if let savedWindows, let data = try? Data(contentsOf: savedWindows),
           let saved = try? JSONDecoder().decode([String: [String: Double]].self, from: data) {
            for (iteration, point) in saved { if let it = Int(iteration), it <= total { points[it] = point } }
        }
    }

    /// The window (0..<windows) iteration `iteration` (1-based) falls in.
    private func window(_ iteration: Int) -> Int { (iteration - 1) * Self.windows / Swift.max(1, total) }

    /// Adds one iteration's losses; closes the window at its last iteration.
    mutating func add(iteration: Int, losses: [String: Float]) {
        if !started {
            // Windows at or after the first iteration trained now are trained again.
            points = points.filter { $0.key < iteration }
            started = true
            save()
        }
        for (name, value) in losses { sums["train_" + name, default: 0] += Double(value) }
        sums["train_loss", default: 0] += losses.values.reduce(0) { $0 + Double($1) }
        count += 1
        guard iteration >= total || window(iteration + 1) != window(iteration) else { return }
        points[iteration] = sums.mapValues { $0 / Double(count) }
        sums = [:]
        count = 0
        save()
    }

    /// Best effort: losing the file only loses windows from a later resumed attempt's record.
    private func save() {
        guard let savedWindows else { return }
        let keyed = Dictionary(uniqueKeysWithValues: points.map { (String($0.key), $0.value) })
        if let data = try? JSONEncoder().encode(keyed) { try? data.write(to: savedWindows, options: .atomic) }
    }

    /// The last window's means: recorded with the final metrics.
    var final: [String: Double] { points[total] ?? [:] }
}
