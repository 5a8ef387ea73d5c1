import Foundation

// Reading and writing COCO JSON. Decoding goes through small wire structs so that every failure —
// unreadable file, invalid JSON, a missing key, a wrong type, a 3-number bbox — becomes an
// `EvaluationError` naming the file and the JSON path, never a crash.

extension COCOGroundTruth {
    /// Reads a ground-truth file with top-level `images`, `annotations` and `categories`.
    public static func load(contentsOf url: URL) throws -> COCOGroundTruth {
        try COCOGroundTruth(jsonData: readFile(url), source: url.path)
    }

    /// `source` labels errors (normally the file path).
    public init(jsonData: Data, source: String) throws {
        let wire = try decodeJSON(WireGroundTruth.self, from: jsonData, source: source)
        var firstIndexOfID: [Int: Int] = [:]
        for (index, annotation) in wire.annotations.enumerated() {
            // pycocotools indexes annotations by id; a repeated id silently swaps objects between images.
            if let first = firstIndexOfID.updateValue(index, forKey: annotation.id) {
                throw EvaluationError(source: source, message:
                    "annotations[\(index)].id \(annotation.id) repeats annotations[\(first)].id")
            }
        }
        self.init(images: wire.images.map {
                      COCOImage(id: $0.id.value, width: $0.width?.value, height: $0.height?.value, fileName: $0.file_name)
                  },
                  categories: wire.categories.map { COCOCategory(id: $0.id.value, name: $0.name ?? "") },
                  annotations: wire.annotations.map {
                      COCOAnnotation(id: $0.id, imageID: $0.image_id, categoryID: $0.category_id, bbox: $0.bbox.box,
                                     area: $0.area, isCrowd: $0.iscrowd ?? false, ignore: $0.ignore ?? false)
                  })
    }
}

extension COCODetection {
    /// Reads a COCO results file: a JSON array of `{image_id, category_id, bbox, score}`.
    public static func loadResults(contentsOf url: URL) throws -> [COCODetection] {
        try decodeResults(jsonData: readFile(url), source: url.path)
    }

    public static func decodeResults(jsonData: Data, source: String) throws -> [COCODetection] {
        try decodeJSON([WireDetection].self, from: jsonData, source: source).map {
            COCODetection(imageID: $0.image_id.value, categoryID: $0.category_id.value, bbox: $0.bbox.box, score: $0.score)
        }
    }

    /// Writes detections in the results-file format pycocotools' `loadRes` reads.
    public static func encodeResults(_ detections: [COCODetection]) throws -> Data {
        try JSONEncoder().encode(detections.map {
            WireDetection(image_id: WireInt($0.imageID), category_id: WireInt($0.categoryID), bbox: WireBox(box: $0.bbox),
                          score: $0.score)
        })
    }
}

private func readFile(_ url: URL) throws -> Data {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
        throw EvaluationError(source: url.path, message: "file not found")
    }
    if isDirectory.boolValue { throw EvaluationError(source: url.path, message: "is a directory, not a JSON file") }
    let data: Data
    do {
        data = try Data(contentsOf: url)
    } catch {
        throw EvaluationError(source: url.path, message: "cannot be read (\(error.localizedDescription))")
    }
    if data.isEmpty { throw EvaluationError(source: url.path, message: "is empty") }
    return data
}

private func decodeJSON<T: Decodable>(_ type: T.Type, from data: Data, source: String) throws -> T {
    do {
        return try JSONDecoder().decode(type, from: data)
    } catch let error as DecodingError {
        throw EvaluationError(source: source, message: describe(error, data: data))
    } catch {
        throw EvaluationError(source: source, message: "cannot be decoded (\(error))")
    }
}

/// Turns a `DecodingError` into "annotations[12].bbox must be an array"-style text.
private func describe(_ error: DecodingError, data: Data) -> String {
    switch error {
    case .keyNotFound(let key, let context):
        return "\(jsonPath(context.codingPath + [key])) is missing"
    case .valueNotFound(_, let context):
        return "\(jsonPath(context.codingPath)) must not be null"
    case .typeMismatch(let type, let context):
        return "\(jsonPath(context.codingPath)) must be \(kindName(type))"
    case .dataCorrupted(let context):
        if context.codingPath.isEmpty {
            // Foundation's decoder says only "not valid JSON"; its parser says where.
            do {
                _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            } catch {
                let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey].map { " (\($0))" } ?? ""
                return "is not valid JSON\(detail)"
            }
            return "cannot be decoded (\(context.debugDescription))"
        }
        return "\(jsonPath(context.codingPath)) \(context.debugDescription)"
    @unknown default:
        return "cannot be decoded (\(error))"
    }
}

