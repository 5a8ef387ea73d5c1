import Evaluation
import Foundation

/// Where `SyntheticScenes.write(to:)` put a split.
public struct ExportedSplit: Sendable {
    public var annotationFile: URL
    public var imageDirectory: URL
}

extension SyntheticScenes {
    /// Writes this split as COCO: `annotations/instances_<split>.json` and `<split>/NNNNNN.jpg`
    /// (JPEG quality 95, 4:4:4) under `directory`, so that outside tools such as pycocotools and
    /// `COCODataset` read exactly what the generator made. Boxes, areas and crowd/difficult (as
    /// `ignore`) flags are written; rotated boxes, visible boxes and masks are not (COCO's box
    /// format has no place for them, and nothing outside needs them yet).
    @discardableResult
    public func write(to directory: URL, quality: Int = 95) throws -> ExportedSplit {
        let splitName = config.splitName(split)
        let annotationDirectory = directory.appendingPathComponent("annotations", isDirectory: true)
        let imageDirectory = directory.appendingPathComponent(splitName, isDirectory: true)
        for folder in [annotationDirectory, imageDirectory] {
            do {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            } catch {
                throw DataError(file: folder.path, message: "cannot create directory (\(error.localizedDescription))")
            }
        }
        // Images are generated and encoded on all cores; the annotations come back in index order.
        let results = parallelMap(count) { index -> Result<[ObjectAnnotation], Error> in
            Result {
                let scene = render(index)
                try JPEGCodec.write(pixels: scene.pixels, width: config.imageWidth, height: config.imageHeight,
                                    quality: quality, to: imageDirectory.appendingPathComponent(fileName(index)))
                return scene.objects
            }
        }
        var images: [GroundTruthImage] = []
        for (index, result) in results.enumerated() {
            images.append(GroundTruthImage(image: COCOImage(id: imageID(index), width: config.imageWidth,
                                                            height: config.imageHeight, fileName: fileName(index)),
                                           objects: try result.get()))
        }
        let annotationFile = annotationDirectory.appendingPathComponent("instances_\(splitName).json")
        do {
            try makeGroundTruth(images, classNames: classNames).write(to: annotationFile)
        } catch let error as EvaluationError {
            throw DataError(file: error.source, message: error.message)
        }
        return ExportedSplit(annotationFile: annotationFile, imageDirectory: imageDirectory)
    }

    /// Writes both splits of `config` under `directory` (see `write(to:quality:)`).
    @discardableResult
    public static func write(_ config: SyntheticSceneConfig, to directory: URL,
                             quality: Int = 95) throws -> (train: ExportedSplit, val: ExportedSplit) {
        let (train, val) = splits(config)
        return (try train.write(to: directory, quality: quality), try val.write(to: directory, quality: quality))
    }
}
