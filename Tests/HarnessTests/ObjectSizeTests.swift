import Foundation
import Testing
import Evaluation
@testable import Harness

/// The "Object sizes" section of reports: counting by COCO's area ranges, its text, and which
/// validation sets a table's size columns read.
@Suite struct ObjectSizeTests {
    typealias F = AnalysisFixtures

    @Test func aThinRangeIsFlagged() {
        var thin = ValidationObjectSizes(dataset: "coco: synthetic", smallUpper: 18.204444, mediumUpper: 163.84)
        (thin.all, thin.small, thin.medium, thin.large) = (2975, 4, 794, 2177)
        var even = ValidationObjectSizes(dataset: "coco: real", smallUpper: 1024, mediumUpper: 9216)
        (even.all, even.small, even.medium, even.large) = (100, 41, 34, 25)
        var none = ValidationObjectSizes(dataset: "coco: smoke", smallUpper: 18.2, mediumUpper: 163.84)
        (none.all, none.small, none.medium, none.large) = (23, 0, 9, 14)
        var broken = ValidationObjectSizes(dataset: "voc at small", smallUpper: 0, mediumUpper: 0)
        broken.problem = "no such variant"
        #expect(ObjectSizeText.lines([thin, even, none, broken]) == [
            "coco: synthetic: 2975 objects; small (area ≤ 18.2 px²) 4 (0.1 %), medium (≤ 163.8 px²) 794 (26.7 %), "
                + "large 2177 (73.2 %). ⚠ The small range holds under 1 % of the objects: APs rests on 4 objects and says next to nothing here.",
            "coco: real: 100 objects; small (area ≤ 1024 px²) 41 (41.0 %), medium (≤ 9216 px²) 34 (34.0 %), large 25 (25.0 %).",
            "coco: smoke: 23 objects; small (area ≤ 18.2 px²) 0 (0.0 %), medium (≤ 163.8 px²) 9 (39.1 %), large 14 (60.9 %). "
                + "⚠ The small range holds no object: APs is undefined.",
            "voc at small: not counted (no such variant).",
        ])
    }

    @Test func reportsPrintTheSectionOnlyWhenThereAreCounts() throws {
        var measured = try F.miniMeasured()
        #expect(!MarkdownReport(measured).text.contains("Object sizes"))
        #expect(!TerminalReport(measured).text.contains("Object sizes"))
        var sizes = ValidationObjectSizes(dataset: "coco: real", smallUpper: 1024, mediumUpper: 9216)
        (sizes.all, sizes.small, sizes.medium, sizes.large) = (100, 41, 34, 25)
        measured.objectSizes = [sizes]
        let markdown = MarkdownReport(measured).text
        #expect(markdown.contains("## Object sizes\n\nAPs, APm and APl average over"))
        #expect(markdown.contains("\n- coco: real: 100 objects; small (area ≤ 1024 px²) 41 (41.0 %)"))
        let terminal = TerminalReport(measured).lines
        #expect(terminal.contains("Object sizes") && terminal.allSatisfy { $0.count <= 120 })
    }

    /// Table 8's size columns read one validation set at small, the one the README describes,
    /// and its counts are those of the evaluation a run of it scores with; Table 5 has no size
    /// column, and at full scale a report reads no data.
    @Test func tablesGetTheCountsOfTheirValidationSets() throws {
        let tables = [try F.table("ld/table8"), try F.table("ld/table5")]
        let small = Planner.plan(tables, scale: .small, seeds: 3)
        let bare = tables.map { MeasuredTable(table: $0, scale: "small", cells: [:]) }
        let counted = ValidationObjectSizes.attach(to: bare, plan: small)
        #expect(counted[1].objectSizes.isEmpty)
        let table8 = counted[0].objectSizes
        #expect(table8.count == 1)
        let sizes = try #require(table8.first)
        #expect([sizes.all, sizes.small, sizes.medium, sizes.large] == [Int]([2975, 4, 794, 2177]))
        #expect(sizes.dataset == "coco: synthetic standard scenes, 64 px, 1000 validation images")

        let spec = try #require(small.runs.first { $0.spec.detector == "gflv2" && $0.spec.teacher == nil }).spec
        let run = try DetectorRunExecutor.detectionRun(spec)
        #expect(COCOEvaluator(groundTruth: run.val.groundTruth(), areaRanges: run.evaluation.areaRanges).groundTruthCounts
            == [sizes.all, sizes.small, sizes.medium, sizes.large])

        let full = Planner.plan([tables[0]], scale: .full, seeds: 1)
        #expect(ValidationObjectSizes.attach(to: [bare[0]], plan: full)[0].objectSizes.isEmpty)
    }
}
