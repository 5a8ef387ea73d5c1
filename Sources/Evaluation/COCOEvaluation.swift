import Foundation

/// pycocotools' `COCOeval.stats` for bbox, as fractions; -1 where undefined (no ground truth in range).
public struct COCOStats: Equatable, Sendable, Codable {
    public var AP, AP50, AP75, APs, APm, APl: Double
    public var AR1, AR10, AR100, ARs, ARm, ARl: Double

    public static let names = ["AP", "AP50", "AP75", "APs", "APm", "APl", "AR1", "AR10", "AR100", "ARs", "ARm", "ARl"]

    /// In pycocotools' order (`stats[0]` ... `stats[11]`).
    public var values: [Double] { [AP, AP50, AP75, APs, APm, APl, AR1, AR10, AR100, ARs, ARm, ARl] }

    public init(values v: [Double]) {
        precondition(v.count == 12, "COCOStats needs 12 values")
        (AP, AP50, AP75, APs, APm, APl) = (v[0], v[1], v[2], v[3], v[4], v[5])
        (AR1, AR10, AR100, ARs, ARm, ARl) = (v[6], v[7], v[8], v[9], v[10], v[11])
    }
}

/// The accumulated result: pycocotools' `eval["precision"]` (T×R×K×A×M) and `eval["recall"]`
/// (T×K×A×M) in numpy's row-major layout, and the summaries computed from them.
public struct COCOEvaluation: Sendable {
    public let categoryIDs: [Int]
    public let precision: [Double]
    public let recall: [Double]
    public private(set) var stats = COCOStats(values: Array(repeating: -1, count: 12))

    static let T = COCOParameters.iouThresholds.count, R = COCOParameters.recallThresholds.count
    static let A = COCOParameters.areaRanges.count, M = COCOParameters.maxDetections.count

    init(categoryIDs: [Int], perCategory: [CategoryResult]) {
        let (T, R, A, M, K) = (Self.T, Self.R, Self.A, Self.M, categoryIDs.count)
        var precision = [Double](repeating: -1, count: T * R * K * A * M)
        var recall = [Double](repeating: -1, count: T * K * A * M)
        for (k, result) in perCategory.enumerated() {
            for t in 0..<T {
                for am in 0..<(A * M) {
                    recall[(t * K + k) * A * M + am] = result.recall[t * A * M + am]
                    for r in 0..<R {
                        precision[((t * R + r) * K + k) * A * M + am] = result.precision[(t * R + r) * A * M + am]
                    }
                }
            }
        }
        self.categoryIDs = categoryIDs
        self.precision = precision
        self.recall = recall
        stats = COCOStats(values: Self.summaryRequests.map { summarize($0) })
    }

    /// `_summarizeDets`' twelve requests: (is AP, IoU index or all, area index, maxDets index).
    static let summaryRequests: [(ap: Bool, iou: Int?, area: Int, maxDets: Int)] = [
        (true, nil, 0, 2), (true, 0, 0, 2), (true, 5, 0, 2), (true, nil, 1, 2), (true, nil, 2, 2), (true, nil, 3, 2),
        (false, nil, 0, 0), (false, nil, 0, 1), (false, nil, 0, 2), (false, nil, 1, 2), (false, nil, 2, 2), (false, nil, 3, 2),
    ]

    /// `_summarize`: np.mean of the defined (> -1) entries in numpy's element order, or -1.
    func summarize(_ request: (ap: Bool, iou: Int?, area: Int, maxDets: Int), categories: [Int]? = nil) -> Double {
        let (R, K, A, M) = (Self.R, categoryIDs.count, Self.A, Self.M)
        let thresholds = request.iou.map { [$0] } ?? Array(0..<Self.T)
        let ks = categories ?? Array(0..<K)
        var defined: [Double] = []
        for t in thresholds {
            if request.ap {
                for r in 0..<R {
                    for k in ks {
                        let v = precision[((t * R + r) * K + k) * A * M + request.area * M + request.maxDets]
                        if v > -1 { defined.append(v) }
                    }
                }
            } else {
                for k in ks {
                    let v = recall[(t * K + k) * A * M + request.area * M + request.maxDets]
                    if v > -1 { defined.append(v) }
                }
            }
        }
        return defined.isEmpty ? -1 : numpyMean(defined)
    }

    /// AP at one IoU threshold (area all, maxDets 100): `threshold` must be one of 0.5, 0.55, ... 0.95.
    /// Returns nil for any other threshold, -1 when no category has ground truth.
    public func averagePrecision(iouThreshold: Double) -> Double? {
        COCOParameters.iouIndex(of: iouThreshold).map { summarize((true, $0, 0, 2)) }
    }

    /// A category's AP (mean over IoU thresholds and recall points, area all, maxDets 100), as
    /// detectron2 reports per class; -1 when the category has no ground truth, nil for an unknown id.
    public func averagePrecision(categoryID: Int) -> Double? {
        categoryIDs.firstIndex(of: categoryID).map { summarize((true, nil, 0, 2), categories: [$0]) }
    }

    /// Every category's AP, in category-id order.
    public var perCategoryAveragePrecision: [(categoryID: Int, ap: Double)] {
        categoryIDs.indices.map { (categoryIDs[$0], summarize((true, nil, 0, 2), categories: [$0])) }
    }

    /// The twelve lines `COCOeval.summarize()` prints.
    public var summaryText: String {
        zip(Self.summaryRequests, stats.values).map { request, value in
            let title = request.ap ? "Average Precision  (AP)" : "Average Recall     (AR)"
            let iou = request.iou.map { String(format: "%0.2f", COCOParameters.iouThresholds[$0]) } ?? "0.50:0.95"
            let area = COCOParameters.areaLabels[request.area]
            let maxDets = COCOParameters.maxDetections[request.maxDets]
            return " \(title) @[ IoU=\(iou.padding(toLength: 9, withPad: " ", startingAt: 0)) | area="
                + String(repeating: " ", count: max(0, 6 - area.count)) + area
                + " | maxDets=" + String(format: "%3d", maxDets) + " ] = " + String(format: "%0.3f", value)
        }.joined(separator: "\n")
    }
}
