import Foundation

/// PAA's score voting (mmdetection `PAAHead.score_voting`): each detection's box becomes the
/// average of the same class's pre-NMS candidates (score above the threshold) that overlap it
/// with IoU > 0.01, weighted by p_i = exp(−(1 − IoU_i)² / σ)·score_i with σ = 0.025; the score
/// stays the detection's (a zero-area box overlaps nothing and is kept). The output is grouped by class in class order, as mmdet returns it.
public func scoreVoting(_ detections: Detections, candidateBoxes: [Box], candidateScores: [Float], candidateLabels: [Int],
                        numClasses: Int, sigma: Float = 0.025) -> Detections {
    precondition(candidateBoxes.count == candidateScores.count && candidateScores.count == candidateLabels.count,
                 "scoreVoting: \(candidateBoxes.count) boxes, \(candidateScores.count) scores, \(candidateLabels.count) labels")
    var out = Detections()
    for c in 0..<numClasses {
        let mine = candidateLabels.indices.filter { candidateLabels[$0] == c }
        guard !mine.isEmpty else { continue }   // mmdet skips a class without candidates
        for d in detections.labels.indices where detections.labels[d] == c {
            var sum: Float = 0, x1: Float = 0, y1: Float = 0, x2: Float = 0, y2: Float = 0
            for i in mine {
                let iou = boxOverlap(detections.boxes[d], candidateBoxes[i])
                guard iou > 0.01 else { continue }
                let p = Foundation.exp(-(1 - iou) * (1 - iou) / sigma) * candidateScores[i]
                let b = candidateBoxes[i]
                sum += p; x1 += p * b.x1; y1 += p * b.y1; x2 += p * b.x2; y2 += p * b.y2
            }
            // A degenerate (zero-area) detection overlaps nothing, itself included: kept as it is.
            out.boxes.append(sum > 0 ? Box(x1: x1 / sum, y1: y1 / sum, x2: x2 / sum, y2: y2 / sum) : detections.boxes[d])
            out.scores.append(detections.scores[d])
            out.labels.append(c)
            out.priorIndices.append(detections.priorIndices[d])
        }
    }
    return out
}
