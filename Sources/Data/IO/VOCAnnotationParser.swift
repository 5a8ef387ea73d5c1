import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// One VOC annotation file, as read from its XML.
struct VOCAnnotation {
    struct Object {
        var name: String
        var difficult: Bool
        /// xmin, ymin, xmax, ymax as written (1-based, inclusive pixel indices).
        var bounds: (Double, Double, Double, Double)
    }

    var width: Int?
    var height: Int?
    var objects: [Object]
}

/// Reads VOC XML with Foundation's `XMLParser`. Malformed XML, a missing or non-numeric field,
/// all become `DataError`s naming the file (and the line, where the parser knows it).
enum VOCAnnotationParser {
    static func parse(contentsOf url: URL) throws -> VOCAnnotation {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw DataError(file: url.path, message: "annotation file not found")
        }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw DataError(file: url.path, message: "cannot be read (\(error.localizedDescription))")
        }
        return try parse(data, source: url.path)
    }

    static func parse(_ data: Data, source: String) throws -> VOCAnnotation {
        let collector = ElementCollector()
        let parser = XMLParser(data: data)
        parser.delegate = collector
        let succeeded = parser.parse()
        // swift-corelibs-foundation's parse() can return true after libxml2 reported an error
        // (a mismatched end tag, say), so the delegate's first error decides.
        if let failure = collector.firstError ?? (succeeded ? nil : (parser.lineNumber, (parser.parserError as NSError?)?.code ?? -1)) {
            throw DataError(file: source, message: "malformed XML at line \(failure.line): \(describeXMLError(failure.code))")
        }
        var annotation = VOCAnnotation(width: nil, height: nil, objects: [])
        if let text = collector.size["width"] { annotation.width = try integer(text, "size/width", source) }
        if let text = collector.size["height"] { annotation.height = try integer(text, "size/height", source) }
        for (index, fields) in collector.objects.enumerated() {
            let place = "object \(index + 1) (line \(fields.line))"
            guard let name = fields.values["name"]?.trimmingCharacters(in: .whitespacesAndNewlines), !name.isEmpty else {
                throw DataError(file: source, message: "\(place) has no name")
            }
            var bounds: [Double] = []
            for key in ["xmin", "ymin", "xmax", "ymax"] {
                guard let text = fields.values["bndbox/" + key] else {
                    throw DataError(file: source, message: "\(place) has no bndbox/\(key)")
                }
                guard let value = Double(text.trimmingCharacters(in: .whitespacesAndNewlines)), value.isFinite else {
                    throw DataError(file: source, message: "\(place): bndbox/\(key) is not a number (\"\(text)\")")
                }
                bounds.append(value)
            }
            let difficult = try fields.values["difficult"].map { try integer($0, "\(place) difficult", source) != 0 } ?? false
            annotation.objects.append(.init(name: name, difficult: difficult,
                                            bounds: (bounds[0], bounds[1], bounds[2], bounds[3])))
        }
        return annotation
    }

    private static func integer(_ text: String, _ field: String, _ source: String) throws -> Int {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        // VOC writes integers; some converters write "500.0".
        guard let value = Int(trimmed) ?? Double(trimmed).flatMap({ $0.isFinite ? Int($0) : nil }) else {
            throw DataError(file: source, message: "\(field) is not an integer (\"\(text)\")")
        }
        return value
    }
}

/// libxml2's error numbers (xmlerror.h) for the mistakes hand-edited annotations contain; the
/// Linux XMLParser passes them through without text.
private func describeXMLError(_ code: Int) -> String {
    let known: [Int: String] = [
        4: "the document is empty", 5: "extra content or an early end of the document",
        23: "an entity reference lacks its ';'", 38: "'<' inside an attribute value",
        39: "an attribute value is not quoted", 40: "an attribute value is not closed",
        41: "an attribute has no value", 65: "a space is required", 68: "a name is required",
        73: "'>' expected", 76: "an end tag does not match its start tag", 77: "a tag is not closed",
    ]
    return known[code].map { "\($0) (libxml2 error \(code))" } ?? "libxml2 error \(code)"
}

/// Collects the text of `size/*`, and of each `object`'s direct children and `bndbox/*`.
private final class ElementCollector: NSObject, XMLParserDelegate {
    struct ObjectFields {
        var line: Int
        var values: [String: String] = [:]
    }

    var size: [String: String] = [:]
    var objects: [ObjectFields] = []
    /// Where libxml2 first complained, and its error number.
    var firstError: (line: Int, code: Int)?
    private var path: [String] = []
    private var text = ""

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]) {
        path.append(elementName)
        text = ""
        if elementName == "object", path.count == 2 { objects.append(ObjectFields(line: parser.lineNumber)) }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) {
        if firstError == nil { firstError = (parser.lineNumber, (parseError as NSError).code) }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        // Paths are relative to the root <annotation>: ["annotation", "object", "bndbox", "xmin"].
        if path.count == 3, path[1] == "size" {
            size[elementName] = text
        } else if path.count >= 3, path[1] == "object", !objects.isEmpty {
            let key = path.dropFirst(2).joined(separator: "/")
            if path.count == 3 || path[2] == "bndbox" { objects[objects.count - 1].values[key] = text }
        }
        path.removeLast()
        text = ""
    }
}
