/// pycocotools' `computeIoU` + `evaluateImg` for every image of one category, reduced to what
/// `accumulate` needs: per detection its score, its score rank within its image, and per area range
/// and IoU threshold whether it is a true positive, a false positive or ignored.
struct CategoryWork {
    static let thresholdCount = COCOParameters.iouThresholds.count
    static let areaCount = COCOParameters.areaRanges.count
    static let maxDetections = COCOParameters.maxDetections.last!
    /// In `flags`, bit t marks a true positive at threshold t and bit `fpShift + t` a false positive.
    static let fpShift: UInt32 = 16
    static let allFalsePositives: UInt32 = ((1 << UInt32(thresholdCount)) - 1) << fpShift

    /// The four area ranges (all, small, medium, large): pycocotools' by default; scaled ones for
    /// small synthetic images, where COCO's 32² / 96² px would call every object small.
    let areaRanges: [(lower: Double, upper: Double)]

    init(areaRanges: [(lower: Double, upper: Double)] = COCOParameters.areaRanges) {
        precondition(areaRanges.count == Self.areaCount, "COCO evaluation needs \(Self.areaCount) area ranges")
        self.areaRanges = areaRanges
    }

    // Detections in pycocotools' concatenation order: image order, then score order within the image.
    var scores: [Double] = []
    var ranks: [Int] = []
    var flags: [UInt32] = []          // areaCount entries per detection
    var nonIgnoredGroundTruth = [Int](repeating: 0, count: areaCount)

    // Scratch reused across images, as raw buffers so the inner loops carry no copy-on-write checks.
    private let dtOrder = Scratch<Int>(), ious = Scratch<Double>(), dtArea = Scratch<Double>()
    private let gtSorted = Scratch<Int>(), gtMatched = Scratch<Bool>()

    /// Caps the matching threshold as `min(t, 1 - 1e-10)` does, so IoU 1 can still match.
    private static let matchThresholds = COCOParameters.iouThresholds.map { min($0, 1 - 1e-10) }

    /// One (image, category) pair; the caller skips pairs with neither gt nor detections
    /// (evaluateImg returns None for them and they contribute nothing).
    mutating func addImage(groundTruth gt: GroupedObjects, gts: Range<Int>, detections dt: GroupedObjects, dts: Range<Int>) {
        let gtStart = gts.lowerBound, G = gts.count
        let dtStart = dts.lowerBound, dtCount = dts.count

        // Highest score first; ties keep file order (np.argsort(-score, kind="mergesort")), then
        // only the first 100 take part.
        let order = dtOrder.reserve(dtCount)
        for d in 0..<dtCount { order[d] = dtStart + d }
        sortByScore(order, dtCount, dt.dtScore)
        let D = min(dtCount, Self.maxDetections)
        let areas = dtArea.reserve(D)
        for d in 0..<D {
            scores.append(dt.dtScore[order[d]])
            ranks.append(d)
            areas[d] = dt.boxes[4 * order[d] + 2] * dt.boxes[4 * order[d] + 3]   // w*h, as loadRes
        }
        let first = scores.count - D
        flags.append(contentsOf: repeatElement(0, count: D * Self.areaCount))
        if G > 0 && D > 0 { computeIoUs(gt: gt, gtStart: gtStart, G: G, dt: dt, order: order, D: D) }

        for a in 0..<Self.areaCount {
            let range = areaRanges[a]
            // gt order for matching: not-ignored first, each part in file order (stable argsort).
            let sorted = gtSorted.reserve(G)
            var regular = 0
            for g in 0..<G where !gt.isIgnoredGroundTruth(gtStart + g, in: range) { sorted[regular] = g; regular += 1 }
            var s = regular
            for g in 0..<G where gt.isIgnoredGroundTruth(gtStart + g, in: range) { sorted[s] = g; s += 1 }
            nonIgnoredGroundTruth[a] += regular
            if G == 0 {
                // Nothing to match: every detection is a false positive unless outside the range.
                for d in 0..<D where !(areas[d] < range.lower || areas[d] > range.upper) {
                    flags[(first + d) * Self.areaCount + a] = Self.allFalsePositives
                }
            } else if D > 0 {
                match(gt: gt, gtStart: gtStart, G: G, D: D, sorted: sorted, regular: regular, areas: areas, range: range,
                      flagsStart: first, area: a)
            }
        }
    }

