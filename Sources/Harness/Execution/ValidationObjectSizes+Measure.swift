import Data
import Evaluation
import Foundation

extension ValidationObjectSizes {
    /// The counts of `spec`'s validation set, taken from the evaluator a run scores it with; nil
    /// for a real dataset, which a report does not read from disk.
    public static func measure(_ spec: RunSpec) throws -> ValidationObjectSizes? {
        guard spec.dataset.synthetic != nil else { return nil }
        let (_, val, areaRanges) = try DetectorRunExecutor.syntheticDatasets(spec)
        var sizes = ValidationObjectSizes(dataset: describe(spec, images: val.count),
                                          smallUpper: areaRanges[1].upper, mediumUpper: areaRanges[2].upper)
        let counts = COCOEvaluator(groundTruth: val.groundTruth(), areaRanges: areaRanges).groundTruthCounts
        (sizes.all, sizes.small, sizes.medium, sizes.large) = (counts[0], counts[1], counts[2], counts[3])
        return sizes
    }

    /// "coco: synthetic standard scenes, 64 px, 1000 validation images" (with the scene revision
    /// when there is one).
    static func describe(_ spec: RunSpec, images: Int?) -> String {
        let d = spec.dataset
        var text = "\(d.name): synthetic \(d.synthetic ?? "") scenes"
        if let revision = d.sceneRevision { text += " (revision \(revision))" }
        text += ", \(d.imageSize) px"
        if let images { text += ", \(images) validation images" }
        return text
    }

    /// `tables` with the counts behind their size columns: one entry per distinct validation set
    /// among the runs of those columns, each counted once per call. A set that cannot be built is
    /// listed with the reason, not left out. Rendering the validation images takes about half a
    /// second per 1000 at small scale.
    public static func attach(to tables: [MeasuredTable], plan: Plan) -> [MeasuredTable] {
        struct Key: Hashable { var scale: ScaleProfile, dataset: DatasetSpec }
        var counted: [Key: ValidationObjectSizes?] = [:]
        var sizesByTable: [TableID: [ValidationObjectSizes]] = [:]
        for tablePlan in plan.tables {
            let sizeColumns = Set(tablePlan.table.columns.filter { sizeMetrics.contains($0.metric) }.map(\.key))
            var listed: Set<Key> = []
            for (reference, cell) in tablePlan.cells.sorted(by: { $0.key.description < $1.key.description })
            where sizeColumns.contains(reference.column) {
                guard case let .runs(_, seeds) = cell else { continue }
                for seed in seeds.keys.sorted() {
                    guard let spec = plan.run(seeds[seed]!)?.spec else { continue }
                    let key = Key(scale: spec.scale, dataset: spec.dataset)
                    guard listed.insert(key).inserted else { continue }
                    if counted[key] == nil {
                        do { counted[key] = .some(try measure(spec)) } catch {
                            var failed = ValidationObjectSizes(dataset: describe(spec, images: spec.dataset.valImages), smallUpper: 0, mediumUpper: 0)
                            failed.problem = "\(error)"
                            counted[key] = .some(failed)
                        }
                    }
                    if let sizes = counted[key]! { sizesByTable[tablePlan.table.id, default: []].append(sizes) }
                }
            }
        }
        return tables.map { table in
            var table = table
            table.objectSizes = sizesByTable[table.table.id] ?? []
            return table
        }
    }
}
