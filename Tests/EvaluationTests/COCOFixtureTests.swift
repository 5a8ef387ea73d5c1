import Foundation
import Testing
@testable import Evaluation

/// Agreement with pycocotools on the generated fixture pairs (see Fixtures/README.md).
@Suite("COCO fixtures vs pycocotools") struct COCOFixtureTests {
    static let names = ["basic", "crowd", "many_dets", "ties", "sparse", "quirks", "random_large"]

    struct Expected: Decodable {
        var stats: [Double]
        var ap_at_iou: [Double]
        var per_category_ap: [String: Double]
    }

    static func fixtureURL(_ file: String) throws -> URL {
        try #require(Bundle.module.url(forResource: "Fixtures/\(file)", withExtension: nil))
    }

    static func run(_ name: String) throws -> (COCOEvaluation, Expected) {
        let evaluator = try COCOEvaluator(groundTruthFile: fixtureURL("\(name)_gt.json"))
        let evaluation = try evaluator.evaluate(resultsFile: fixtureURL("\(name)_dt.json"))
        let expected = try JSONDecoder().decode(Expected.self, from: Data(contentsOf: fixtureURL("\(name)_expected.json")))
        return (evaluation, expected)
    }

    @Test(arguments: names) func twelveStatsAgree(name: String) throws {
        let (evaluation, expected) = try Self.run(name)
        for (i, (got, want)) in zip(evaluation.stats.values, expected.stats).enumerated() {
            #expect(abs(got - want) <= 1e-4, "\(name) \(COCOStats.names[i]): \(got) vs pycocotools \(want)")
        }
    }

    @Test(arguments: names) func apAtEachIoUAgrees(name: String) throws {
        let (evaluation, expected) = try Self.run(name)
        for (t, want) in expected.ap_at_iou.enumerated() {
            let got = try #require(evaluation.averagePrecision(iouThreshold: COCOParameters.iouThresholds[t]))
            #expect(abs(got - want) <= 1e-4, "\(name) AP@\(COCOParameters.iouThresholds[t]): \(got) vs \(want)")
        }
    }

    @Test(arguments: names) func perCategoryAPAgrees(name: String) throws {
        let (evaluation, expected) = try Self.run(name)
        #expect(evaluation.categoryIDs.map(String.init).sorted() == expected.per_category_ap.keys.sorted())
        for (id, want) in expected.per_category_ap {
            let got = try #require(evaluation.averagePrecision(categoryID: Int(id)!))
            #expect(abs(got - want) <= 1e-4, "\(name) category \(id): \(got) vs \(want)")
        }
    }

    /// Same operations in the same order as pycocotools + numpy (including np.mean's pairwise
    /// summation), so the numbers are not merely close but identical.
    @Test(arguments: names) func statsAreBitIdentical(name: String) throws {
        let (evaluation, expected) = try Self.run(name)
        #expect(evaluation.stats.values == expected.stats)
        #expect(evaluation.perCategoryAveragePrecision.map(\.ap)
                == evaluation.categoryIDs.map { expected.per_category_ap[String($0)]! })
    }

    @Test func thresholdsEqualNumpyLinspace() throws {
        struct Parameters: Decodable { var iouThrs: [Double]; var recThrs: [Double] }
        let numpy = try JSONDecoder().decode(Parameters.self, from: Data(contentsOf: Self.fixtureURL("parameters.json")))
        #expect(COCOParameters.iouThresholds == numpy.iouThrs)
        #expect(COCOParameters.recallThresholds == numpy.recThrs)
        #expect(COCOParameters.iouIndex(of: 0.9) == 8)
        #expect(COCOParameters.iouIndex(of: 0.75) == 5)
        #expect(COCOParameters.iouIndex(of: 0.52) == nil)
    }
}
