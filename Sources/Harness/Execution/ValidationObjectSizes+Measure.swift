import Data
import Foundation

extension ValidationObjectSizes {
    /// The counts of `spec`'s validation split, or nil for a real dataset: a report must not need
    /// the data on disk, and real annotation files are read only by a run.
    public static func measure(_ spec: RunSpec) throws -> ValidationObjectSizes? {
        guard let variant = spec.dataset.synthetic else { return nil }
        let val = SyntheticScenes.splits(try DetectorRunExecutor.sceneConfig(spec)).val
        let ranges = val.areaRanges
        var sizes = ValidationObjectSizes(
            dataset: "\(spec.dataset.name): synthetic \(variant) scenes, \(spec.dataset.imageSize) px, \(val.count) validation images",
            smallUpper: ranges[1].upper, mediumUpper: ranges[2].upper)
        let samples = parallelMap(val.count) { index in Result { try val.sample(index).objects } }
        for objects in samples {
            for object in try objects.get() { sizes.count(area: Double(object.area), isCrowd: object.isCrowd) }
        }
        return sizes
    }

    /// The counts behind each size column of `plan`'s tables: one entry per distinct validation
    /// set among the runs of those columns, each measured once per call. A set that cannot be
    /// built is listed with the reason, not left out.
    static func measure(_ plan: Plan) -> [TableID: [ValidationObjectSizes]] {
        struct Key: Hashable { var scale: ScaleProfile, dataset: DatasetSpec }
        var measured: [Key: ValidationObjectSizes?] = [:]
        var out: [TableID: [ValidationObjectSizes]] = [:]
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
                    if measured[key] == nil {
                        do { measured[key] = .some(try measure(spec)) } catch {
                            var sizes = ValidationObjectSizes(dataset: "\(spec.dataset.name) at \(spec.scale)", smallUpper: 0, mediumUpper: 0)
                            sizes.problem = "\(error)"
                            measured[key] = .some(sizes)
                        }
                    }
                    if let sizes = measured[key]! { out[tablePlan.table.id, default: []].append(sizes) }
                }
            }
        }
        return out
    }
}
