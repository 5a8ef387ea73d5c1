/// A Student-t confidence interval for the mean of a few per-seed values:
/// mean ± t_{(1+level)/2, n−1} · s / √n. Undefined (nil) below two values: with one seed the
/// spread is unknown, and pretending it is zero would turn every single run into a "proof".
public struct ConfidenceInterval: Equatable, Sendable {
    public var mean: Double
    public var lower: Double
    public var upper: Double
    /// 0.95 for a 95% interval.
    public var level: Double
    public var count: Int
    /// The sample standard deviation the interval was built from.
    public var standardDeviation: Double

    public var halfWidth: Double { (upper - lower) / 2 }

    /// The interval for the mean of `values`; nil for fewer than two values.
    public init?(values: [Double], level: Double = 0.95) {
        precondition(level > 0 && level < 1, "a confidence level lies strictly between 0 and 1")
        guard values.count >= 2,
              let mean = SampleStatistics.mean(values),
              let sd = SampleStatistics.sampleStandardDeviation(values)
        else { return nil }
        let n = Double(values.count)
        let half = StudentT.criticalValue(confidence: level, degreesOfFreedom: values.count - 1) * sd / n.squareRoot()
        self.mean = mean
        self.lower = mean - half
        self.upper = mean + half
        self.level = level
        self.count = values.count
        self.standardDeviation = sd
    }

    /// "95%": how reports name the level.
    public var levelText: String { Self.levelText(level) }

    static func levelText(_ level: Double) -> String {
        let percent = level * 100
        return percent == percent.rounded() ? "\(Int(percent))%" : "\(percent)%"
    }
}

/// The difference of two cells measured with the same seeds, paired seed by seed: seed-to-seed
/// variation (data order, initialisation) is shared by both cells and cancels in the difference,
/// which is what makes a gain of a few tenths detectable with a handful of seeds.
public struct PairedDifference: Equatable, Sendable {
    /// Seeds measured in both cells, ascending. Seeds present in only one cell are dropped: an
    /// unpaired value carries no information about the difference.
    public var seeds: [Int]
    /// `sign · (a − b)` for each seed, in `seeds` order.
    public var differences: [Double]
    /// The mean difference; nil when no seed is shared.
    public var mean: Double?
    /// The confidence interval of the mean difference; nil below two shared seeds.
    public var interval: ConfidenceInterval?

    public var count: Int { seeds.count }

    /// Pairs `a` and `b` by seed. `sign` −1 turns "lower is better" columns into gains.
    public init(_ a: [Int: Double], minus b: [Int: Double], sign: Double = 1, level: Double = 0.95) {
        seeds = a.keys.filter { b[$0] != nil }.sorted()
        differences = seeds.map { sign * (a[$0]! - b[$0]!) }
        mean = SampleStatistics.mean(differences)
        interval = ConfidenceInterval(values: differences, level: level)
    }
}