private func jsonPath(_ codingPath: [any CodingKey]) -> String {
    var path = ""
    for key in codingPath {
        if let index = key.intValue {
            path += "[\(index)]"
        } else {
            path += path.isEmpty ? key.stringValue : "." + key.stringValue
        }
    }
    return path.isEmpty ? "the top level" : path
}

private func kindName(_ type: Any.Type) -> String {
    switch type {
    case is Double.Type, is Float.Type: return "a number"
    case is Int.Type: return "an integer"
    case is String.Type: return "a string"
    case is Bool.Type: return "a boolean"
    case is [Any].Type: return "an array"
    case is [String: Any].Type: return "an object"
    default: return "a \(type)"
    }
}

// MARK: - Wire format (snake_case names as in the files)

private struct WireGroundTruth: Decodable {
    var images: [WireImage]
    var annotations: [WireAnnotation]
    var categories: [WireCategory]
}

private struct WireImage: Decodable {
    var id: WireInt
    var width: WireInt?
    var height: WireInt?
    var file_name: String?
}

private struct WireCategory: Decodable {
    var id: WireInt
    var name: String?
}

private struct WireAnnotation: Decodable {
    var id: Int
    var image_id: Int
    var category_id: Int
    var bbox: WireBox
    var area: Double?
    var iscrowd: Bool?
    var ignore: Bool?

    enum CodingKeys: String, CodingKey { case id, image_id, category_id, bbox, area, iscrowd, ignore }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(WireInt.self, forKey: .id).value
        image_id = try c.decode(WireInt.self, forKey: .image_id).value
        category_id = try c.decode(WireInt.self, forKey: .category_id).value
        bbox = try c.decode(WireBox.self, forKey: .bbox)
        // pycocotools needs `area` and `iscrowd`; files from box-only converters often omit them, and
        // box area / not-crowd are the values such converters would have written.
        area = try c.decodeIfPresent(Double.self, forKey: .area)
        iscrowd = try decodeFlag(c, .iscrowd)
        ignore = try decodeFlag(c, .ignore)
    }
}

/// COCO writes flags as 0/1; some tools write true/false. Any nonzero integer counts as set.
private func decodeFlag<K: CodingKey>(_ c: KeyedDecodingContainer<K>, _ key: K) throws -> Bool? {
    guard c.contains(key), try !c.decodeNil(forKey: key) else { return nil }
    if let value = try? c.decode(Int.self, forKey: key) { return value != 0 }
    if let value = try? c.decode(Bool.self, forKey: key) { return value }
    throw DecodingError.typeMismatch(Int.self, .init(codingPath: c.codingPath + [key],
                                                     debugDescription: "expected 0/1 or true/false"))
}

private struct WireDetection: Codable {
    var image_id: WireInt
    var category_id: WireInt
    var bbox: WireBox
    var score: Double
}

/// An integer field, read as a number and checked: Foundation's decoder reports a non-integral value
/// for an `Int` only as "not valid JSON", without saying where.
private struct WireInt: Codable {
    var value: Int

    init(_ value: Int) { self.value = value }

    init(from decoder: any Decoder) throws {
        let number = try decoder.singleValueContainer().decode(Double.self)
        guard number.rounded() == number, abs(number) <= 9_007_199_254_740_992 else {   // 2^53: exact in a Double
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "must be an integer (found \(number))"))
        }
        value = Int(number)
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(value)
    }
}

/// `[x, y, w, h]`, exactly four numbers.
private struct WireBox: Codable {
    var box: BoundingBox

    init(box: BoundingBox) { self.box = box }

    init(from decoder: any Decoder) throws {
        let numbers = try decoder.singleValueContainer().decode([Double].self)
        guard numbers.count == 4 else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "must have 4 numbers (found \(numbers.count))"))
        }
        box = BoundingBox(x: numbers[0], y: numbers[1], width: numbers[2], height: numbers[3])
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(box.asArray)
    }
}
