/// How the validation objects of a table's runs fall into the COCO size ranges that APs, APm and
/// APl average over. A size column means little when its range holds a handful of objects (APs
/// at small scale, where objects are drawn 2.5 × their variant's size), so reports print these
/// counts beside the table.
public struct ValidationObjectSizes: Equatable, Sendable {
    /// What was counted: "coco: synthetic standard scenes, 64 px, 1000 validation images".
    public var dataset: String
    /// Upper area bounds (px²) of the small and medium ranges the run is scored with.
    public var smallUpper: Double, mediumUpper: Double
    /// Objects per range; crowd regions are left out, as COCO's evaluation does.
    public var small = 0, medium = 0, large = 0
    /// Why the objects could not be counted (the counts are then 0).
    public var problem: String?

    public init(dataset: String, smallUpper: Double, mediumUpper: Double) {
        self.dataset = dataset
        self.smallUpper = smallUpper
        self.mediumUpper = mediumUpper
    }

    public var total: Int { small + medium + large }

    /// Counts one object of COCO `area` (ranges closed above: an area equal to 32² is small).
    public mutating func count(area: Double, isCrowd: Bool) {
        if isCrowd { return }
        if area <= smallUpper { small += 1 } else if area <= mediumUpper { medium += 1 } else { large += 1 }
    }

    /// The metric names whose value these counts qualify.
    public static let sizeMetrics: Set<String> = ["APs", "APm", "APl"]

    /// A range holding less than this share of the objects gets a warning in reports.
    public static let thinShare = 0.01
}
