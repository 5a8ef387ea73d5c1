import Testing
@testable import Harness

/// The merge rules of `effectiveSetting`: table setting, then the column's override, then the
/// row's changes; maps merge recursively, lists and scalars replace, null removes.
@Suite struct SettingResolutionTests {
    static let yaml = TableFixture.text(replacing: [
        13: "  teacher: {detector: gfl, backbone: resnet101, schedule: 2x}\n  extras: {a: 1, b: [1, 2]}",
        // Column AP50 evaluates on VOC with a ResNet-18 student and an unknown teacher schedule.
        17: "  - {key: AP50, metric: AP50, setting: &voc {dataset: voc, student: {backbone: resnet18}, teacher: {schedule: null}}}",
        // Row ld: replaces the distillation list and a list inside a map, drops the teacher for
        // no column in particular, and aliases the VOC change for its own student.
        24: """
                distillation: [{method: ld, temperature: 10}]
                extras: {b: [3]}
                dataset: *voc
            """,
        20: "    label: \"Baseline\"\n    teacher: null",
    ])

    func spec() throws -> TableSpec { try TableLoader.parse(Self.yaml, file: TableFixture.file) }

    @Test func rowWithoutChangesGetsTheTableSetting() throws {
        let spec = try spec()
        let ld = try #require(spec.row("ld"))
        let setting = spec.effectiveSetting(row: ld, column: try #require(spec.column("AP")))
        #expect(setting["detector"] == .string("gfl"))
        #expect(setting.value(at: "teacher.schedule") == .string("2x"))
    }

    @Test func columnOverrideMergesMapsAndRemovesNulls() throws {
        let spec = try spec()
        let base = try #require(spec.row("base"))
        let ld = try #require(spec.row("ld"))
        let voc = try #require(spec.column("AP50"))
        let setting = spec.effectiveSetting(row: ld, column: voc)
        #expect(setting.value(at: "student.backbone") == .string("resnet18"))
        // Merged, not replaced: the teacher keeps its detector and backbone, loses its schedule.
        #expect(setting["teacher"] == .map(["detector": .string("gfl"), "backbone": .string("resnet101")]))
        // A row's null wins over the column's teacher (rows are applied last).
        #expect(spec.effectiveSetting(row: base, column: voc)["teacher"] == nil)
    }

    @Test func rowChangesReplaceListsAndScalarsAndMergeMaps() throws {
        let spec = try spec()
        let ld = try #require(spec.row("ld"))
        let setting = spec.effectiveSetting(row: ld)
        #expect(setting["distillation"] == .list([.map(["method": .string("ld"), "temperature": .number(10)])]))
        #expect(setting["extras"] == .map(["a": .number(1), "b": .list([.number(3)])]))
    }

    @Test func anchorsCarryMapsIntoRows() throws {
        let spec = try spec()
        let ld = try #require(spec.row("ld"))
        // `dataset: *voc` is a map laid over the string "coco": a scalar is replaced, and the
        // null inside the anchored map disappears.
        #expect(spec.effectiveSetting(row: ld)["dataset"]
            == .map(["dataset": .string("voc"), "student": .map(["backbone": .string("resnet18")]), "teacher": .map([:])]))
    }

    @Test func nullRemovesAndResolvedSettingsHaveNoNulls() {
        let base = SettingValue.map(["teacher": .map(["backbone": .string("r101"), "schedule": .string("2x")]), "x": .number(1)])
        let change = SettingValue.map(["teacher": .map(["schedule": .null]), "x": .null, "y": .map(["z": .null, "w": .bool(true)])])
        #expect(base.applying(change) == .map(["teacher": .map(["backbone": .string("r101")]), "y": .map(["w": .bool(true)])]))
    }

    @Test func listsReplaceEvenWhenLonger() {
        let base = SettingValue.map(["terms": .list([.string("a"), .string("b")])])
        #expect(base.applying(.map(["terms": .list([.string("c")])])) == .map(["terms": .list([.string("c")])]))
        #expect(base.applying(.map(["terms": .list([])])) == .map(["terms": .list([])]))
    }
}
