@testable import Harness

/// A small valid table file whose line numbers the tests rely on: edit one line, expect a
/// diagnostic at that line.
enum TableFixture {
    static let lines: [String] = [
        /* 1 */ "paper:",
        /* 2 */ "  key: ld",
        /* 3 */ "  arxiv: \"2204.05957\"",
        /* 4 */ "  title: \"Localization Distillation for Object Detection\"",
        /* 5 */ "table: \"3\"",
        /* 6 */ "caption: \"A test table.\"",
        /* 7 */ "source: \"test\"",
        /* 8 */ "setting:",
        /* 9 */ "  dataset: coco",
        /* 10 */ "  schedule: 1x",
        /* 11 */ "  detector: gfl",
        /* 12 */ "  student: {backbone: resnet50}",
        /* 13 */ "  teacher: {detector: gfl, backbone: resnet101, schedule: 2x}",
        /* 14 */ "  distillation: []",
        /* 15 */ "columns:",
        /* 16 */ "  - {key: AP, metric: AP}",
        /* 17 */ "  - {key: AP50, metric: AP50}",
        /* 18 */ "rows:",
        /* 19 */ "  - key: base",
        /* 20 */ "    label: \"Baseline\"",
        /* 21 */ "    values: {AP: 40.10, AP50: 58.2}",
        /* 22 */ "  - key: ld",
        /* 23 */ "    label: \"LD\"",
        /* 24 */ "    distillation: [{method: ld, temperature: 10}]",
        /* 25 */ "    baseline: base",
        /* 26 */ "    printed_deltas: {AP: \"+1.0\"}",
        /* 27 */ "    values: {AP: 41.1, AP50: \"-\"}",
        /* 28 */ "claims:",
        /* 29 */ "  - key: ld-helps",
        /* 30 */ "    says: \"LD helps\"",
        /* 31 */ "    source: \"§4\"",
        /* 32 */ "    all:",
        /* 33 */ "      - {better: ld.AP, than: base.AP}",
    ]

    /// The fixture with some 1-based lines replaced (a replacement may hold several lines).
    static func text(replacing replacements: [Int: String] = [:]) -> String {
        lines.enumerated().map { index, line in replacements[index + 1] ?? line }.joined(separator: "\n") + "\n"
    }

    static let file = "tables/ld/table3.yaml"
    static let expectedID = TableID(paper: .ld, table: "3")

    /// The diagnostics of the fixture with `replacements`; empty when it loads.
    static func diagnostics(replacing replacements: [Int: String], expected: TableID? = expectedID) -> [TableDiagnostic] {
        do {
            _ = try TableLoader.parse(text(replacing: replacements), file: file, expected: expected)
            return []
        } catch let error as TableLoadError {
            return error.diagnostics
        } catch {
            return [TableDiagnostic(file: file, line: -1, message: "unexpected error \(error)")]
        }
    }
}