    /// maskApi.c `bbIou`, same operations in the same order (so the same doubles); a crowd gt's
    /// "union" is the detection's own area.
    private func computeIoUs(gt: GroupedObjects, gtStart: Int, G: Int, dt: GroupedObjects,
                             order: UnsafeMutablePointer<Int>, D: Int) {
        let matrix = ious.reserve(D * G)   // detection-major: [d * G + g], gt in file order
        for d in 0..<D {
            let b = 4 * order[d]
            let dx = dt.boxes[b], dy = dt.boxes[b + 1], dw = dt.boxes[b + 2], dh = dt.boxes[b + 3]
            let dArea = dw * dh
            for g in 0..<G {
                matrix[d * G + g] = 0
                let c = 4 * (gtStart + g)
                let gx = gt.boxes[c], gy = gt.boxes[c + 1], gw = gt.boxes[c + 2], gh = gt.boxes[c + 3]
                // Double.minimum/maximum are C's fmin/fmax (a NaN operand loses), unlike Swift's min/max.
                let w = Double.minimum(dw + dx, gw + gx) - Double.maximum(dx, gx)
                if w <= 0 { continue }
                let h = Double.minimum(dh + dy, gh + gy) - Double.maximum(dy, gy)
                if h <= 0 { continue }
                let intersection = w * h
                let union = gt.gtCrowd[gtStart + g] ? dArea : dArea + gw * gh - intersection
                matrix[d * G + g] = intersection / union
            }
        }
    }

    /// evaluateImg's greedy matching, for each threshold: each detection (score order) takes the
    /// best-IoU gt still free (crowd gts stay free), preferring any regular gt to an ignored one.
    private mutating func match(gt: GroupedObjects, gtStart: Int, G: Int, D: Int, sorted: UnsafeMutablePointer<Int>,
                                regular: Int, areas: UnsafeMutablePointer<Double>, range: (lower: Double, upper: Double),
                                flagsStart: Int, area a: Int) {
        let matched = gtMatched.reserve(G)
        let matrix = ious.reserve(D * G)   // filled by computeIoUs for this image; same size, so not reallocated
        for t in 0..<Self.thresholdCount {
            for s in 0..<G { matched[s] = false }
            let tpBit = UInt32(1) << UInt32(t), fpBit = UInt32(1) << (Self.fpShift + UInt32(t))
            for d in 0..<D {
                var best = Self.matchThresholds[t]
                var m = -1
                for s in 0..<G {
                    let g = sorted[s]
                    if matched[s] && !gt.gtCrowd[gtStart + g] { continue }
                    if m > -1 && m < regular && s >= regular { break }   // regular match beats any ignored gt
                    let iou = matrix[d * G + g]
                    if iou < best { continue }
                    best = iou
                    m = s
                }
                var ignored = false, isMatch = false
                if m > -1 {
                    matched[m] = true
                    ignored = m >= regular
                    isMatch = gt.gtIDIsNonzero[gtStart + sorted[m]]
                }
                // Unmatched detections outside the area range are ignored, not false positives.
                if !isMatch && (areas[d] < range.lower || areas[d] > range.upper) { ignored = true }
                if !ignored { flags[(flagsStart + d) * Self.areaCount + a] |= isMatch ? tpBit : fpBit }
            }
        }
    }
}

/// pycocotools' order `np.argsort(-score, kind="mergesort")`: highest score first, NaN last (numpy
/// sorts NaN to the end), ties by position. A total order, so any sort gives the stable result.
@inline(__always) func scoreOrder(_ score: [Double], _ a: Int, _ b: Int) -> Bool {
    let sa = score[a], sb = score[b]
    if sa > sb { return true }
    if sa == sb { return a < b }
    if sa.isNaN || sb.isNaN { return sa.isNaN == sb.isNaN ? a < b : sb.isNaN }
    return false
}

/// Sorts `count` detection indices by `scoreOrder`: insertion sort for the usual handful, the
/// standard sort beyond.
private func sortByScore(_ order: UnsafeMutablePointer<Int>, _ count: Int, _ score: [Double]) {
    @inline(__always) func before(_ a: Int, _ b: Int) -> Bool { scoreOrder(score, a, b) }
    if count > 24 {
        var buffer = UnsafeMutableBufferPointer(start: order, count: count)
        buffer.sort(by: before)
        return
    }
    for i in 1..<max(count, 1) {
        let item = order[i]
        var j = i
        while j > 0 && before(item, order[j - 1]) { order[j] = order[j - 1]; j -= 1 }
        order[j] = item
    }
}

/// A growable buffer of a trivial type, reused across calls; contents are scratch (not preserved on growth).
final class Scratch<Element> {
    private var pointer = UnsafeMutablePointer<Element>.allocate(capacity: 16)
    private var capacity = 16

    func reserve(_ count: Int) -> UnsafeMutablePointer<Element> {
        if count > capacity {
            pointer.deallocate()
            capacity = max(count, 2 * capacity)
            pointer = .allocate(capacity: capacity)
        }
        return pointer
    }

    deinit { pointer.deallocate() }
}
