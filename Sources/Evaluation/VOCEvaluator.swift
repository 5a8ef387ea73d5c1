/// A PASCAL VOC ground-truth object. `difficult` objects are neither required nor penalised.
public struct VOCObject: Equatable, Sendable {
    public var imageID: Int
    public var classID: Int
    public var box: BoundingBox
    public var difficult: Bool

    public init(imageID: Int, classID: Int, box: BoundingBox, difficult: Bool = false) {
        self.imageID = imageID
        self.classID = classID
        self.box = box
        self.difficult = difficult
    }
}

public struct VOCDetection: Equatable, Sendable {
    public var imageID: Int
    public var classID: Int
    public var box: BoundingBox
    public var score: Double

    public init(imageID: Int, classID: Int, box: BoundingBox, score: Double) {
        self.imageID = imageID
        self.classID = classID
        self.box = box
        self.score = score
    }
}

/// An object (with `difficult`) or a detection (with `score`) of the geometry-free protocol.
public struct VOCItem: Equatable, Sendable {
    public var imageID: Int
    public var classID: Int
    public var difficult: Bool
    public var score: Double

    public init(imageID: Int, classID: Int, difficult: Bool = false, score: Double = 0) {
        self.imageID = imageID; self.classID = classID; self.difficult = difficult; self.score = score
    }
}

public enum VOCAPMethod: String, Sendable, CaseIterable {
    /// VOC2010 and later: area under the monotone precision envelope.
    case area
    /// VOC2007: mean of the interpolated precision at recall 0, 0.1, ..., 1.
    case elevenPoint
}

public struct VOCClassResult: Equatable, Sendable {
    public var classID: Int
    /// nil when the class has no non-difficult ground truth (excluded from mAP).
    public var ap: Double?
    /// Non-difficult ground-truth objects (the devkit's `npos`).
    public var groundTruthCount: Int
    public var detectionCount: Int
}

public struct VOCEvaluation: Equatable, Sendable {
    public var perClass: [VOCClassResult]
    /// Mean AP over classes that have ground truth; nil when none has.
    public var mAP: Double?
}

/// VOC detection AP as the official devkit (`VOCevaldet.m`) and its Python ports (`voc_eval.py`,
/// mmdetection's `eval_map`) compute it: detections in score order, each matched to the
/// highest-IoU object of its image and class; IoU >= threshold on a fresh object is a true
/// positive, on an already-taken object a false positive, on a difficult object ignored.
public struct VOCEvaluator: Sendable {
    public var iouThreshold: Double
    public var method: VOCAPMethod
    /// The devkit's integer-pixel convention: widths are `x2 - x1 + 1` (mmdetection's
    /// `use_legacy_coordinate`). Off by default because our boxes are continuous coordinates.
    public var legacyPixelCoordinates: Bool

    public init(iouThreshold: Double = 0.5, method: VOCAPMethod = .area, legacyPixelCoordinates: Bool = false) {
        self.iouThreshold = iouThreshold
        self.method = method
        self.legacyPixelCoordinates = legacyPixelCoordinates
    }

    /// `classIDs` defaults to every class present in the ground truth or the detections.
    public func evaluate(groundTruth: [VOCObject], detections: [VOCDetection], classIDs: [Int]? = nil) -> VOCEvaluation {
        evaluate(objects: groundTruth.map { VOCItem(imageID: $0.imageID, classID: $0.classID, difficult: $0.difficult) },
                 detections: detections.map { VOCItem(imageID: $0.imageID, classID: $0.classID, score: $0.score) },
                 classIDs: classIDs) { d, o in iou(detections[d].box, groundTruth[o].box) }
    }

