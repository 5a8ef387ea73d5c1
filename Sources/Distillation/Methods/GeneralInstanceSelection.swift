import Detection
import Foundation

/// General-instance selection as the LD repo's `get_gi_region` (a simplified GISM of GID,
/// Dai et al. 2021; methods.md B4): per FPN level, over the whole batch at once,
/// - GI score of a prior = max_c |σ(t_c) − σ(s_c)|;
/// - GI box = the teacher's decoded box if σ(t) ≥ σ(s) at that class, else the student's;
/// - NMS at IoU 0.3 on the GI boxes, keep the first `topK` = 10.
/// As in the code, boxes of different images in the batch may suppress each other (one NMS per
/// level over the flattened batch), and the K are per level for the whole batch, not per image.
/// Needs distribution heads on both sides (GFL or GFL-ified) to decode the boxes.
public struct GeneralInstanceSelection: Sendable, Equatable {
    public var topK: Int
    public var nmsIoU: Float

    public init(topK: Int = 10, nmsIoU: Float = 0.3) { self.topK = topK; self.nmsIoU = nmsIoU }

    /// Selected flat priors (b·P + i) over all levels.
    public func select(student: DenseDetector.Outputs, teacher: DenseDetector.Outputs) -> [Int] {
        let priors = student.priors, p = priors.layout.count, k = student.cls.shape[2]
        let all = Array(0..<(student.batch * p))
        let ds = student.expectedDistances(all), dt = teacher.expectedDistances(all)
        var out: [Int] = []
        for level in priors.layout.levels {
            var flat: [Int] = [], boxes: [Box] = [], scores: [Float] = []
            for b in 0..<student.batch { for i in level.range {
                let f = b * p + i
                var best: Float = -1, teacherAhead = true
                for c in 0..<k {
                    let z = sigmoid(teacher.cls.data[f * k + c]) - sigmoid(student.cls.data[f * k + c])
                    if Swift.abs(z) > best { best = Swift.abs(z); teacherAhead = z >= 0 }
                }
                let d = teacherAhead ? dt : ds, s = priors.strides[i], c = priors.centers[i]
                boxes.append(Box(x1: c.x - d[4 * f] * s, y1: c.y - d[4 * f + 1] * s,
                                 x2: c.x + d[4 * f + 2] * s, y2: c.y + d[4 * f + 3] * s))
                flat.append(f); scores.append(best)
            } }
            // Greedy NMS stopping after topK survivors: the same first K as a full NMS, without
            // visiting every box of a large level.
            out += batchedNMS(boxes: boxes, scores: scores, classes: [Int](repeating: 0, count: boxes.count),
                              iouThreshold: nmsIoU, classAgnostic: true, maxKept: topK).map { flat[$0] }
        }
        return out
    }
}

@inline(__always) private func sigmoid(_ x: Float) -> Float { 1 / (1 + Foundation.exp(-x)) }
