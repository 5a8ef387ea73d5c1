/// How big a run is. The same table, the same planner and the same training code serve all three;
/// only the numbers in `ScaleCalibration` differ.
///
/// - `smoke`: seconds per run on synthetic data; proves the pipeline end to end and never yields
///   a verdict (CI runs it).
/// - `small` (default): minutes per run on 2 cores, synthetic data calibrated so that capacity
///   matters; several seeds, verdicts.
/// - `full`: the paper's protocol on the real dataset read from `--data-root`.
public enum ScaleProfile: String, CaseIterable, Codable, Sendable, CustomStringConvertible {
    case smoke, small, full

    public var description: String { rawValue }

    /// Seeds per cell when `--seeds` is not given. Small uses three so that a gain has a spread;
    /// full uses one because a full COCO run costs days (the papers report single runs too).
    public var defaultSeeds: Int { ScaleCalibration.numbers(for: self).defaultSeeds }

    /// The seeds a plan with `count` seeds uses: 1…count. Seed sets nest, so the runs of
    /// `--seeds 1` are the first seed of `--seeds 3` and stay cached.
    public static func seeds(count: Int) -> [Int] { Array(1...max(1, count)) }

    /// Whether runs read a dataset from disk (full) or generate synthetic scenes (smoke, small).
    public var usesRealData: Bool { self == .full }
}

/// Why a cell or a run cannot be run: the name of what is missing ("backbone swin_t: no analogue
/// implemented yet"). Never replaced by a number anywhere downstream.
public struct NotImplemented: Error, Hashable, Sendable, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}
