import Foundation
import Testing
@testable import Evaluation

/// Malformed inputs become errors naming the source and the JSON path, never crashes.
@Suite("COCO JSON decoding") struct COCOJSONTests {
    static func groundTruthError(_ json: String) -> String? {
        do {
            _ = try COCOGroundTruth(jsonData: Data(json.utf8), source: "gt.json")
            return nil
        } catch {
            return "\(error)"
        }
    }

    static func resultsError(_ json: String) -> String? {
        do {
            _ = try COCODetection.decodeResults(jsonData: Data(json.utf8), source: "dt.json")
            return nil
        } catch {
            return "\(error)"
        }
    }

    static let image = #"{"id": 1, "width": 10, "height": 10, "file_name": "a.jpg"}"#
    static let category = #"{"id": 4, "name": "cat"}"#

    static func groundTruthJSON(annotations: String) -> String {
        #"{"images": [\#(image)], "categories": [\#(category)], "annotations": [\#(annotations)]}"#
    }

    @Test func decodesAValidFile() throws {
        let json = Self.groundTruthJSON(annotations: """
            {"id": 1, "image_id": 1, "category_id": 4, "bbox": [1, 2, 3.5, 4], "area": 12, "iscrowd": 0},
            {"id": 2, "image_id": 1, "category_id": 4, "bbox": [1, 2, 3, 4], "iscrowd": true, "ignore": 1}
            """)
        let gt = try COCOGroundTruth(jsonData: Data(json.utf8), source: "gt.json")
        #expect(gt.images == [COCOImage(id: 1, width: 10, height: 10, fileName: "a.jpg")])
        #expect(gt.categories == [COCOCategory(id: 4, name: "cat")])
        #expect(gt.annotations[0].bbox == BoundingBox(x: 1, y: 2, width: 3.5, height: 4))
        #expect(gt.annotations[0].area == 12 && !gt.annotations[0].isCrowd)
        #expect(gt.annotations[1].area == 12 && gt.annotations[1].isCrowd && gt.annotations[1].ignore)   // area defaults to w*h
    }

    @Test func bboxWithThreeNumbers() {
        let json = Self.groundTruthJSON(annotations: """
            {"id": 1, "image_id": 1, "category_id": 4, "bbox": [1, 2, 3, 4], "area": 12, "iscrowd": 0},
            {"id": 2, "image_id": 1, "category_id": 4, "bbox": [1, 2, 3], "area": 12, "iscrowd": 0}
            """)
        #expect(Self.groundTruthError(json) == "gt.json: annotations[1].bbox must have 4 numbers (found 3)")
    }

    @Test func missingAndMistypedFields() {
        #expect(Self.groundTruthError(Self.groundTruthJSON(annotations: #"{"id": 1, "category_id": 4, "bbox": [1, 2, 3, 4]}"#))
                == "gt.json: annotations[0].image_id is missing")
        #expect(Self.groundTruthError(Self.groundTruthJSON(annotations: #"{"id": 1, "image_id": 1, "category_id": 4, "bbox": [1, "x", 3, 4]}"#))
                == "gt.json: annotations[0].bbox[1] must be a number")
        #expect(Self.groundTruthError(#"{"images": [], "categories": []}"#) == "gt.json: annotations is missing")
        #expect(Self.groundTruthError(#"{"images": [], "categories": [], "annotations": {}}"#) == "gt.json: annotations must be an array")
    }

    @Test func repeatedAnnotationID() {
        let json = Self.groundTruthJSON(annotations: """
            {"id": 3, "image_id": 1, "category_id": 4, "bbox": [1, 2, 3, 4]},
            {"id": 3, "image_id": 1, "category_id": 4, "bbox": [1, 2, 3, 4]}
            """)
        #expect(Self.groundTruthError(json) == "gt.json: annotations[1].id 3 repeats annotations[0].id")
    }

    @Test func nonIntegralIDIsLocated() {
        #expect(Self.groundTruthError(#"{"images": [{"id": 1.5}], "categories": [], "annotations": []}"#)
                == "gt.json: images[0].id must be an integer (found 1.5)")
        #expect(Self.resultsError(#"[{"image_id": 1, "category_id": 2.5, "bbox": [1, 2, 3, 4], "score": 1}]"#)
                == "dt.json: [0].category_id must be an integer (found 2.5)")
    }

    @Test func invalidJSONAndWrongTopLevel() {
        #expect(Self.groundTruthError("{not json")?.hasPrefix("gt.json: is not valid JSON") == true)
        #expect(Self.groundTruthError(#"{"images": [1, 2"#) == "gt.json: is not valid JSON (Unexpected end of file during JSON parse.)")
        #expect(Self.resultsError(#"{"images": []}"#) == "dt.json: the top level must be an array")
        #expect(Self.resultsError(#"[{"image_id": 1, "category_id": 4, "bbox": [1, 2, 3, 4], "score": "high"}]"#)
                == "dt.json: [0].score must be a number")
        #expect(Self.resultsError(#"[{"image_id": 1, "category_id": 4, "bbox": [1, 2, 3, 4]}]"#)
                == "dt.json: [0].score is missing")
    }

    @Test func missingFileIsNamed() {
        let url = URL(fileURLWithPath: "/nonexistent/dir/gt.json")
        #expect(throws: EvaluationError(source: "/nonexistent/dir/gt.json", message: "file not found")) {
            try COCOGroundTruth.load(contentsOf: url)
        }
        let directory = FileManager.default.temporaryDirectory
        #expect(throws: EvaluationError(source: directory.path, message: "is a directory, not a JSON file")) {
            try COCODetection.loadResults(contentsOf: directory)
        }
    }

    @Test func resultsRoundTrip() throws {
        let detections = [COCODetection(imageID: 3, categoryID: 7, bbox: BoundingBox(x: 1.5, y: 2, width: 3, height: 4), score: 0.25)]
        let data = try COCODetection.encodeResults(detections)
        #expect(try COCODetection.decodeResults(jsonData: data, source: "mem") == detections)
    }
}
