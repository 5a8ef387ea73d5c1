import Foundation
@testable import Harness

/// Small tables and temporary stores for the planner, store and runner tests.
enum RunsFixture {
    /// The repository's `tables/`.
    static let tablesDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("tables")

    static func realTable(_ path: String) throws -> TableSpec {
        try TableLoader.load(contentsOf: tablesDirectory.appendingPathComponent(path), displayPath: "tables/" + path)
    }

    /// A distillation table: baseline and LD rows for two students, one teacher, a reported-only
    /// column, a teacher row, and a row with a backbone that has no analogue.
    static let distillationYAML = """
        paper: {key: ld, arxiv: "2204.05957", title: "Localization Distillation for Object Detection"}
        table: "3"
        caption: "fixture"
        source: "test"
        setting:
          dataset: coco
          split: val2017
          schedule: 1x
          multiscale: false
          detector: gfl
          student: {backbone: resnet18}
          teacher: {detector: gfl, backbone: resnet101, schedule: 2x}
          distillation: []
        columns:
          - {key: AP, metric: AP}
          - {key: AP50, metric: AP50}
          - {key: Params, metric: params, measured: false}
        rows:
          - key: teacher
            label: "Teacher"
            role: teacher
            values: {AP: 44.7}
          - key: r18
            label: "R-18"
            values: {AP: 35.8}
          - key: r18-ld
            label: "R-18 + LD"
            distillation: [{method: ld, region: main, temperature: 10}, {method: kd, region: main}]
            baseline: r18
            values: {AP: 37.5}
          - key: r34
            label: "R-34"
            student: {backbone: resnet34}
            values: {AP: 38.9}
          - key: r34-ld
            label: "R-34 + LD"
            student: {backbone: resnet34}
            distillation: [{method: kd, region: main}, {method: ld, temperature: 10.0, region: main}]
            baseline: r34
            values: {AP: 41.0}
          - key: swin
            label: "Swin-T"
            student: {backbone: swin_t}
            values: {AP: 43.0}
        claims:
          - key: ld-helps
            says: "LD helps"
            source: "§4"
            all:
              - {better: r18-ld.AP, than: r18.AP}
        """

    static func distillationTable(_ yaml: String = distillationYAML, id: String = "3") throws -> TableSpec {
        let text = yaml.replacingOccurrences(of: "table: \"3\"", with: "table: \"\(id)\"")
        return try TableLoader.parse(text, file: "tables/ld/table\(id).yaml")
    }

    /// A fresh directory under the temporary directory, removed by the caller if it cares.
    static func temporaryDirectory(_ name: String = "runs") throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("bench-\(name)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func temporaryStore() throws -> RunStore {
        try RunStore(file: try temporaryDirectory("store").appendingPathComponent("bench.sqlite"))
    }

    static func provenance(pid: Int = 4242, host: String = "test-host") -> Provenance {
        Provenance(codeVersion: "abc123", codeDirty: false, host: host, pid: pid, blasCore: "Haswell",
                   blasThreads: 1, kernelThreads: 2)
    }

    /// A run spec built directly (not from a table), for store tests.
    static func spec(seed: Int = 1, backbone: String = "resnet18", distilled: Bool = false) -> RunSpec {
        let resolver = RunResolver(scale: .smoke)
        var setting: [String: SettingValue] = [
            "dataset": .string("coco"), "detector": .string("gfl"), "schedule": .string("1x"),
            "student": .map(["backbone": .string(backbone)]),
            "teacher": .map(["backbone": .string("resnet101"), "schedule": .string("2x")]),
        ]
        if distilled { setting["distillation"] = .list([.map(["method": .string("ld")])]) }
        return try! resolver.student(.map(setting), seed: seed).get()
    }

    static func plannedRun(_ spec: RunSpec) -> PlannedRun {
        PlannedRun(id: spec.id, spec: spec, teacherID: spec.teacher?.id, uses: [], isTeacher: false)
    }
}
