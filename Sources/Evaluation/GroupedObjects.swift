/// Objects (gt or detections) ordered by category, then image, then input order — the order in
/// which pycocotools meets them — as flat arrays. Memory is O(objects + images + categories), so
/// sets with many categories and images (LVIS, Objects365) cost no more than their objects.
struct GroupedObjects: Sendable {
    /// `order[j]` = input position of the j-th object.
    var order: [Int]
    /// Image index of the j-th object.
    var image: [Int]
    /// Category k owns objects `categoryStart[k]..<categoryStart[k + 1]`.
    var categoryStart: [Int]
    var boxes: [Double] = []          // x, y, w, h per object
    var gtArea: [Double] = []
    var gtCrowd: [Bool] = []
    var gtIgnore: [Bool] = []
    var gtIDIsNonzero: [Bool] = []
    var dtScore: [Double] = []

    /// Two stable counting sorts (by image, then by category) give (category, image, input) order.
    init(categories: [Int], images: [Int], categoryCount: Int, imageCount: Int) {
        let byImage = stableCountingSort(Array(0..<images.count), keys: images, bucketCount: imageCount)
        let byCategory = stableCountingSort(byImage.order, keys: categories, bucketCount: categoryCount)
        order = byCategory.order
        image = order.map { images[$0] }
        categoryStart = byCategory.bucketStart
    }

    /// Whether the j-th gt is left out of scoring in an area range: crowd (or flagged), or its
    /// area outside the range, whose ends both count as inside (pycocotools' `area < lo or
    /// area > hi`).
    func isIgnoredGroundTruth(_ j: Int, in range: (lower: Double, upper: Double)) -> Bool {
        gtIgnore[j] || gtArea[j] < range.lower || gtArea[j] > range.upper
    }

    func gatherBoxes(_ flat: [BoundingBox]) -> [Double] {
        var result: [Double] = []
        result.reserveCapacity(4 * order.count)
        for position in order {
            let box = flat[position]
            result.append(box.x); result.append(box.y); result.append(box.width); result.append(box.height)
        }
        return result
    }
}

/// Reorders `items` stably by `keys[item]`; also returns where each bucket starts.
private func stableCountingSort(_ items: [Int], keys: [Int], bucketCount: Int) -> (order: [Int], bucketStart: [Int]) {
    var start = [Int](repeating: 0, count: bucketCount + 1)
    for item in items { start[keys[item] + 1] += 1 }
    for b in 0..<bucketCount { start[b + 1] += start[b] }
    var next = start
    var order = [Int](repeating: 0, count: items.count)
    for item in items {
        order[next[keys[item]]] = item
        next[keys[item]] += 1
    }
    return (order, start)
}

/// Visits, in image order, every image of category `k` that has ground truth or detections, with
/// the ranges of its ground truth and detections (pycocotools skips the others: evaluateImg → None).
func forEachImage(ofCategory k: Int, groundTruth gt: GroupedObjects, detections dt: GroupedObjects,
                  _ body: (_ gts: Range<Int>, _ dts: Range<Int>) -> Void) {
    var g = gt.categoryStart[k], d = dt.categoryStart[k]
    let gEnd = gt.categoryStart[k + 1], dEnd = dt.categoryStart[k + 1]
    while g < gEnd || d < dEnd {
        let image = min(g < gEnd ? gt.image[g] : Int.max, d < dEnd ? dt.image[d] : Int.max)
        var g2 = g, d2 = d
        while g2 < gEnd && gt.image[g2] == image { g2 += 1 }
        while d2 < dEnd && dt.image[d2] == image { d2 += 1 }
        body(g..<g2, d..<d2)
        g = g2
        d = d2
    }
}
