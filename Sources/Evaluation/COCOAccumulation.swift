/// One category's slice of pycocotools' `eval["precision"]` and `eval["recall"]`.
struct CategoryResult: Sendable {
    /// Indexed `[t][r][a][m]` (threshold, recall point, area range, maxDets).
    var precision: [Double]
    /// Indexed `[t][a][m]`.
    var recall: [Double]
}

extension CategoryWork {
    /// pycocotools' `accumulate` for this category. Entries stay -1 when the area range has no
    /// non-ignored ground truth, whether or not there are detections.
    func accumulate() -> CategoryResult {
        let T = Self.thresholdCount, A = Self.areaCount
        let R = COCOParameters.recallThresholds.count, M = COCOParameters.maxDetections.count
        var precision = [Double](repeating: -1, count: T * R * A * M)
        var recall = [Double](repeating: -1, count: T * A * M)

        // Merge all images' detections by score; ties keep concatenation order (mergesort is stable).
        var order = Array(0..<scores.count)
        order.sort { scoreOrder(scores, $0, $1) }

        // pycocotools builds cumulative recall/precision over every detection, takes the right-to-left
        // running max of precision and reads it at the first index with recall >= each recall point.
        // Recall only rises at true positives and precision only falls between them, so recording
        // (recall, precision) at true positives alone yields the same numbers. Ignored detections
        // change nothing, and a detection that is a false positive at every threshold (the common
        // case) just bumps one shared counter.
        var selected: [Int] = []
        var tp = [Double](repeating: 0, count: T), fp = [Double](repeating: 0, count: T)
        var events = [Int](repeating: 0, count: T)
        var eventRecall: [Double] = [], eventPrecision: [Double] = []
        for (m, maxDet) in COCOParameters.maxDetections.enumerated() {
            // Keeping each image's first maxDet then sorting equals filtering the full sorted order.
            selected.removeAll(keepingCapacity: true)
            for j in order where ranks[j] < maxDet { selected.append(j) }
            for a in 0..<A {
                let regular = nonIgnoredGroundTruth[a]
                if regular == 0 { continue }
                let npig = Double(regular)
                // Each true positive takes a distinct regular gt, so at most `regular` events per threshold.
                eventRecall.removeAll(keepingCapacity: true)
                eventRecall.append(contentsOf: repeatElement(0, count: T * regular))
                eventPrecision.removeAll(keepingCapacity: true)
                eventPrecision.append(contentsOf: repeatElement(0, count: T * regular))
                for t in 0..<T { tp[t] = 0; fp[t] = 0; events[t] = 0 }
                var sharedFalsePositives = 0.0
                for j in selected {
                    let f = flags[j * A + a]
                    if f == 0 { continue }
                    if f == Self.allFalsePositives { sharedFalsePositives += 1; continue }
                    for t in 0..<T {
                        if f & (UInt32(1) << UInt32(t)) != 0 {
                            tp[t] += 1
                            let e = t * regular + events[t]
                            eventRecall[e] = tp[t] / npig
                            eventPrecision[e] = tp[t] / ((fp[t] + sharedFalsePositives) + tp[t] + Double.ulpOfOne)
                            events[t] += 1
                        } else if f & (UInt32(1) << (Self.fpShift + UInt32(t))) != 0 {
                            fp[t] += 1
                        }
                    }
                }
                for t in 0..<T {
                    recall[(t * A + a) * M + m] = tp[t] / npig   // 0 when there are no detections
                    let base = t * regular, count = events[t]
                    var i = count - 1
                    while i > 0 {
                        if eventPrecision[base + i] > eventPrecision[base + i - 1] {
                            eventPrecision[base + i - 1] = eventPrecision[base + i]
                        }
                        i -= 1
                    }
                    // np.searchsorted(rc, recThrs, side="left"); points beyond the final recall stay 0.
                    var p = 0
                    for (r, threshold) in COCOParameters.recallThresholds.enumerated() {
                        while p < count && eventRecall[base + p] < threshold { p += 1 }
                        precision[((t * R + r) * A + a) * M + m] = p < count ? eventPrecision[base + p] : 0
                    }
                }
            }
        }
        return CategoryResult(precision: precision, recall: recall)
    }
}
