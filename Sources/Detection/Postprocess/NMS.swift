/// Greedy non-maximum suppression as mmcv's `nms` (CPU kernel, offset 0): boxes are visited by
/// descending score; a box is dropped when its IoU with an already kept box is *greater* than
/// `iouThreshold`. IoU here is mmcv's inter / (area₁ + area₂ − inter), without an epsilon.
/// Score ties are visited in index order (torch's sort leaves them unspecified), so results are
/// deterministic. Returns the kept indices, highest score first.
public func nms(boxes: [Box], scores: [Float], iouThreshold: Float) -> [Int] {
    precondition(boxes.count == scores.count, "nms: \(boxes.count) boxes, \(scores.count) scores")
    return greedyNMS(order: sortedByScore(Array(boxes.indices), scores), boxes: boxes, iouThreshold: iouThreshold)
}

/// NMS within each class independently, as mmcv's `batched_nms` (which offsets each class's
/// boxes apart and runs one `nms`): boxes of different classes never suppress each other. The
/// kept indices come back sorted by descending score (ties: lower index first) across classes.
/// `classAgnostic` runs one NMS over all boxes instead. With `maxKept`, only the first `maxKept`
/// of that list are returned — and each class stops after `maxKept` survivors, which cannot
/// change the result (a class's later survivors rank below its first `maxKept`) but bounds the
/// work by maxKept × boxes per class (mmdet's `max_per_img`).
public func batchedNMS(boxes: [Box], scores: [Float], classes: [Int], iouThreshold: Float, classAgnostic: Bool = false,
                       maxKept: Int? = nil) -> [Int] {
    precondition(boxes.count == scores.count && boxes.count == classes.count,
                 "batchedNMS: \(boxes.count) boxes, \(scores.count) scores, \(classes.count) classes")
    if classAgnostic {
        let limit = maxKept.map { Swift.max($0, 0) } ?? Int.max
        return greedyNMS(order: sortedByScore(Array(boxes.indices), scores), boxes: boxes, iouThreshold: iouThreshold, limit: limit)
    }
    return classwiseNMS(scores: scores, classes: classes, maxKept: maxKept) { order, limit in
        greedyNMS(order: order, boxes: boxes, iouThreshold: iouThreshold, limit: limit)
    }
}

/// The class-wise frame of `batchedNMS`: splits the score order by class (a stable bucket pass,
/// no dictionary), runs `greedy(order of one class, limit)` on each, then merges the survivors
/// back into the global score order and keeps the first `maxKept`.
func classwiseNMS(scores: [Float], classes: [Int], maxKept: Int?, greedy: ([Int], Int) -> [Int]) -> [Int] {
    let order = sortedByScore(Array(scores.indices), scores)
    let limit = maxKept.map { Swift.max($0, 0) } ?? Int.max
    guard let maxClass = classes.max() else { return [] }
    precondition(classes.min()! >= 0, "class-wise NMS: negative class index")
    var buckets = [[Int]](repeating: [], count: maxClass + 1)
    for i in order { buckets[classes[i]].append(i) }
    var keep = [Bool](repeating: false, count: scores.count)
    for bucket in buckets where !bucket.isEmpty {
        for i in greedy(bucket, limit) { keep[i] = true }
    }
    var out: [Int] = []
    for i in order where keep[i] {
        if out.count == limit { break }
        out.append(i)
    }
    return out
}

/// Indices sorted by descending score, ties by ascending index (a total order, so the result
/// does not depend on the sort algorithm).
func sortedByScore(_ indices: [Int], _ scores: [Float]) -> [Int] {
    indices.sorted { scores[$0] > scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }
}

/// The greedy pass of mmcv's `nms_cpu` over boxes already in visiting order, stopping after
/// `limit` survivors. Coordinates are gathered into contiguous arrays first: the inner loop is
/// the hot one (boxes × survivors per class).
func greedyNMS(order: [Int], boxes: [Box], iouThreshold: Float, limit: Int = Int.max) -> [Int] {
    let m = order.count
    var x1 = [Float](repeating: 0, count: m), y1 = x1, x2 = x1, y2 = x1, areas = x1
    for (a, i) in order.enumerated() {
        let b = boxes[i]
        x1[a] = b.x1; y1[a] = b.y1; x2[a] = b.x2; y2[a] = b.y2; areas[a] = (b.x2 - b.x1) * (b.y2 - b.y1)
    }
    var suppressed = [Bool](repeating: false, count: m)
    var kept: [Int] = []
    for a in 0..<m where !suppressed[a] {
        if kept.count == limit { break }
        kept.append(order[a])
        let ax1 = x1[a], ay1 = y1[a], ax2 = x2[a], ay2 = y2[a], areaA = areas[a]
        for b in (a + 1)..<m where !suppressed[b] {
            let w = Swift.max(0, Swift.min(ax2, x2[b]) - Swift.max(ax1, x1[b]))
            let h = Swift.max(0, Swift.min(ay2, y2[b]) - Swift.max(ay1, y1[b]))
            let inter = w * h
            if inter / (areaA + areas[b] - inter) > iouThreshold { suppressed[b] = true }
        }
    }
    return kept
}
