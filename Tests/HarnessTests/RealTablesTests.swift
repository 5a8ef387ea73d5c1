import Foundation
import Testing
@testable import Harness

/// The repository's own `tables/`: every file must load with zero problems.
@Suite struct RealTablesTests {
    /// `Tests/HarnessTests/RealTablesTests.swift` → the package root → `tables/`.
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("tables")

    @Test func everyTableFileValidates() throws {
        do {
            let catalog = try TableCatalog.load(from: Self.directory)
            #expect(!catalog.tables.isEmpty)
            #expect(Set(catalog.tables.map(\.id.paper)) == Set(PaperKey.allCases))
        } catch let error as TableLoadError {
            Issue.record("the table files have problems:\n\(error)")
        }
    }

    /// ld Table 2 is the README's example of a column override: its VOC columns train a ResNet-18
    /// student on VOC, with the teacher's schedule unknown.
    @Test func columnOverridesResolveOnARealTable() throws {
        let url = Self.directory.appendingPathComponent("ld/table2.yaml")
        let spec = try TableLoader.load(contentsOf: url, displayPath: "tables/ld/table2.yaml")
        let row = try #require(spec.rows.first)
        let coco = spec.effectiveSetting(row: row, column: try #require(spec.column("coco_AP")))
        let voc = spec.effectiveSetting(row: row, column: try #require(spec.column("voc_AP")))
        #expect(coco["dataset"] == .string("coco"))
        #expect(coco.value(at: "student.backbone") == .string("resnet50"))
        #expect(voc["dataset"] == .string("voc"))
        #expect(voc.value(at: "student.backbone") == .string("resnet18"))
        #expect(voc.value(at: "teacher.backbone") == .string("resnet101"))
        #expect(voc.value(at: "teacher.schedule") == nil)
    }

    /// The paper audit (printed deltas that disagree with the cells, claims that fail on the
    /// published numbers) is information, not a failure: the papers are what they are. Set
    /// HARNESS_PRINT_AUDIT=1 to print it.
    @Test func paperAuditRunsOnEveryTable() throws {
        // File by file, so that one malformed file (reported by the test above) does not hide
        // the audit of the others.
        let tables = try TableCatalog.tableFiles(in: Self.directory).compactMap { file in
            try? TableLoader.load(contentsOf: file, displayPath: TableCatalog.displayPath(of: file, in: Self.directory))
        }
        var lines: [String] = []
        for table in tables {
            lines += table.printedDeltaAudit().map(\.description)
            lines += table.claimsFailingOnPublishedValues().map(\.description)
        }
        if ProcessInfo.processInfo.environment["HARNESS_PRINT_AUDIT"] == "1" {
            print((["paper audit: \(lines.count) finding(s)"] + lines).joined(separator: "\n"))
        }
    }
}
