/// How many validation objects a table's APs, APm and APl average over, per validation set: a
/// size column means little when its range holds a handful of objects, so reports print these
/// counts beside the table.
public struct ValidationObjectSizes: Equatable, Sendable {
    /// What was counted: "coco: synthetic standard scenes, 64 px, 1000 validation images".
    public var dataset: String
    /// Upper area bounds (px²) of the small and medium ranges the runs are scored with.
    public var smallUpper: Double, mediumUpper: Double
    /// The objects each range scores against (`COCOEvaluator.groundTruthCounts`): crowds are left
    /// out, and an area exactly on a bound counts in both ranges, as in pycocotools.
    public var all = 0, small = 0, medium = 0, large = 0
    /// Why the objects could not be counted (the counts are then 0).
    public var problem: String?

    public init(dataset: String, smallUpper: Double, mediumUpper: Double) {
        self.dataset = dataset
        self.smallUpper = smallUpper
        self.mediumUpper = mediumUpper
    }

    /// The metric names whose values these counts qualify.
    public static let sizeMetrics: Set<String> = ["APs", "APm", "APl"]
}
