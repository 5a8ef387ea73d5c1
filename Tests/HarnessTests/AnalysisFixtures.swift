import Foundation
@testable import Harness

/// Measured tables built by hand for the analysis tests: a small table file of our own, the
/// repository's real tables, and deterministic simulated measurements.
enum AnalysisFixtures {
    /// `Tests/HarnessTests/AnalysisFixtures.swift` → the package root → `tables/`.
    static let tablesDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("tables")

    /// A real table: `table("ld/table1a")`.
    static func table(_ name: String) throws -> TableSpec {
        try TableLoader.load(contentsOf: tablesDirectory.appendingPathComponent(name + ".yaml"), displayPath: "tables/\(name).yaml")
    }

    /// A small LGD-like table: AP (higher is better) and mMR (lower is better), a baseline, two
    /// methods and a method the suite lacks, with one claim per predicate kind.
    static let miniYAML = """
    paper:
      key: lgd
      arxiv: "2109.11496"
      title: "LGD: Label-guided Self-distillation for Object Detection"
    table: "99"
    caption: "A test table."
    source: "test"
    setting:
      dataset: coco
      detector: retinanet
      student: {backbone: resnet50}
      distillation: []
    columns:
      - {key: AP, metric: AP}
      - {key: mMR, metric: mMR, higher_is_better: false}
    rows:
      - key: base
        label: "Baseline"
        values: {AP: 40.0, mMR: 50.0}
      - key: ld
        label: "LD"
        distillation: [{method: ld, temperature: 10}]
        baseline: base
        printed_deltas: {AP: "+1.0"}
        values: {AP: 41.0, mMR: 49.0}
      - key: lgd
        label: "LGD"
        distillation: [{method: lgd}]
        baseline: base
        values: {AP: 41.5, mMR: 48.0}
      - key: fgd
        label: "FGD (missing)"
        distillation: [{method: fgd}]
        baseline: base
        values: {AP: 41.2, mMR: 48.5}
    claims:
      - key: ld-better
        says: "LD beats the baseline"
        source: "§1"
        all:
          - {better: ld.AP, than: base.AP}
      - key: lgd-lower-mmr
        says: "LGD lowers the miss rate"
        source: "§2"
        all:
          - {better: lgd.mMR, than: base.mMR}
      - key: fgd-better
        says: "FGD beats the baseline"
        source: "§3"
        all:
          - {better: fgd.AP, than: base.AP}
      - key: lgd-best
        says: "LGD is the best"
        source: "§4"
        all:
          - {best: lgd.AP, among: [base.AP, ld.AP]}
      - key: order
        says: "baseline < LD < LGD"
        source: "§5"
        all:
          - {ordered: [base.AP, ld.AP, lgd.AP]}
      - key: ld-close-to-lgd
        says: "LD is within a point of LGD"
        source: "§6"
        all:
          - {within: ld.AP, of: lgd.AP, margin: 1}
      - key: one-of
        says: "LD or LGD beats the baseline by 0.8"
        source: "§7"
        any:
          - {better: ld.AP, than: base.AP, margin: 0.8}
          - {better: lgd.AP, than: base.AP, margin: 0.8}
    audit:
      - "Test audit line."
    """

    static func mini() throws -> TableSpec {
        try TableLoader.parse(miniYAML, file: "tables/lgd/table99.yaml")
    }

    static func cell(_ text: String) -> CellReference { CellReference(text)! }

    static func measured(_ values: [Double], seeds: [Int]? = nil, status: CellStatus = .measured) -> MeasuredCell {
        let seeds = seeds ?? Array(values.indices)
        return MeasuredCell(status: status, samples: Dictionary(uniqueKeysWithValues: zip(seeds, values)))
    }

    /// The mini table with three seeds per cell: LD clearly above the baseline, LGD above both
    /// with a lower miss rate, FGD not implemented.
    static func miniMeasured(scale: String = "small") throws -> MeasuredTable {
        let cells: [String: MeasuredCell] = [
            "base.AP": measured([40.0, 40.1, 40.3]), "base.mMR": measured([50.0, 50.4, 49.8]),
            "ld.AP": measured([41.0, 41.2, 41.4]), "ld.mMR": measured([49.0, 49.5, 49.1]),
            "lgd.AP": measured([41.6, 41.7, 41.9]), "lgd.mMR": measured([48.0, 48.2, 47.9]),
            "fgd.AP": MeasuredCell(status: .notImplemented(reason: "method fgd")),
            "fgd.mMR": MeasuredCell(status: .notImplemented(reason: "method fgd")),
        ]
        return MeasuredTable(table: try mini(), scale: scale,
                             cells: Dictionary(uniqueKeysWithValues: cells.map { (cell($0.key), $0.value) }))
    }

    /// Simulated small-scale measurements of a real table: each published value scaled down (small
    /// scale trains far less), plus a per-seed offset shared by every cell (so pairing matters) and
    /// a small per-cell noise; deterministic. Rows for which `notImplemented` holds get that status.
    static func simulated(_ table: TableSpec, scale: String = "small", seeds: [Int] = [0, 1, 2],
                          factor: Double = 0.6, notImplemented: (TableRow) -> Bool = { _ in false }) -> MeasuredTable {
        var cells: [CellReference: MeasuredCell] = [:]
        for row in table.rows {
            for column in table.columns {
                guard let published = row.values[column.key]?.number else { continue }
                let reference = CellReference(row: row.key, column: column.key)
                if !column.measured { cells[reference] = MeasuredCell(status: .notMeasured); continue }
                if notImplemented(row) { cells[reference] = MeasuredCell(status: .notImplemented(reason: "simulated gap")); continue }
                var samples: [Int: Double] = [:]
                for seed in seeds {
                    let shared = (noise("seed", seed) - 0.5) * 0.8
                    let own = (noise(reference.description, seed) - 0.5) * 0.3
                    samples[seed] = published * factor + shared + own
                }
                cells[reference] = MeasuredCell(status: .measured, samples: samples)
            }
        }
        return MeasuredTable(table: table, scale: scale, cells: cells)
    }

    /// A uniform number in [0, 1) from a text and a seed (FNV-1a then SplitMix64's finaliser).
    static func noise(_ text: String, _ seed: Int) -> Double {
        var hash: UInt64 = 0xcbf29ce484222325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100000001b3 }
        var z = hash &+ UInt64(bitPattern: Int64(seed)) &* 0x9e3779b97f4a7c15
        z = (z ^ (z >> 30)) &* 0xbf58476d1ce4e5b9
        z = (z ^ (z >> 27)) &* 0x94d049bb133111eb
        z ^= z >> 31
        return Double(z >> 11) / Double(1 << 53)
    }
}
