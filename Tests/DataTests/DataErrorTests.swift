import Evaluation
import Foundation
import Testing
@testable import Data

/// Broken or missing files become `DataError`s that name the file and the problem.
@Suite struct DataErrorTests {
    @Test func missingImageNamesTheFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let truth = COCOGroundTruth(images: [COCOImage(id: 1, width: 8, height: 8, fileName: "gone.jpg")],
                                    categories: [COCOCategory(id: 1, name: "a")], annotations: [])
        let file = directory.url.appendingPathComponent("gt.json")
        try truth.write(to: file)
        let dataset = try COCODataset(annotationFile: file, imageDirectory: directory.url)
        let error = try #require(throws: DataError.self) { try dataset.sample(0) }
        #expect(error.file.hasSuffix("gone.jpg") && error.message == "image file not found")
    }

    @Test func truncatedJPEGIsABrokenJPEG() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let pixels: [Float] = (0..<(3 * 64 * 64)).map { (index: Int) -> Float in Float((index * 37) % 101) / 100 }
        let whole = try JPEGCodec.encode(pixels: pixels, width: 64, height: 64)
        let url = directory.url.appendingPathComponent("cut.jpg")
        try whole.prefix(whole.count / 2).write(to: url)
        let error = try #require(throws: DataError.self) { try JPEGCodec.decode(contentsOf: url) }
        #expect(error.file == url.path && error.message.hasPrefix("broken JPEG:"), "\(error)")
        // Accepting libjpeg's warnings decodes what is there (the rest grey).
        #expect(try JPEGCodec.decode(contentsOf: url, acceptWarnings: true).width == 64)
        // Not a JPEG at all.
        try Data("hello".utf8).write(to: url)
        let garbage = try #require(throws: DataError.self) { try JPEGCodec.decode(contentsOf: url) }
        #expect(garbage.message.hasPrefix("broken JPEG:"))
    }

    @Test func malformedXMLGivesTheLine() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let broken = "<annotation>\n  <size><width>40</width></size>\n  <object><name>dog</name>\n  </annotation>\n"
        try VOCDatasetTests.writeVOC(in: directory.url, secondXML: broken)
        let error = try #require(throws: DataError.self) { try VOCDataset(root: directory.url) }
        #expect(error.file.hasSuffix("Annotations/000007.xml"))
        #expect(error.message.hasPrefix("malformed XML at line 4"), "\(error)")
    }

    @Test func missingFieldsAndFilesAreNamed() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let noBox = "<annotation><object><name>dog</name><bndbox><xmin>1</xmin><ymin>x</ymin></bndbox></object></annotation>"
        try VOCDatasetTests.writeVOC(in: directory.url, secondXML: noBox)
        let error = try #require(throws: DataError.self) { try VOCDataset(root: directory.url) }
        #expect(error.message == "object 1 (line 1): bndbox/ymin is not a number (\"x\")", "\(error)")
        let noSplit = try #require(throws: DataError.self) { try VOCDataset(root: directory.url, split: "test") }
        #expect(noSplit.file.hasSuffix("ImageSets/Main/test.txt") && noSplit.message == "split file not found")
        let noJSON = try #require(throws: DataError.self) {
            try COCODataset(annotationFile: directory.url.appendingPathComponent("none.json"), imageDirectory: directory.url)
        }
        #expect(noJSON.file.hasSuffix("none.json") && noJSON.message == "file not found")
    }
}
