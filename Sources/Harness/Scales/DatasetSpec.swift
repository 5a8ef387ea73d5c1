import Foundation

/// The data a run trains and evaluates on: a synthetic scene variant at smoke and small, a real
/// dataset under `--data-root` at full.
///
/// The real dataset is named by its directory *relative to* the data root, never by an absolute
/// path: a run's id must be the same on every machine (cluster nodes mount the data in different
/// places), and where the data is mounted is not part of what the run computes. The executor gets
/// the root from `--data-root` (`location(in:)`).
public struct DatasetSpec: Codable, Hashable, Sendable {
    /// As the table names it: coco, voc, crowdhuman, dota.
    public var name: String
    /// Smoke and small: standard, vocLike, crowded, oriented.
    public var synthetic: String?
    /// Synthetic only: the scene generator's seed (shared by every run, see `ScaleCalibration`).
    public var dataSeed: Int?
    public var trainImages: Int?
    public var valImages: Int?
    /// Full only: directory under the data root ("coco", "VOCdevkit").
    public var directory: String?
    /// Full only: the evaluation split read ("val2017"; the validation split when unstated).
    public var split: String?
    /// Synthetic: side of the square images; full: the shorter side images are resized to.
    public var imageSize: Int
    /// Synthetic: the variant's `ScaleCalibration.sceneRevisions` revision (nil: its first
    /// form, absent from the canonical form so earlier ids stay valid).
    public var sceneRevision: Int?

    /// Where the real dataset is expected under `dataRoot`; nil for synthetic data.
    public func location(in dataRoot: URL) -> URL? {
        directory.map { dataRoot.appendingPathComponent($0, isDirectory: true) }
    }

    /// `name` and `split` (nil = not stated: the dataset's validation split) at `scale`.
    static func resolve(name: String?, split: String?, scale: ScaleProfile) -> Result<DatasetSpec, NotImplemented> {
        guard let name else { return .failure(NotImplemented("setting names no dataset")) }
        let numbers = ScaleCalibration.numbers(for: scale)
        guard scale.usesRealData else {
            guard let variant = ScaleCalibration.syntheticVariants[name] else {
                return .failure(NotImplemented("dataset \(name): no synthetic variant"))
            }
            return .success(DatasetSpec(name: name, synthetic: variant, dataSeed: ScaleCalibration.syntheticDataSeed,
                                        trainImages: numbers.trainImages, valImages: numbers.valImages,
                                        directory: nil, split: nil, imageSize: numbers.imageSize,
                                        sceneRevision: ScaleCalibration.sceneRevisions[variant]?.revision))
        }
        guard let real = ScaleCalibration.fullDatasets[name] else {
            return .failure(NotImplemented("dataset \(name): no reader for the real dataset"))
        }
        var readSplit = real.validationSplit
        if let split {
            guard let known = ScaleCalibration.splits[split] else {
                return .failure(NotImplemented("split '\(split)' of \(name): not known"))
            }
            guard let known else {
                return .failure(NotImplemented("split '\(split)' of \(name): not evaluable locally (evaluation server only)"))
            }
            readSplit = known
        }
        return .success(DatasetSpec(name: name, synthetic: nil, dataSeed: nil, trainImages: nil, valImages: nil,
                                    directory: real.directory, split: readSplit, imageSize: real.imageSize))
    }
}

/// A real dataset a full-scale plan needs is not where it is expected.
public struct MissingDataset: Error, Hashable, Sendable, CustomStringConvertible {
    public var dataset: String
    /// The directory or file that is missing.
    public var expected: String

    public var description: String {
        "dataset \(dataset) not found: expected \(expected) (set --data-root DIR to the directory holding it)"
    }

    /// Every missing dataset among `specs`, looked for under `dataRoot`: the directory, then each
    /// of the files `ScaleCalibration.fullDatasets` requires.
    public static func check(_ specs: [DatasetSpec], dataRoot: URL) -> [MissingDataset] {
        var missing: [MissingDataset] = []
        var seen: Set<String> = []
        for spec in specs {
            guard let location = spec.location(in: dataRoot), seen.insert(spec.name).inserted else { continue }
            let manager = FileManager.default
            guard manager.fileExists(atPath: location.path) else {
                missing.append(MissingDataset(dataset: spec.name, expected: location.path))
                continue
            }
            for file in ScaleCalibration.fullDatasets[spec.name]?.requiredFiles ?? [] {
                let path = location.appendingPathComponent(file).path
                if !manager.fileExists(atPath: path) {
                    missing.append(MissingDataset(dataset: spec.name, expected: path))
                    break
                }
            }
        }
        return missing
    }
}
