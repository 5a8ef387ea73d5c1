import Detection
@testable import Distillation
import Foundation
import Testing

/// DOTA-style AP of oriented boxes: VOC07 11-point AP per IoU threshold 0.50…0.95 by rotated IoU.
@Suite("Rotated evaluation") struct RotatedEvaluationTests {
    /// Image 1: object A, detected exactly (score 0.9). Image 2: object B, detected with its box
    /// slid 2.3 along its own width (IoU 30.8 / 49.2 = 0.626, score 0.8); a miss elsewhere (0.7).
    /// IoU ≤ 0.60: hit, hit, miss → precision 1 up to recall 1: AP 1. From 0.65: hit, miss,
    /// miss → recall 0.5 at precision 1: 6 of the 11 points, 6/11. AP = (3·1 + 7·6/11) / 10.
    @Test func handWorked() {
        let a = RotatedBox(centerX: 10, centerY: 12, width: 12, height: 5, angle: -0.6)
        let b = RotatedBox(centerX: 20, centerY: 20, width: 10, height: 4, angle: 0.3)
        let slid = RotatedBox(centerX: 20 + 2.3 * Foundation.cos(0.3), centerY: 20 + 2.3 * Foundation.sin(0.3), width: 10, height: 4, angle: 0.3)
        #expect(Swift.abs(rotatedIoU(slid, b) - 30.8 / 49.2) < 1e-4)
        let evaluation = RotatedEvaluation(
            objects: [(1, 1, a, false), (2, 1, b, false)],
            detections: [(1, 1, a, 0.9), (2, 1, slid, 0.8), (2, 1, RotatedBox(centerX: 40, centerY: 40, width: 6, height: 6, angle: 0), 0.7)],
            classIDs: [1])
        #expect(RotatedEvaluation.thresholds == [50, 55, 60, 65, 70, 75, 80, 85, 90, 95])
        for t in [50, 55, 60] { #expect(Swift.abs((evaluation.mAPByThreshold[t]! ?? -1) - 1) < 1e-12, "IoU \(t)") }
        for t in [65, 70, 75, 80, 85, 90, 95] { #expect(Swift.abs((evaluation.mAPByThreshold[t]! ?? -1) - 6.0 / 11) < 1e-12, "IoU \(t)") }
        let mean = (3 + 7 * 6.0 / 11) / 10
        #expect(Swift.abs(evaluation.meanAP! - mean) < 1e-12)
        let metrics = DetectorScores.rotated(evaluation).metrics
        #expect(Set(metrics.keys) == ["AP", "AP50", "AP60", "AP70", "AP75", "AP80", "AP90"])
        #expect(Swift.abs(metrics["AP"]! - 100 * mean) < 1e-9 && Swift.abs(metrics["AP60"]! - 100) < 1e-9 && Swift.abs(metrics["AP70"]! - 600.0 / 11) < 1e-9)
    }

    /// A difficult object neither needs a detection nor turns its detection into a miss; a class
    /// without ground truth is left out of the mean.
    @Test func difficultObjectsAndEmptyClasses() {
        let a = RotatedBox(centerX: 10, centerY: 12, width: 12, height: 5, angle: -0.6)
        let hard = RotatedBox(centerX: 30, centerY: 30, width: 8, height: 3, angle: 1)
        let evaluation = RotatedEvaluation(objects: [(1, 1, a, false), (1, 1, hard, true)],
                                           detections: [(1, 1, hard, 0.95), (1, 1, a, 0.9)], classIDs: [1, 2])
        #expect(Swift.abs(evaluation.meanAP! - 1) < 1e-12)
    }
}
