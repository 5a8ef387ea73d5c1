/// Final detections of one image, best first.
public struct Detections: Equatable, Sendable {
    public var boxes: [Box]
    public var scores: [Float]
    /// Class indices 0..<numClasses (mmdet v2: no background class in the output).
    public var labels: [Int]
    /// For each detection, the prior it was decoded from (flat index over all levels, in
    /// `PriorLayout` order); distillation methods use it to look teacher and student up at the
    /// same location.
    public var priorIndices: [Int]
    /// Rotated detectors: the oriented boxes (`boxes` holds their axis-aligned hulls); nil otherwise.
    public var rotatedBoxes: [RotatedBox]?

    public init(boxes: [Box] = [], scores: [Float] = [], labels: [Int] = [], priorIndices: [Int] = []) {
        precondition(boxes.count == scores.count && boxes.count == labels.count && boxes.count == priorIndices.count,
                     "Detections: mismatched lengths")
        self.boxes = boxes; self.scores = scores; self.labels = labels; self.priorIndices = priorIndices
    }

    public var count: Int { boxes.count }
}

/// mmdet 2.x's `multiclass_nms` for sigmoid heads with one box per prior:
/// 1. candidates are the (prior, class) pairs with score > `scoreThreshold` (strict), in
///    prior-major, class-minor order;
/// 2. with `scoreFactors` (FCOS/ATSS centerness), each candidate's score is multiplied by its
///    prior's factor *after* the threshold, as mmdet does;
/// 3. `batchedNMS` per class at `iouThreshold`, sorted by score;
/// 4. the first `maxPerImage` are kept (all when ≤ 0).
/// `scores` is n × numClasses row-major; `priorIndices[i]` (default i) is reported per detection.
public func multiclassNMS(boxes: [Box], scores: [Float], numClasses: Int, scoreThreshold: Float, iouThreshold: Float,
                          maxPerImage: Int, scoreFactors: [Float]? = nil, priorIndices: [Int]? = nil) -> Detections {
    let n = boxes.count
    precondition(scores.count == n * numClasses, "multiclassNMS: \(scores.count) scores for \(n) boxes × \(numClasses) classes")
    precondition(scoreFactors == nil || scoreFactors!.count == n, "multiclassNMS: score factors for \(scoreFactors!.count) of \(n) boxes")
    precondition(priorIndices == nil || priorIndices!.count == n, "multiclassNMS: prior indices for \(priorIndices!.count) of \(n) boxes")
    let candidates = MulticlassCandidates(scores: scores, numClasses: numClasses, scoreThreshold: scoreThreshold,
                                          scoreFactors: scoreFactors)
    let candBoxes = candidates.rows.map { boxes[$0] }, candScores = candidates.scores, candLabels = candidates.labels
    let candPriors = candidates.rows.map { priorIndices?[$0] ?? $0 }
    let keep = batchedNMS(boxes: candBoxes, scores: candScores, classes: candLabels, iouThreshold: iouThreshold,
                          maxKept: maxPerImage > 0 ? maxPerImage : nil)
    return Detections(boxes: keep.map { candBoxes[$0] }, scores: keep.map { candScores[$0] },
                      labels: keep.map { candLabels[$0] }, priorIndices: keep.map { candPriors[$0] })
}

/// The candidates of `multiclass_nms` (axis-aligned and rotated): the (row, class) pairs with
/// score > `scoreThreshold` (strict), row-major, class-minor; each score times its row's factor
/// when there is one, applied after the threshold as mmdet does.
public struct MulticlassCandidates: Sendable {
    public var rows: [Int] = [], scores: [Float] = [], labels: [Int] = []

    /// `scores` is n × numClasses row-major.
    public init(scores: [Float], numClasses: Int, scoreThreshold: Float, scoreFactors: [Float]? = nil) {
        for i in 0..<(scores.count / numClasses) {
            for c in 0..<numClasses {
                let s = scores[i * numClasses + c]
                guard s > scoreThreshold else { continue }
                rows.append(i); labels.append(c)
                self.scores.append(scoreFactors.map { s * $0[i] } ?? s)
            }
        }
    }
}