    /// The same protocol for any geometry (oriented boxes: DOTA): objects and detections by image,
    /// class, difficulty and score; `overlap(d, o)` is the IoU of detection d with object o.
    public func evaluate(objects: [VOCItem], detections: [VOCItem], classIDs: [Int]? = nil,
                         overlap: (_ detection: Int, _ object: Int) -> Double) -> VOCEvaluation {
        let classes = classIDs ?? Array(Set(objects.map(\.classID)).union(detections.map(\.classID))).sorted()
        var objectsOfClass: [Int: [Int]] = [:], detectionsOfClass: [Int: [Int]] = [:]
        for (i, o) in objects.enumerated() { objectsOfClass[o.classID, default: []].append(i) }
        for (i, d) in detections.enumerated() { detectionsOfClass[d.classID, default: []].append(i) }
        let perClass = classes.map { classID in
            evaluateClass(classID, objects: objects, objectIndices: objectsOfClass[classID] ?? [],
                          detections: detections, detectionIndices: detectionsOfClass[classID] ?? [], overlap: overlap)
        }
        let aps = perClass.compactMap(\.ap)
        return VOCEvaluation(perClass: perClass, mAP: aps.isEmpty ? nil : aps.reduce(0, +) / Double(aps.count))
    }

    private func evaluateClass(_ classID: Int, objects: [VOCItem], objectIndices: [Int], detections: [VOCItem],
                               detectionIndices: [Int], overlap: (Int, Int) -> Double) -> VOCClassResult {
        var objectsOfImage: [Int: [Int]] = [:]
        for j in objectIndices { objectsOfImage[objects[j].imageID, default: []].append(j) }
        var taken = Set<Int>()
        let positives = objectIndices.filter { !objects[$0].difficult }.count

        // Highest score first; ties keep input order (MATLAB's sort is stable).
        let order = detectionIndices.sorted {
            detections[$0].score > detections[$1].score || (detections[$0].score == detections[$1].score && $0 < $1)
        }
        var tp = 0.0, fp = 0.0
        var recall: [Double] = [], precision: [Double] = []
        for d in order {
            var best = -Double.infinity, match = -1
            for j in objectsOfImage[detections[d].imageID] ?? [] {
                let o = overlap(d, j)
                if o > best { best = o; match = j }   // first of equal maxima, as argmax
            }
            if match >= 0 && best >= iouThreshold {
                if objects[match].difficult {
                    // neither true nor false positive
                } else if taken.insert(match).inserted {
                    tp += 1
                } else {
                    fp += 1
                }
            } else {
                fp += 1
            }
            recall.append(tp / Double(positives))
            precision.append(tp / max(tp + fp, Double.ulpOfOne))
        }
        let ap: Double? = positives == 0 ? nil : averagePrecision(recall: recall, precision: precision)
        return VOCClassResult(classID: classID, ap: ap, groundTruthCount: positives, detectionCount: detectionIndices.count)
    }

    func iou(_ a: BoundingBox, _ b: BoundingBox) -> Double {
        let one = legacyPixelCoordinates ? 1.0 : 0.0
        let ax2 = a.x + a.width, ay2 = a.y + a.height, bx2 = b.x + b.width, by2 = b.y + b.height
        let iw = max(min(ax2, bx2) - max(a.x, b.x) + one, 0)
        let ih = max(min(ay2, by2) - max(a.y, b.y) + one, 0)
        let intersection = iw * ih
        let union = (a.width + one) * (a.height + one) + (b.width + one) * (b.height + one) - intersection
        return union > 0 ? intersection / union : 0
    }

    /// `voc_ap(rec, prec, use_07_metric)`.
    func averagePrecision(recall: [Double], precision: [Double]) -> Double {
        switch method {
        case .elevenPoint:
            // Thresholds as np.arange(0, 1.1, 0.1) makes them: i * 0.1 (so 0.30000000000000004).
            return (0...10).reduce(0.0) { ap, i in
                let t = Double(i) * 0.1
                let best = zip(recall, precision).filter { $0.0 >= t }.map(\.1).max() ?? 0
                return ap + best / 11
            }
        case .area:
            let mrec = [0] + recall + [1]
            var mpre = [0] + precision + [0]
            for i in stride(from: mpre.count - 1, to: 0, by: -1) { mpre[i - 1] = max(mpre[i - 1], mpre[i]) }
            var ap = 0.0
            for i in 0..<(mrec.count - 1) where mrec[i + 1] != mrec[i] { ap += (mrec[i + 1] - mrec[i]) * mpre[i + 1] }
            return ap
        }
    }
}
