import Testing
@testable import Evaluation

/// Small cases whose pycocotools numbers can be worked out by hand.
@Suite("COCO hand-worked cases") struct COCOHandWorkedTests {
    static func box(_ x: Double, _ y: Double, _ w: Double, _ h: Double) -> BoundingBox {
        BoundingBox(x: x, y: y, width: w, height: h)
    }

    static func groundTruth(_ annotations: [COCOAnnotation], images: [Int] = [1], categories: [Int] = [1]) -> COCOEvaluator {
        COCOEvaluator(groundTruth: COCOGroundTruth(images: images.map { COCOImage(id: $0) },
                                                   categories: categories.map { COCOCategory(id: $0) },
                                                   annotations: annotations))
    }

    static func gt(_ id: Int, _ b: BoundingBox, image: Int = 1, category: Int = 1, crowd: Bool = false) -> COCOAnnotation {
        COCOAnnotation(id: id, imageID: image, categoryID: category, bbox: b, isCrowd: crowd)
    }

    static func dt(_ b: BoundingBox, _ score: Double, image: Int = 1, category: Int = 1) -> COCODetection {
        COCODetection(imageID: image, categoryID: category, bbox: b, score: score)
    }

    /// Precision is tp / (tp + fp + eps), so pycocotools' "1" is 1/(1 + eps) = 0.9999999999999999, and
    /// its np.mean over 1010 such values lands one ulp lower still. Elsewhere we compare within 1e-12.
    static func near(_ value: Double?, _ expected: Double) -> Bool {
        value.map { abs($0 - expected) < 1e-12 } ?? false
    }

    @Test func perfectDetectionGivesAPOne() throws {
        let evaluator = Self.groundTruth([Self.gt(1, Self.box(10, 10, 50, 50))])   // area 2500: medium
        let s = try evaluator.evaluate([Self.dt(Self.box(10, 10, 50, 50), 0.9)]).stats
        #expect(s.AP == 0.9999999999999998 && s.AP50 == 0.9999999999999999 && s.AP75 == 0.9999999999999999)
        #expect(s.APm == 0.9999999999999998)   // pycocotools prints exactly these
        #expect(s.APs == -1 && s.APl == -1)          // no ground truth in those ranges
        #expect(s.AR1 == 1 && s.AR10 == 1 && s.AR100 == 1 && s.ARm == 1 && s.ARs == -1 && s.ARl == -1)
    }

    @Test func falsePositiveAboveTruePositive() throws {
        let evaluator = Self.groundTruth([Self.gt(1, Self.box(10, 10, 50, 50))])
        let evaluation = try evaluator.evaluate([Self.dt(Self.box(200, 200, 50, 50), 0.9),
                                                 Self.dt(Self.box(10, 10, 50, 50), 0.8)])
        // Precision [0, 1/2] → envelope [1/2, 1/2]; every recall point reads 1/2.
        #expect(Self.near(evaluation.stats.AP, 0.5))
        #expect(Self.near(evaluation.stats.AP50, 0.5))
        #expect(evaluation.stats.AR1 == 0)          // maxDets 1 keeps only the false positive
        #expect(evaluation.stats.AR10 == 1)
    }

    @Test func detectionsInsideCrowdAreIgnored() throws {
        let evaluator = Self.groundTruth([Self.gt(1, Self.box(0, 0, 100, 100), crowd: true),
                                          Self.gt(2, Self.box(200, 200, 50, 50))])
        // Two detections inside the crowd (IoU = intersection / detection area = 1): both matched
        // to the crowd, both ignored, so the lower-scoring true positive keeps precision 1.
        let evaluation = try evaluator.evaluate([Self.dt(Self.box(10, 10, 20, 20), 0.95),
                                                 Self.dt(Self.box(50, 50, 30, 30), 0.9),
                                                 Self.dt(Self.box(200, 200, 50, 50), 0.5)])
        #expect(Self.near(evaluation.stats.AP, 1))
    }

    @Test func crowdIoUIsIntersectionOverDetectionArea() throws {
        let evaluator = Self.groundTruth([Self.gt(1, Self.box(0, 0, 100, 100), crowd: true),
                                          Self.gt(2, Self.box(300, 300, 50, 50))])
        // Half of the detection lies in the crowd: crowd IoU 0.5 → ignored at 0.5 only, a false positive above.
        let evaluation = try evaluator.evaluate([Self.dt(Self.box(50, 0, 100, 100), 0.9),
                                                 Self.dt(Self.box(300, 300, 50, 50), 0.5)])
        #expect(Self.near(evaluation.averagePrecision(iouThreshold: 0.5), 1))
        #expect(Self.near(evaluation.averagePrecision(iouThreshold: 0.55), 0.5))
    }

    @Test func regularGroundTruthIsPreferredToCrowd() throws {
        let evaluator = Self.groundTruth([Self.gt(1, Self.box(0, 0, 100, 100), crowd: true),
                                          Self.gt(2, Self.box(0, 0, 20, 20))])
        // IoU 400/480 = 0.833 with the regular object, 1 with the crowd. Up to threshold 0.8 the
        // regular match wins (a true positive); from 0.85 the detection falls to the crowd and is
        // ignored, leaving the object unfound: AP = 7/10.
        let evaluation = try evaluator.evaluate([Self.dt(Self.box(0, 0, 20, 24), 0.9)])
        #expect(Self.near(evaluation.stats.AP, 0.7))
        #expect(Self.near(evaluation.averagePrecision(iouThreshold: 0.8), 1))
        #expect(evaluation.averagePrecision(iouThreshold: 0.85) == 0)
    }

