import Foundation

/// Counts that describe a dataset's difficulty: classes, scales, occlusion, shapes of boxes.
/// Used to calibrate the synthetic scenes and reported next to results.
public struct DatasetStatistics: Equatable, Sendable {
    public var images = 0
    public var objects = 0
    /// Objects per label.
    public var perClass: [Int]
    /// Objects whose `area` falls in the small, medium and large ranges given to `measure`.
    public var small = 0, medium = 0, large = 0
    /// Objects with a known visible fraction, how many of them are under 90 % visible, and the mean.
    public var withVisibility = 0, occluded = 0
    public var meanVisibleFraction: Double = 0
    public var difficult = 0, crowd = 0
    /// Objects whose box is more than 3 times longer than wide (or the reverse).
    public var elongated = 0
    /// 5th, 50th and 95th percentiles of √(box width · box height), in pixels.
    public var boxSideP5: Float = 0, boxSideP50: Float = 0, boxSideP95: Float = 0

    /// Reads `indices` of `dataset` (rendering or decoding every image). `areaRanges` is laid out
    /// like `COCOParameters.areaRanges`: all, small, medium, large.
    public static func measure(_ dataset: some DetectionDataset, indices: Range<Int>,
                               areaRanges: [(lower: Double, upper: Double)]) throws -> DatasetStatistics {
        precondition(areaRanges.count == 4, "DatasetStatistics: area ranges are all, small, medium, large")
        var stats = DatasetStatistics(perClass: [Int](repeating: 0, count: dataset.numClasses))
        var sides: [Float] = []
        var visibleSum = 0.0
        let samples = parallelMap(indices.count) { k in Result { try dataset.sample(indices.lowerBound + k).objects } }
        for result in samples {
            let objects = try result.get()
            stats.images += 1
            for object in objects {
                stats.objects += 1
                if object.label >= 0 && object.label < stats.perClass.count { stats.perClass[object.label] += 1 }
                let area = Double(object.area)
                if area <= areaRanges[1].upper { stats.small += 1 } else if area <= areaRanges[2].upper { stats.medium += 1 } else { stats.large += 1 }
                if let visible = object.visibleFraction {
                    stats.withVisibility += 1
                    visibleSum += Double(visible)
                    if visible < 0.9 { stats.occluded += 1 }
                }
                if object.isDifficult { stats.difficult += 1 }
                if object.isCrowd { stats.crowd += 1 }
                let w = object.box.width, h = object.box.height
                if w > 3 * h || h > 3 * w { stats.elongated += 1 }
                sides.append((max(w, 0) * max(h, 0)).squareRoot())
            }
        }
        stats.meanVisibleFraction = stats.withVisibility > 0 ? visibleSum / Double(stats.withVisibility) : 0
        sides.sort()
        if !sides.isEmpty {
            func percentile(_ p: Double) -> Float { sides[min(sides.count - 1, Int(p * Double(sides.count - 1) + 0.5))] }
            (stats.boxSideP5, stats.boxSideP50, stats.boxSideP95) = (percentile(0.05), percentile(0.5), percentile(0.95))
        }
        return stats
    }

    /// A few lines for logs and reports.
    public var summary: String {
        func percent(_ part: Int, of whole: Int) -> String {
            whole > 0 ? String(format: "%.1f%%", 100 * Double(part) / Double(whole)) : "-"
        }
        return """
        \(images) images, \(objects) objects (\(String(format: "%.2f", images > 0 ? Double(objects) / Double(images) : 0)) per image)
        scale: small \(percent(small, of: objects)), medium \(percent(medium, of: objects)), large \(percent(large, of: objects))
        box side √(wh) p5/p50/p95: \(String(format: "%.1f / %.1f / %.1f", boxSideP5, boxSideP50, boxSideP95)) px; elongated (>3:1) \(percent(elongated, of: objects))
        occlusion: mean visible fraction \(String(format: "%.3f", meanVisibleFraction)), under 90 % visible \(percent(occluded, of: withVisibility))
        difficult \(percent(difficult, of: objects)), crowd \(percent(crowd, of: objects))
        per class: \(perClass.map(String.init).joined(separator: " "))
        """
    }
}
