import Evaluation
import Foundation
import Testing
@testable import Data

@Suite struct COCORoundTripTests {
    /// Writes a small synthetic dataset as COCO JSON + JPEG and reads it back with `COCODataset`.
    @Test func writtenScenesReadBackThroughCOCODataset() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var config = SyntheticSceneConfig()
        (config.trainCount, config.valCount) = (10, 4)
        let written = try SyntheticScenes.write(config, to: directory.url)
        #expect(written.train.annotationFile.lastPathComponent == "instances_train.json")
        #expect(FileManager.default.fileExists(atPath: written.val.imageDirectory.appendingPathComponent("000004.jpg").path))

        for (scenes, exported) in [(SyntheticScenes(config: config, split: .train), written.train),
                                   (SyntheticScenes(config: config, split: .val), written.val)] {
            let read = try COCODataset(annotationFile: exported.annotationFile, imageDirectory: exported.imageDirectory)
            #expect(read.count == scenes.count)
            #expect(read.classNames == scenes.classNames)
            #expect(read.categoryIDs == Array(1...12))
            #expect(read.groundTruth() == scenes.groundTruth())
            for index in 0..<scenes.count {
                let original = try scenes.sample(index), loaded = try read.sample(index)
                #expect(loaded.imageID == original.imageID && loaded.width == 128 && loaded.height == 128)
                // Annotations exactly (JSON numbers round-trip Float-valued Doubles).
                #expect(loaded.objects.map(\.box) == original.objects.map(\.box))
                #expect(loaded.objects.map(\.label) == original.objects.map(\.label))
                #expect(loaded.objects.map(\.area) == original.objects.map(\.area))
                // Within JPEG's loss at quality 95, 4:4:4: over 200 scenes the mean error per image was at
                // most 0.013 and the largest pixel error 0.115 (noise and fine textures cost the most).
                var sum: Float = 0, worst: Float = 0
                for (a, b) in zip(loaded.pixels, original.pixels) {
                    sum += abs(a - b)
                    worst = max(worst, abs(a - b))
                }
                #expect(sum / Float(original.pixels.count) < 0.02, "image \(index): mean error \(sum / Float(original.pixels.count))")
                #expect(worst < 0.25, "image \(index): largest error \(worst)")
            }
        }
    }

    @Test func groundTruthFileDecodesWithEvaluationsLoader() throws {
        let truth = COCOGroundTruth(
            images: [COCOImage(id: 3, width: 64, height: 48, fileName: "a.jpg")],
            categories: [COCOCategory(id: 1, name: "striped rectangle")],
            annotations: [COCOAnnotation(id: 1, imageID: 3, categoryID: 1, bbox: BoundingBox(x: 1.5, y: 2, width: 10.25, height: 4),
                                         area: 30, isCrowd: true, ignore: true)])
        let decoded = try COCOGroundTruth(jsonData: try truth.encodedJSON(), source: "memory")
        #expect(decoded == truth)
        let text = String(decoding: try truth.encodedJSON(), as: UTF8.self)
        #expect(text.contains("\"iscrowd\":1") && text.contains("\"file_name\":\"a.jpg\""))
    }

    /// Category ids with gaps (real COCO's run 1...90) become contiguous labels; `categoryIDs` maps back.
    @Test func categoryIDsWithGapsBecomeContiguousLabels() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let pixels = [Float](repeating: 0.5, count: 3 * 16 * 8)
        try JPEGCodec.write(pixels: pixels, width: 16, height: 8, to: directory.url.appendingPathComponent("x.jpg"))
        let truth = COCOGroundTruth(
            images: [COCOImage(id: 9, width: 16, height: 8, fileName: "x.jpg")],
            categories: [COCOCategory(id: 90, name: "toothbrush"), COCOCategory(id: 1, name: "person")],
            annotations: [
                COCOAnnotation(id: 1, imageID: 9, categoryID: 90, bbox: BoundingBox(x: 1, y: 1, width: 4, height: 3)),
                COCOAnnotation(id: 2, imageID: 9, categoryID: 1, bbox: BoundingBox(x: 2, y: 2, width: 0.5, height: 3)),  // w < 1: skipped
            ])
        let file = directory.url.appendingPathComponent("gt.json")
        try truth.write(to: file)
        let read = try COCODataset(annotationFile: file, imageDirectory: directory.url)
        #expect(read.classNames == ["person", "toothbrush"] && read.categoryIDs == [1, 90])
        let sample = try read.sample(0)
        #expect(sample.objects.count == 1 && sample.objects[0].label == 1)
        #expect(read.groundTruth().annotations.map(\.categoryID) == [2, 1])    // evaluation keeps both, renumbered
    }
}

/// VOC 2007 + 2012 are read as one training set: image ids stay unique across the parts.
@Suite("Concatenated datasets") struct ConcatenatedDatasetTests {
    @Test func imageIDsStayUniqueAndAnnotationsFollow() throws {
        var config = SyntheticSceneConfig()
        (config.trainCount, config.valCount) = (3, 2)
        let (a, b) = SyntheticScenes.splits(config)
        let both = try ConcatenatedDataset([a, b], name: "a+b")
        #expect(both.count == 5 && both.name == "a+b" && both.classNames == a.classNames)
        let ids = try (0..<5).map { try both.sample($0).imageID }
        #expect(Set(ids).count == 5)
        #expect(try both.sample(3).objects == (try b.sample(0)).objects)
        let truth = both.groundTruth()
        #expect(Set(truth.images.map(\.id)) == Set(ids))
        #expect(truth.annotations.count == a.groundTruth().annotations.count + b.groundTruth().annotations.count)
        #expect(Set(truth.annotations.map(\.id)).count == truth.annotations.count)
        #expect(truth.annotations.allSatisfy { ids.contains($0.imageID) })
    }
}
