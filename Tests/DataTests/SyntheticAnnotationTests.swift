import Detection
import Testing
import Tensor
@testable import Data

/// Boxes against the pixels they describe.
///
/// Tolerance, one pixel per side: coverage is anti-aliased over one pixel, so the outermost pixel
/// that is at least half covered can start up to a pixel inside the true edge (more at a sharp
/// tip, where no pixel is half covered: then the box reaches the tip and the at-least-half-visible
/// pixels stop short, which the "any coverage" bound allows), and sides cut by occlusion are
/// quantised to pixel edges.
@Suite struct SyntheticAnnotationTests {
    /// Every kept labelled object's box lies between the extent of its at-least-half-visible
    /// pixels and the extent of all its visible pixels, each widened by the tolerance.
    @Test func boxesEncloseVisiblePixelsTightly() {
        let scenes = SyntheticScenes(config: SyntheticSceneConfig())
        var checked = 0, cutByOcclusion = 0
        for index in 0..<150 {
            let scene = scenes.render(index, keepRecords: true)
            let kept = scene.records.filter { $0.label != nil && $0.kept }
            #expect(kept.count == scene.objects.count)
            for record in kept {
                guard let annotationIndex = record.annotationIndex else { Issue.record("kept without annotation"); continue }
                let object = scene.objects[annotationIndex]
                #expect(object.label == record.label)
                let half = extent(record) { $0 >= 0.5 }, any = extent(record) { $0 > 0 }
                guard let half, let any else { Issue.record("annotated object without visible pixels"); continue }
                let b = object.box
                #expect(b.x1 >= any.x1 - 1 && b.x1 <= half.x1 + 1, "image \(index): x1 \(b.x1) vs \(half.x1)/\(any.x1)")
                #expect(b.y1 >= any.y1 - 1 && b.y1 <= half.y1 + 1, "image \(index): y1 \(b.y1) vs \(half.y1)/\(any.y1)")
                #expect(b.x2 <= any.x2 + 1 && b.x2 >= half.x2 - 1, "image \(index): x2 \(b.x2) vs \(half.x2)/\(any.x2)")
                #expect(b.y2 <= any.y2 + 1 && b.y2 >= half.y2 - 1, "image \(index): y2 \(b.y2) vs \(half.y2)/\(any.y2)")
                #expect(b.x1 >= 0 && b.y1 >= 0 && b.x2 <= 128 && b.y2 <= 128 && b.x1 < b.x2 && b.y1 < b.y2)
                #expect((object.visibleFraction ?? 0) >= 0.45)
                if (object.visibleFraction ?? 1) < 0.9 { cutByOcclusion += 1 }
                checked += 1
            }
        }
        #expect(checked > 400)
        #expect(cutByOcclusion > 40, "occlusion should be common: \(cutByOcclusion) of \(checked)")
    }

    /// Independent of the annotator: on flat scenes (one untextured sharp object on a plain
    /// background, no noise) the coverage is read back from the pixel colours.
    @Test func boxesMatchPixelsOfFlatScenes() {
        var config = SyntheticSceneConfig()
        (config.clutterPerImage, config.backgroundPatchProbability, config.backgroundVariation) = (0...0, 0, 0)
        (config.noiseStd, config.photometricJitter, config.textureContrast) = (0...0, 0, 0...0)
        (config.blurFraction, config.lowContrastFraction, config.distractorsPerObject) = (0, 0, 0)
        (config.objectsPerImage, config.occlusionRate) = (1...1, 0)
        let scenes = SyntheticScenes(config: config)
        var checked = 0
        for index in 0..<120 {
            var rng = RNG(seed: SyntheticScenes.sceneSeed(seed: 0, split: .train, index: index))
            let plan = ScenePlan(config: config, vocabulary: SceneVocabulary(numClasses: 12), rng: &rng)
            let background = plan.background.colourA, colour = plan.objects[0].colour
            let difference = colour - background
            let contrast = (difference * difference).sum()
            guard contrast > 0.03, let sample = try? scenes.sample(index), let object = sample.objects.first else { continue }
            // Coverage = projection of (pixel − background) on (colour − background).
            var coverage = [Float](repeating: 0, count: 128 * 128)
            for i in coverage.indices {
                let pixel = Colour(sample.pixels[i], sample.pixels[16_384 + i], sample.pixels[32_768 + i])
                coverage[i] = ((pixel - background) * difference).sum() / contrast
            }
            let record = SceneAnnotator.Record(label: 0, kept: true, x0: 0, y0: 0, width: 128, height: 128,
                                               visible: coverage, visibleFraction: 1, annotationIndex: 0)
            guard let half = extent(record, { $0 >= 0.5 }), let any = extent(record, { $0 > 0.02 }) else { continue }
            let b = object.box
            #expect(b.x1 >= any.x1 - 1 && b.x1 <= half.x1 + 1 && b.y1 >= any.y1 - 1 && b.y1 <= half.y1 + 1,
                    "image \(index): \(b) vs half \(half) any \(any)")
            #expect(b.x2 <= any.x2 + 1 && b.x2 >= half.x2 - 1 && b.y2 <= any.y2 + 1 && b.y2 >= half.y2 - 1,
                    "image \(index): \(b) vs half \(half) any \(any)")
            // The area is the visible shape area: the coverage summed.
            let area = coverage.reduce(0) { $0 + min(max($1, 0), 1) }
            #expect(abs(area - object.area) <= 0.05 * object.area + 2, "image \(index): area \(object.area) vs \(area)")
            checked += 1
        }
        #expect(checked > 60)
    }

    @Test func hiddenObjectsAreRemovedNotLeftUnlabelled() {
        var config = SyntheticSceneConfig()
        config.occlusionRate = 1
        let scenes = SyntheticScenes(config: config)
        var removed = 0
        for index in 0..<100 {
            let scene = scenes.render(index, keepRecords: true)
            for record in scene.records where record.label != nil && !record.kept {
                removed += 1
                #expect(record.annotationIndex == nil)
                let halfVisible = record.visible.contains { $0 >= 0.5 }
                #expect(record.visibleFraction < config.minVisibleFraction || !halfVisible)
            }
            #expect(scene.objects.allSatisfy { ($0.visibleFraction ?? 0) >= config.minVisibleFraction })
        }
        #expect(removed > 0)
    }

    /// Extent of a record's pixels passing `test`, as a box of pixel edges.
    private func extent(_ record: SceneAnnotator.Record, _ test: (Float) -> Bool) -> Box? {
        var extent = PixelExtent()
        for y in 0..<record.height {
            for x in 0..<record.width where test(record.visible[y * record.width + x]) { extent.add(x + record.x0, y + record.y0) }
        }
        guard !extent.isEmpty else { return nil }
        return Box(x1: Float(extent.minX), y1: Float(extent.minY), x2: Float(extent.maxX + 1), y2: Float(extent.maxY + 1))
    }
}