    @Test func nanScoresSortLastAsInNumpy() throws {
        // A diverged model can emit NaN scores; np.argsort puts them after every number.
        let evaluator = Self.groundTruth([Self.gt(1, Self.box(10, 10, 50, 50))])
        let evaluation = try evaluator.evaluate([Self.dt(Self.box(10, 10, 50, 50), .nan),
                                                 Self.dt(Self.box(200, 200, 50, 50), 0.1)])
        #expect(Self.near(evaluation.stats.AP, 0.5))
    }

    @Test func emptyImagesAndFalsePositivesOnThem() throws {
        let evaluator = Self.groundTruth([Self.gt(1, Self.box(10, 10, 50, 50))], images: [1, 2, 3])
        let clean = try evaluator.evaluate([Self.dt(Self.box(10, 10, 50, 50), 0.8)])
        #expect(Self.near(clean.stats.AP, 1))                 // image 3 (empty, no detections) changes nothing
        let withFP = try evaluator.evaluate([Self.dt(Self.box(10, 10, 50, 50), 0.8),
                                             Self.dt(Self.box(10, 10, 50, 50), 0.9, image: 2)])
        #expect(Self.near(withFP.stats.AP, 0.5)) // the empty image's detection is a false positive
    }

    @Test func noDetectionsGivesZeroWhereThereIsGroundTruth() throws {
        let evaluator = Self.groundTruth([Self.gt(1, Self.box(10, 10, 50, 50))], categories: [1, 2])
        let s = try evaluator.evaluate([]).stats
        #expect(s.AP == 0 && s.APm == 0 && s.AR100 == 0)
        #expect(s.APs == -1 && s.APl == -1)
        let evaluation = try evaluator.evaluate([])
        #expect(evaluation.averagePrecision(categoryID: 1) == 0)
        #expect(evaluation.averagePrecision(categoryID: 2) == -1)   // no ground truth: undefined
        #expect(evaluation.averagePrecision(categoryID: 3) == nil)  // not a category
    }

    @Test func noGroundTruthAtAllGivesMinusOne() throws {
        let evaluator = Self.groundTruth([])
        let s = try evaluator.evaluate([Self.dt(Self.box(0, 0, 10, 10), 0.5)]).stats
        #expect(s.values == Array(repeating: -1, count: 12))
    }

    @Test func categoryWithoutGroundTruthIsLeftOutOfTheMean() throws {
        let evaluator = Self.groundTruth([Self.gt(1, Self.box(10, 10, 50, 50), category: 7)], categories: [3, 7])
        let evaluation = try evaluator.evaluate([Self.dt(Self.box(10, 10, 50, 50), 0.8, category: 7),
                                                 Self.dt(Self.box(10, 10, 50, 50), 0.9, category: 3)])
        #expect(Self.near(evaluation.stats.AP, 1))
        #expect(evaluation.perCategoryAveragePrecision.map(\.categoryID) == [3, 7])
    }

    @Test func detectionOnUnknownImageIsAnError() {
        let evaluator = Self.groundTruth([Self.gt(1, Self.box(10, 10, 50, 50))])
        #expect(throws: EvaluationError(source: "dt.json", message: "[0].image_id 5 is not an image of the ground truth")) {
            try evaluator.evaluate([Self.dt(Self.box(0, 0, 1, 1), 0.5, image: 5)], source: "dt.json")
        }
    }

    @Test func ignoreFlagIsOverriddenByIsCrowdUnlessHonoured() throws {
        var flagged = Self.gt(1, Self.box(10, 10, 50, 50))
        flagged.ignore = true
        let annotations = [flagged, Self.gt(2, Self.box(200, 200, 50, 50))]
        let detections = [Self.dt(Self.box(200, 200, 50, 50), 0.9)]
        let pycocotools = try Self.groundTruth(annotations).evaluate(detections)
        #expect(pycocotools.stats.AR100 == 0.5)      // flagged object still counts
        let honoured = try COCOEvaluator(groundTruth: COCOGroundTruth(images: [COCOImage(id: 1)],
                                                                      categories: [COCOCategory(id: 1)],
                                                                      annotations: annotations),
                                         honourIgnoreFlag: true).evaluate(detections)
        #expect(honoured.stats.AR100 == 1)
    }

    @Test func groundTruthCountsFollowTheAreaRanges() {
        // Areas 1024 (= 32², on the small/medium bound: in both), 500 (small), 9216.96 (large);
        // a crowd box and a box on an image the ground truth does not list count nowhere.
        let evaluator = Self.groundTruth([Self.gt(1, Self.box(0, 0, 32, 32)), Self.gt(2, Self.box(0, 0, 20, 25)),
                                          Self.gt(3, Self.box(0, 0, 96, 96.01)), Self.gt(4, Self.box(0, 0, 10, 1), crowd: true),
                                          Self.gt(5, Self.box(0, 0, 10, 10), image: 2)])
        #expect(evaluator.groundTruthCounts == [3, 2, 1, 1])
    }

    @Test func summaryTextHasPycocotoolsLayout() throws {
        let evaluation = try Self.groundTruth([Self.gt(1, Self.box(10, 10, 50, 50))])
            .evaluate([Self.dt(Self.box(10, 10, 50, 50), 0.9)])
        let lines = evaluation.summaryText.split(separator: "\n")
        #expect(lines.count == 12)
        #expect(lines[0] == " Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ] = 1.000")
        #expect(lines[1] == " Average Precision  (AP) @[ IoU=0.50      | area=   all | maxDets=100 ] = 1.000")
        #expect(lines[3] == " Average Precision  (AP) @[ IoU=0.50:0.95 | area= small | maxDets=100 ] = -1.000")
        #expect(lines[6] == " Average Recall     (AR) @[ IoU=0.50:0.95 | area=   all | maxDets=  1 ] = 1.000")
    }
}
