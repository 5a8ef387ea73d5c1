import Testing
@testable import Harness

@Suite struct TableParsingTests {
    @Test func parsesTheFixture() throws {
        let spec = try TableLoader.parse(TableFixture.text(), file: TableFixture.file, expected: TableFixture.expectedID)
        #expect(spec.id == TableID(paper: .ld, table: "3"))
        #expect(spec.paper.arxiv == "2204.05957")
        #expect(spec.caption == "A test table.")
        #expect(spec.columns.map(\.key) == ["AP", "AP50"])
        #expect(spec.columns.allSatisfy { $0.measured && $0.higherIsBetter })
        #expect(spec.rows.map(\.key) == ["base", "ld"])
        #expect(spec.rows[1].baseline == "base")
        #expect(spec.claims.count == 1)
        #expect(spec.claims[0].quantifier == .all)
        #expect(spec.claims[0].predicates[0].line == 33)
        #expect(spec.claims[0].predicates[0].predicate
            == .better(CellReference(row: "ld", column: "AP"), than: CellReference(row: "base", column: "AP"), margin: 0))
    }

    @Test func valuesKeepNumberAndPrintedText() throws {
        let spec = try TableLoader.parse(TableFixture.text(), file: TableFixture.file)
        let base = try #require(spec.row("base"))
        #expect(base.values["AP"] == .number(40.1, printed: "40.10"))
        #expect(base.values["AP"]?.number == 40.1)
        #expect(base.values["AP"]?.printed == "40.10")
        #expect(spec.row("ld")?.values["AP50"] == .text("-"))
        #expect(spec.row("ld")?.values["AP50"]?.number == nil)
        #expect(base.valueLines["AP"] == 21)
    }

    @Test func rowFieldsOtherThanReservedOnesAreSettingChanges() throws {
        let spec = try TableLoader.parse(TableFixture.text(), file: TableFixture.file)
        let ld = try #require(spec.row("ld"))
        #expect(ld.settingChanges.map?.keys.sorted() == ["distillation"])
        #expect(ld.settingChanges["distillation"] == .list([.map(["method": .string("ld"), "temperature": .number(10)])]))
        #expect(ld.printedDeltas["AP"]?.printed == "+1.0")
        #expect(ld.deltaLines["AP"] == 26)
    }

    @Test func settingScalarsKeepTheirYAMLTypes() throws {
        let spec = try TableLoader.parse(TableFixture.text(replacing: [9: "  dataset: coco\n  multiscale: false"]),
                                         file: TableFixture.file)
        #expect(spec.setting["multiscale"] == .bool(false))
        #expect(spec.setting["schedule"] == .string("1x"))
        #expect(spec.setting.value(at: "teacher.backbone") == .string("resnet101"))
    }

    @Test func optionalRowFieldsAndColumnFlags() throws {
        let text = TableFixture.text(replacing: [
            17: "  - {key: AP50, metric: AP50, measured: false, higher_is_better: false}",
            20: "    label: \"Baseline\"\n    role: teacher\n    borrowed: true\n    note: \"whole row\"\n    notes: {AP: \"read with care\"}",
        ])
        let spec = try TableLoader.parse(text, file: TableFixture.file)
        #expect(spec.columns[1].measured == false)
        #expect(spec.columns[1].higherIsBetter == false)
        let base = try #require(spec.row("base"))
        #expect(base.role == .teacher)
        #expect(base.borrowed)
        #expect(base.note == "whole row")
        #expect(base.notes == ["AP": "read with care"])
    }

    @Test func everyPredicateKindParses() throws {
        let text = TableFixture.text(replacing: [33: """
                  - {better: ld.AP, than: base.AP, margin: 0.5}
                  - {not_worse: ld.AP, than: base.AP}
                  - {best: ld.AP, among: [base.AP]}
                  - {ordered: [base.AP, ld.AP], direction: increasing}
                  - {ordered: [ld.AP, base.AP], direction: decreasing, margin: 0.1}
                  - {within: ld.AP, of: base.AP, margin: 1}
            """])
        let spec = try TableLoader.parse(text, file: TableFixture.file)
        let a = CellReference(row: "ld", column: "AP"), b = CellReference(row: "base", column: "AP")
        #expect(spec.claims[0].predicates.map(\.predicate) == [
            .better(a, than: b, margin: 0.5), .notWorse(a, than: b, margin: 0), .best(a, among: [b], margin: 0),
            .ordered([b, a], direction: .increasing, margin: 0), .ordered([a, b], direction: .decreasing, margin: 0.1),
            .within(a, of: b, margin: 1),
        ])
        #expect(spec.claims[0].predicates.map(\.line) == [33, 34, 35, 36, 37, 38])
    }

    @Test func anyQuantifierParses() throws {
        let spec = try TableLoader.parse(TableFixture.text(replacing: [32: "    any:"]), file: TableFixture.file)
        #expect(spec.claims[0].quantifier == .any)
    }

    @Test func anchorsAndAliasesResolve() throws {
        let text = TableFixture.text(replacing: [
            20: "    label: \"Baseline\"\n    distillation: &scheme [{method: ld, temperature: 10}]",
            24: "    distillation: *scheme",
        ])
        let spec = try TableLoader.parse(text, file: TableFixture.file)
        #expect(spec.row("base")?.settingChanges["distillation"] == spec.row("ld")?.settingChanges["distillation"])
    }

    @Test func mergeKeysExpand() throws {
        let text = TableFixture.text(replacing: [
            12: "  student: &r50 {backbone: resnet50, width: 1}",
            13: "  teacher: {<<: *r50, detector: gfl, width: 2}",
        ])
        let spec = try TableLoader.parse(text, file: TableFixture.file)
        #expect(spec.setting["teacher"] == .map(["backbone": .string("resnet50"), "detector": .string("gfl"), "width": .number(2)]))
    }

    @Test func printedDeltaForms() {
        #expect(PrintedDelta("+1.7")?.value == 1.7)
        #expect(PrintedDelta("-0.2")?.value == -0.2)
        #expect(PrintedDelta("−0.1")?.value == -0.1)
        #expect(PrintedDelta("- 0.4")?.value == -0.4)
        #expect(PrintedDelta("↑ 1.5")?.direction == .improvement)
        #expect(PrintedDelta("+1.7%") == nil)
        #expect(PrintedDelta("about 2") == nil)
    }

    @Test func tableIDsSortNaturally() {
        let ids = ["10", "2", "1b", "6a", "1a", "12", "6g", "1"].map { TableID(paper: .unikd, table: $0) }
        #expect(ids.sorted().map(\.table) == ["1", "1a", "1b", "2", "6a", "6g", "10", "12"])
        #expect(TableID(paper: .lgd, table: "1") > TableID(paper: .unikd, table: "10"))
        #expect(TableID(paper: .ld, table: "8") < TableID(paper: .rm, table: "1"))
    }
}
