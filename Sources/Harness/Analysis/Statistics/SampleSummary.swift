/// Descriptive statistics of one cell's measurements (one value per seed).
public enum SampleStatistics {
    /// The arithmetic mean; nil for no values.
    public static func mean(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        return values.reduce(0, +) / Double(values.count)
    }

    /// The sample variance (denominator n − 1, the unbiased estimate over seeds); nil for fewer
    /// than two values, where the spread between seeds is unknown rather than zero.
    public static func sampleVariance(_ values: [Double]) -> Double? {
        guard values.count >= 2, let mean = mean(values) else { return nil }
        // Two passes (mean first, then squared deviations): the one-pass Σx² − n·x̄² formula
        // cancels catastrophically for values like 40.1 ± 0.01.
        let squares = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        return squares / Double(values.count - 1)
    }

    /// The sample standard deviation, √(sample variance); nil for fewer than two values.
    public static func sampleStandardDeviation(_ values: [Double]) -> Double? {
        sampleVariance(values).map { $0.squareRoot() }
    }
}

/// Count, mean and sample standard deviation of a set of per-seed measurements.
public struct SampleSummary: Equatable, Sendable {
    public var count: Int
    public var mean: Double
    /// nil for a single value: one seed says nothing about the spread.
    public var standardDeviation: Double?

    /// nil for no values.
    public init?(_ values: [Double]) {
        guard let mean = SampleStatistics.mean(values) else { return nil }
        self.count = values.count
        self.mean = mean
        self.standardDeviation = SampleStatistics.sampleStandardDeviation(values)
    }

    /// The summary of a seed → value map (seed order does not matter for these statistics).
    public init?(samples: [Int: Double]) {
        self.init(samples.keys.sorted().map { samples[$0]! })
    }
}
