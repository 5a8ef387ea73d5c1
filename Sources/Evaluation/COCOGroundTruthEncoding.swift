import Foundation

// Writing COCO ground-truth files, the counterpart of `COCOGroundTruth.load(contentsOf:)`, so that
// generated datasets can be read by outside tools (pycocotools' `COCO(annotation_file)`).

extension COCOGroundTruth {
    /// The file's bytes: top-level `images`, `annotations` and `categories` with COCO's snake_case
    /// keys, `iscrowd` as 0/1, `ignore` only where set. Keys are sorted so that the same ground
    /// truth always gives the same bytes.
    public func encodedJSON() throws -> Data {
        let wire = WireGroundTruthOut(
            images: images.map { WireImageOut(id: $0.id, width: $0.width, height: $0.height, file_name: $0.fileName) },
            annotations: annotations.map {
                WireAnnotationOut(id: $0.id, image_id: $0.imageID, category_id: $0.categoryID, bbox: $0.bbox.asArray,
                                  area: $0.area, iscrowd: $0.isCrowd ? 1 : 0, ignore: $0.ignore ? 1 : nil)
            },
            categories: categories.map { WireCategoryOut(id: $0.id, name: $0.name) })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(wire)
    }

    /// Writes the file; errors name it.
    public func write(to url: URL) throws {
        let data: Data
        do {
            data = try encodedJSON()
        } catch {
            throw EvaluationError(source: url.path, message: "cannot be encoded (\(error))")
        }
        do {
            try data.write(to: url)
        } catch {
            throw EvaluationError(source: url.path, message: "cannot be written (\(error.localizedDescription))")
        }
    }
}

private struct WireGroundTruthOut: Encodable {
    var images: [WireImageOut]
    var annotations: [WireAnnotationOut]
    var categories: [WireCategoryOut]
}

private struct WireImageOut: Encodable {
    var id: Int
    var width: Int?
    var height: Int?
    var file_name: String?
}

private struct WireAnnotationOut: Encodable {
    var id: Int
    var image_id: Int
    var category_id: Int
    var bbox: [Double]
    var area: Double
    var iscrowd: Int
    var ignore: Int?
}

private struct WireCategoryOut: Encodable {
    var id: Int
    var name: String
}
