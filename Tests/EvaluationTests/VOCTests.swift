import Testing
@testable import Evaluation

/// A case worked by hand with the devkit's rules.
@Suite("VOC AP") struct VOCTests {
    static func box(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double) -> BoundingBox {
        BoundingBox(x1: x1, y1: y1, x2: x2, y2: y2)
    }

    // Class 1: A (image 1), B (image 1, difficult), C (image 2): two positives.
    // Detections by score: A hit (TP), B hit (ignored), miss in image 2 (FP), C hit (TP), A again (FP).
    // Cumulative: recall .5 .5 .5 1 1, precision 1 1 .5 2/3 .5.
    // Class 2: one object, one exact detection (AP 1). Class 3: a detection but no objects (no AP).
    static let objects = [
        VOCObject(imageID: 1, classID: 1, box: box(0, 0, 10, 10)),
        VOCObject(imageID: 1, classID: 1, box: box(50, 50, 60, 60), difficult: true),
        VOCObject(imageID: 2, classID: 1, box: box(20, 20, 40, 40)),
        VOCObject(imageID: 2, classID: 2, box: box(0, 0, 30, 30)),
    ]
    static let detections = [
        VOCDetection(imageID: 1, classID: 1, box: box(0, 0, 10, 10), score: 0.9),
        VOCDetection(imageID: 1, classID: 1, box: box(50, 50, 60, 60), score: 0.8),
        VOCDetection(imageID: 2, classID: 1, box: box(100, 100, 120, 120), score: 0.7),
        VOCDetection(imageID: 2, classID: 1, box: box(20, 20, 40, 41), score: 0.6),
        VOCDetection(imageID: 1, classID: 1, box: box(0, 0, 10, 11), score: 0.5),
        VOCDetection(imageID: 2, classID: 2, box: box(0, 0, 30, 30), score: 0.4),
        VOCDetection(imageID: 1, classID: 3, box: box(0, 0, 30, 30), score: 0.4),
    ]

    @Test func areaMethod() throws {
        let result = VOCEvaluator(method: .area).evaluate(groundTruth: Self.objects, detections: Self.detections)
        // Envelope over recall steps 0→.5 (precision 1) and .5→1 (precision 2/3): .5 + .5·2/3.
        #expect(abs(result.perClass[0].ap! - (0.5 + 1.0 / 3)) < 1e-12)
        #expect(result.perClass[0].groundTruthCount == 2)
        #expect(result.perClass[1].ap == 1)
        #expect(result.perClass[2].ap == nil)
        #expect(abs(result.mAP! - (0.5 + 1.0 / 3 + 1) / 2) < 1e-12)
    }

    @Test func elevenPointMethod() throws {
        let result = VOCEvaluator(method: .elevenPoint).evaluate(groundTruth: Self.objects, detections: Self.detections)
        // Recall points 0...0.5 read precision 1, 0.6...1 read 2/3: (6 + 5·2/3) / 11 = 28/33.
        #expect(abs(result.perClass[0].ap! - 28.0 / 33) < 1e-12)
        #expect(abs(result.mAP! - (28.0 / 33 + 1) / 2) < 1e-12)
    }

    @Test func difficultObjectsAreNeitherRequiredNorPenalised() {
        let objects = [VOCObject(imageID: 1, classID: 1, box: Self.box(0, 0, 10, 10)),
                       VOCObject(imageID: 1, classID: 1, box: Self.box(50, 50, 60, 60), difficult: true)]
        let onlyEasy = VOCEvaluator().evaluate(groundTruth: objects,
                                               detections: [VOCDetection(imageID: 1, classID: 1, box: Self.box(0, 0, 10, 10), score: 0.5)])
        #expect(onlyEasy.mAP == 1)
        let bothFound = VOCEvaluator().evaluate(groundTruth: objects, detections: [
            VOCDetection(imageID: 1, classID: 1, box: Self.box(50, 50, 60, 60), score: 0.9),
            VOCDetection(imageID: 1, classID: 1, box: Self.box(0, 0, 10, 10), score: 0.5)])
        #expect(bothFound.mAP == 1)
    }

    @Test func iouThresholdIsInclusiveAndConfigurable() {
        let objects = [VOCObject(imageID: 1, classID: 1, box: Self.box(0, 0, 10, 10))]
        let half = [VOCDetection(imageID: 1, classID: 1, box: Self.box(0, 0, 10, 5), score: 0.5)]   // IoU exactly 0.5
        #expect(VOCEvaluator(iouThreshold: 0.5).evaluate(groundTruth: objects, detections: half).mAP == 1)
        #expect(VOCEvaluator(iouThreshold: 0.7).evaluate(groundTruth: objects, detections: half).mAP == 0)
    }

    @Test func legacyPixelCoordinatesAddOne() {
        // Inclusive pixels 0...9 × 0...9 and 0...9 × 0...4: 50 / 100 = 0.5 with the +1 convention,
        // 36 / 81 without it.
        let objects = [VOCObject(imageID: 1, classID: 1, box: Self.box(0, 0, 9, 9))]
        let detections = [VOCDetection(imageID: 1, classID: 1, box: Self.box(0, 0, 9, 4), score: 0.5)]
        #expect(VOCEvaluator(legacyPixelCoordinates: true).evaluate(groundTruth: objects, detections: detections).mAP == 1)
        #expect(VOCEvaluator().evaluate(groundTruth: objects, detections: detections).mAP == 0)
        #expect(abs(VOCEvaluator().iou(objects[0].box, detections[0].box) - 36.0 / 81) < 1e-12)
    }
}
