import Detection
import Testing
@testable import Data

@Suite struct SyntheticVariantTests {
    private func objects(_ variant: SyntheticSceneConfig.Variant, images: Int = 60) throws -> (SyntheticScenes, [ObjectAnnotation]) {
        let scenes = SyntheticScenes(config: SyntheticSceneConfig(variant: variant))
        return (scenes, try (0..<images).flatMap { try scenes.sample($0).objects })
    }

    @Test func crowdedHasOneClassFullBoxesAndVisibleBoxes() throws {
        let (scenes, objects) = try objects(.crowded)
        #expect(scenes.classNames.count == 1)
        #expect(Double(objects.count) / 60 > 8)
        for object in objects {
            #expect(object.label == 0)
            let visible = try #require(object.visibleBox)
            // The visible part lies inside the full extent (pixel-edge sides may stick out by less than a pixel).
            #expect(visible.x1 >= object.box.x1 - 1 && visible.y1 >= object.box.y1 - 1)
            #expect(visible.x2 <= object.box.x2 + 1 && visible.y2 <= object.box.y2 + 1)
            #expect((object.visibleFraction ?? 0) >= 0.15)
        }
        #expect(objects.filter { ($0.visibleFraction ?? 1) < 0.5 }.count > objects.count / 10, "crowds overlap heavily")
        // Upright: taller than wide.
        #expect(objects.filter { $0.box.height > $0.box.width }.count > objects.count * 8 / 10)
    }

    @Test func orientedObjectsCarryRotatedBoxesThatEncloseTheirBoxes() throws {
        let (_, objects) = try objects(.oriented)
        #expect(Double(objects.count) / 60 > 6)
        for object in objects {
            let rotated = try #require(object.rotatedBox)
            #expect(rotated.angle >= -Float.pi / 2 && rotated.angle < Float.pi / 2)
            #expect(max(rotated.width, rotated.height) >= 1.45 * min(rotated.width, rotated.height))
            // The axis-aligned box is the rotated box's hull, clipped to the image.
            let hull = rotated.enclosingBox
            let clipped = Box(x1: max(hull.x1, 0), y1: max(hull.y1, 0), x2: min(hull.x2, 128), y2: min(hull.y2, 128))
            for (a, b) in [(clipped.x1, object.box.x1), (clipped.y1, object.box.y1), (clipped.x2, object.box.x2), (clipped.y2, object.box.y2)] {
                #expect(abs(a - b) < 1e-3, "\(rotated) vs \(object.box)")
            }
        }
    }

    @Test func masksAreTheVisiblePixelsInsideTheBox() throws {
        let (_, objects) = try objects(.masks, images: 30)
        for object in objects {
            let mask = try #require(object.mask)
            #expect(mask.width == 128 && mask.height == 128)
            var inside = true
            for y in 0..<128 {
                for x in 0..<128 where mask.values[y * 128 + x] != 0 {
                    let b = object.box
                    if Float(x) < b.x1 - 1 || Float(x + 1) > b.x2 + 1 || Float(y) < b.y1 - 1 || Float(y + 1) > b.y2 + 1 { inside = false }
                }
            }
            #expect(inside)
            // Pixels at least half visible vs the visible coverage summed: equal up to the boundary pixels.
            let perimeter = 2 * (object.box.width + object.box.height)
            #expect(abs(Float(mask.area) - object.area) <= 0.5 * perimeter + 2)
        }
    }

    @Test func vocLikeHasSixClassesVOCSplitsAndDifficultFlags() throws {
        let (scenes, objects) = try objects(.vocLike, images: 120)
        #expect(scenes.classNames.count == 6)
        #expect(scenes.config.splitName(.train) == "trainval" && scenes.config.splitName(.val) == "test")
        #expect(objects.allSatisfy { (0..<6).contains($0.label) })
        for object in objects {
            let expected = (object.visibleFraction ?? 1) < 0.6 || min(object.box.width, object.box.height) < 0.05 * 128
            #expect(object.isDifficult == expected)
        }
        #expect(objects.contains { $0.isDifficult } && objects.contains { !$0.isDifficult })
        // VOC evaluation ignores difficult objects; the COCO ground truth says so with `ignore`.
        let truth = SyntheticScenes(config: { var c = scenes.config; c.trainCount = 20; return c }()).groundTruth()
        #expect(truth.annotations.contains { $0.ignore })
    }
}
