import Foundation
import Testing
@testable import Harness

/// The "Object sizes" section of reports: counting by COCO's area ranges, its text, and which
/// validation sets a table's size columns read.
@Suite struct ObjectSizeTests {
    typealias F = AnalysisFixtures

    @Test func rangesAreClosedAboveAndCrowdsLeftOut() {
        var sizes = ValidationObjectSizes(dataset: "d", smallUpper: 1024, mediumUpper: 9216)
        for area in [1024, 1024.5, 9216, 9216.1] { sizes.count(area: area, isCrowd: false) }
        sizes.count(area: 10, isCrowd: true)
        #expect((sizes.small, sizes.medium, sizes.large, sizes.total) == (1, 2, 1, 4))
    }

    @Test func aThinRangeIsFlagged() {
        var thin = ValidationObjectSizes(dataset: "coco: synthetic", smallUpper: 18.204444, mediumUpper: 163.84)
        (thin.small, thin.medium, thin.large) = (4, 794, 2177)
        var even = ValidationObjectSizes(dataset: "coco: real", smallUpper: 1024, mediumUpper: 9216)
        (even.small, even.medium, even.large) = (41, 34, 25)
        var broken = ValidationObjectSizes(dataset: "voc at small", smallUpper: 0, mediumUpper: 0)
        broken.problem = "no such variant"
        #expect(ObjectSizeText.lines([thin, even, broken]) == [
            "coco: synthetic: 2975 objects; small (area ≤ 18.2 px²) 4 (0.1 %), medium (≤ 163.8 px²) 794 (26.7 %), "
                + "large 2177 (73.2 %). ⚠ The small range holds under 1 % of the objects: APs rests on 4 objects and says next to nothing here.",
            "coco: real: 100 objects; small (area ≤ 1024 px²) 41 (41.0 %), medium (≤ 9216 px²) 34 (34.0 %), large 25 (25.0 %).",
            "voc at small: not counted (no such variant).",
        ])
    }

    @Test func reportsPrintTheSectionOnlyWhenThereAreCounts() throws {
        var measured = try F.miniMeasured()
        #expect(!MarkdownReport(measured).text.contains("Object sizes"))
        #expect(!TerminalReport(measured).text.contains("Object sizes"))
        var sizes = ValidationObjectSizes(dataset: "coco: real", smallUpper: 1024, mediumUpper: 9216)
        (sizes.small, sizes.medium, sizes.large) = (41, 34, 25)
        measured.objectSizes = [sizes]
        let markdown = MarkdownReport(measured).text
        #expect(markdown.contains("## Object sizes\n\nAPs, APm and APl average over"))
        #expect(markdown.contains("\n- coco: real: 100 objects; small (area ≤ 1024 px²) 41 (41.0 %)"))
        let terminal = TerminalReport(measured).lines
        #expect(terminal.contains("Object sizes") && terminal.allSatisfy { $0.count <= 120 })
    }

    /// Table 8's size columns read one validation set at small, the one the README describes;
    /// Table 5 has no size column, and full scale reads no data for a report.
    @Test func tablesGetTheCountsOfTheirValidationSets() throws {
        let small = Planner.plan([try F.table("ld/table8"), try F.table("ld/table5")], scale: .small, seeds: 3)
        let counted = ValidationObjectSizes.measure(small)
        let table8 = try #require(counted[try F.table("ld/table8").id])
        #expect(table8.count == 1)
        #expect((table8[0].small, table8[0].medium, table8[0].large) == (4, 794, 2177))
        #expect(table8[0].dataset == "coco: synthetic standard scenes, 64 px, 1000 validation images")
        #expect(counted[try F.table("ld/table5").id] == nil)
        #expect(ValidationObjectSizes.measure(Planner.plan([try F.table("ld/table8")], scale: .full, seeds: 1)).isEmpty)
    }
}
