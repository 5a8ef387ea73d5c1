import Testing
@testable import Harness

/// Each check of the loader, provoked by editing one line of the fixture: the diagnostic must name
/// the file and that line.
@Suite struct TableValidationTests {
    /// Expects a diagnostic at `line` whose message contains `fragment`.
    func expectDiagnostic(_ replacements: [Int: String], line: Int, _ fragment: String,
                          expected: TableID? = TableFixture.expectedID,
                          sourceLocation: SourceLocation = #_sourceLocation) {
        let diagnostics = TableFixture.diagnostics(replacing: replacements, expected: expected)
        let hit = diagnostics.contains { $0.line == line && $0.message.contains(fragment) && $0.file == TableFixture.file }
        #expect(hit, "expected '\(fragment)' at line \(line); got:\n\(diagnostics.map(\.description).joined(separator: "\n"))",
                sourceLocation: sourceLocation)
    }

    @Test func theFixtureIsValid() {
        #expect(TableFixture.diagnostics(replacing: [:]).isEmpty)
    }

    @Test func diagnosticsPrintAsFileColonLine() {
        let diagnostics = TableFixture.diagnostics(replacing: [33: "      - {better: r19.AP, than: base.AP}"])
        #expect(diagnostics.map(\.description) == ["tables/ld/table3.yaml:33: claim 'ld-helps' refers to unknown row 'r19'"])
    }

    @Test func unknownTopLevelKey() {
        expectDiagnostic([7: "sauce: \"test\""], line: 7, "unknown key 'sauce'")
        expectDiagnostic([7: "sauce: \"test\""], line: 1, "missing required 'source'")
    }

    @Test func unknownPaperKeyAndPaperField() {
        expectDiagnostic([2: "  key: xx"], line: 2, "paper key 'xx' is not one of ld, rm, unikd, lgd")
        expectDiagnostic([3: "  arxive: \"1\""], line: 3, "unknown key 'arxive'")
    }

    @Test func unknownRowKey() {
        expectDiagnostic([24: "    distilation: [{method: ld}]"], line: 24, "row 'ld': unknown key 'distilation'")
    }

    @Test func unknownKeysInsideSettingChangesAndTermsAreTolerated() {
        #expect(TableFixture.diagnostics(replacing: [
            24: "    distillation: [{method: ld, brand_new_parameter: 3}]\n    student: {backbone: resnet18, width: 0.5}",
            9: "  dataset: coco\n  custom_field: {anything: [1, 2]}",
        ]).isEmpty)
    }

    /// `box_head: distribution` on a detector without a GFL-ified head is an error of the row,
    /// at its `box_head` line; on the teacher that inherits it, at the row's line, with the hint.
    @Test func distributionBoxHeadOnlyOnDetectorsThatHaveOne() {
        expectDiagnostic([24: "    detector: faster_rcnn\n    box_head: distribution"], line: 25,
                         "row 'ld': box_head: distribution applies only to atss, fcos, gwd, retinanet, rotated_retinanet (and gfl, gflv2, "
                         + "whose heads "
                         + "are distributional already), not to detector faster_rcnn")
        let printed = TableFixture.diagnostics(replacing: [24: "    detector: faster_rcnn\n    box_head: distribution"])
        #expect(printed.map(\.description).contains {
            $0.hasPrefix("tables/ld/table3.yaml:25: row 'ld': box_head: distribution applies only to") })
        // The setting's head, inherited by a Faster R-CNN teacher: every row says so, at its line.
        let teacher = [11: "  detector: retinanet\n  box_head: distribution",
                       13: "  teacher: {detector: faster_rcnn, backbone: resnet101, schedule: 2x}"]
        expectDiagnostic(teacher, line: 20, "row 'base': teacher: box_head: distribution applies only to")
        expectDiagnostic(teacher, line: 23, "not to detector faster_rcnn (inherited from the setting; give the teacher box_head: native)")
        // The teacher's own `native` (or a detector that has the head) is fine, as is gfl.
        #expect(TableFixture.diagnostics(replacing: [
            11: "  detector: retinanet\n  box_head: distribution",
            13: "  teacher: {detector: faster_rcnn, backbone: resnet101, schedule: 2x, box_head: native}"]).isEmpty)
        for detector in ["retinanet", "fcos", "atss", "gfl"] {
            #expect(TableFixture.diagnostics(replacing: [11: "  detector: \(detector)\n  box_head: distribution"]).isEmpty,
                    "\(detector)")
        }
    }

    @Test func distillationTermWithoutMethod() {
        expectDiagnostic([24: "    distillation: [{temperature: 10}]"], line: 24, "distillation term has no 'method'")
    }

    @Test func unknownColumnKey() {
        expectDiagnostic([17: "  - {key: AP50, metric: AP50, higher: true}"], line: 17, "column 'AP50': unknown key 'higher'")
    }

    @Test func columnFlagMustBeBool() {
        expectDiagnostic([17: "  - {key: AP50, metric: AP50, measured: maybe}"], line: 17, "'measured' must be true or false")
    }

    @Test func unknownClaimKey() {
        expectDiagnostic([31: "    sorce: \"§4\""], line: 31, "claim 'ld-helps': unknown key 'sorce'")
    }

    @Test func duplicateRowKey() {
        expectDiagnostic([22: "  - key: base"], line: 22, "row key 'base' is used twice (first at line 19)")
    }

    @Test func duplicateColumnKey() {
        expectDiagnostic([17: "  - {key: AP, metric: AP50}"], line: 17, "column key 'AP' is used twice (first at line 16)")
    }

    @Test func valuesMustNameColumns() {
        expectDiagnostic([21: "    values: {AP: 40.1, AP5O: 58.2}"], line: 21, "values names unknown column 'AP5O' (did you mean 'AP50'?)")
    }

    @Test func notesMustNameColumns() {
        expectDiagnostic([23: "    label: \"LD\"\n    notes: {APx: \"why\"}"], line: 24, "notes names unknown column 'APx'")
    }

    @Test func printedDeltasMustNameColumns() {
        expectDiagnostic([26: "    printed_deltas: {APl: \"+1.0\"}"], line: 26, "printed_deltas names unknown column 'APl'")
    }

    @Test func printedDeltaMustBeADifference() {
        expectDiagnostic([26: "    printed_deltas: {AP: \"plus one\"}"], line: 26, "is not a difference")
    }

    @Test func printedDeltasNeedABaseline() {
        expectDiagnostic([25: "    note: \"no baseline\""], line: 26, "has printed_deltas but no baseline")
    }

    @Test func baselineMustNameARow() {
        expectDiagnostic([25: "    baseline: bse"], line: 25, "baseline 'bse' is not a row of this table (did you mean 'base'?)")
        expectDiagnostic([25: "    baseline: ld"], line: 25, "names itself as its baseline")
    }

    @Test func quotedNumbersAreRefused() {
        expectDiagnostic([21: "    values: {AP: \"40.1\", AP50: 58.2}"], line: 21, "quoted number")
    }

    @Test func emptyValuesAreRefused() {
        expectDiagnostic([21: "    values: {AP: , AP50: 58.2}"], line: 21, "value of 'AP' is empty")
    }

    @Test func claimCellsMustExist() {
        expectDiagnostic([33: "      - {better: r19.AP, than: base.AP}"], line: 33, "claim 'ld-helps' refers to unknown row 'r19'")
        expectDiagnostic([33: "      - {better: ld.AP99, than: base.AP}"], line: 33, "refers to unknown column 'AP99'")
        expectDiagnostic([33: "      - {better: ld.AP50, than: base.AP50}"], line: 33, "printed as text ('-')")
        expectDiagnostic([21: "    values: {AP50: 58.2}"], line: 33, "'base.AP', a cell the table does not print")
    }

    @Test func predicatesMustBeWellFormed() {
        expectDiagnostic([33: "      - {better: ld.AP}"], line: 33, "missing required 'than'")
        expectDiagnostic([33: "      - {bigger: ld.AP, than: base.AP}"], line: 33, "needs exactly one of")
        expectDiagnostic([33: "      - {better: ld.AP, within: base.AP, than: base.AP}"], line: 33, "found better and within")
        expectDiagnostic([33: "      - {better: ldAP, than: base.AP}"], line: 33, "'ldAP' is not a cell reference")
        expectDiagnostic([33: "      - {better: ld.AP, than: base.AP, of: x.y}"], line: 33, "unknown key 'of'")
        expectDiagnostic([33: "      - {better: ld.AP, than: base.AP, margin: -1}"], line: 33, "margin must not be negative")
        expectDiagnostic([33: "      - {better: ld.AP, than: base.AP, margin: lots}"], line: 33, "'margin' must be a number")
        expectDiagnostic([33: "      - {ordered: [ld.AP]}"], line: 33, "'ordered' needs at least 2 cells")
        expectDiagnostic([33: "      - {ordered: [ld.AP, base.AP], direction: up}"], line: 33, "direction must be increasing or decreasing")
        expectDiagnostic([33: "      - {best: ld.AP, among: []}"], line: 33, "'among' needs at least 1 cell")
        expectDiagnostic([32: "    some:"], line: 29, "needs a list of predicates under 'all' or 'any'")
    }

    @Test func betterMayNotMixColumnDirections() {
        expectDiagnostic([17: "  - {key: AP50, metric: mMR, higher_is_better: false}",
                          27: "    values: {AP: 41.1, AP50: 3.0}",
                          33: "      - {better: ld.AP, than: base.AP50}"], line: 33, "mixes higher-is-better and lower-is-better")
    }

    @Test func tablesNeedColumnsAndRows() {
        let noRows = TableFixture.lines.prefix(17).joined(separator: "\n") + "\nrows: []\n"
        do {
            _ = try TableLoader.parse(noRows, file: TableFixture.file)
            Issue.record("expected an error")
        } catch let error as TableLoadError {
            #expect(error.diagnostics.map(\.description) == ["tables/ld/table3.yaml: the table has no rows"])
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func tableIDMustMatchTheFileName() {
        expectDiagnostic([:], line: 5, "the file name says ld/table3b", expected: TableID(paper: .ld, table: "3b"))
        expectDiagnostic([:], line: 5, "the file name says rm/table3", expected: TableID(paper: .rm, table: "3"))
    }

    @Test func yamlSyntaxErrorsCarryTheirLine() {
        expectDiagnostic([21: "    values: {AP: 40.1, AP50: 58.2"], line: 22, "YAML syntax")
        expectDiagnostic([20: "    label: \"Baseline\"\n    label: \"again\""], line: 20, "duplicate key 'label'")
    }

    @Test func everyProblemOfAFileIsReported() {
        let diagnostics = TableFixture.diagnostics(replacing: [
            7: "sauce: \"test\"", 17: "  - {key: AP50, metric: AP50, higher: true}",
            25: "    baseline: bse", 33: "      - {better: r19.AP, than: base.AP}",
        ])
        #expect(Set(diagnostics.map(\.line)).isSuperset(of: [1, 7, 17, 25, 33]))
    }
}
