import Testing
import Tensor
@testable import Data

@Suite struct SyntheticDeterminismTests {
    let scenes = SyntheticScenes(config: SyntheticSceneConfig())

    @Test func sameSeedAndIndexGiveIdenticalImages() throws {
        let first = try scenes.sample(7)
        // Regenerated alone, after other images, and from a second dataset value.
        _ = try scenes.sample(3)
        let again = try SyntheticScenes(config: SyntheticSceneConfig()).sample(7)
        #expect(first == again)
        #expect(first.pixels == again.pixels)
        #expect(!first.objects.isEmpty)
    }

    @Test func differentIndexSeedOrSplitGiveDifferentImages() throws {
        let image = try scenes.sample(7)
        #expect(try scenes.sample(8).pixels != image.pixels)
        var reseeded = SyntheticSceneConfig()
        reseeded.seed = 1
        #expect(try SyntheticScenes(config: reseeded).sample(7).pixels != image.pixels)
        #expect(try SyntheticScenes(config: SyntheticSceneConfig(), split: .val).sample(7).pixels != image.pixels)
    }

    @Test func splitSizesDoNotChangeEachOthersImages() throws {
        var fewer = SyntheticSceneConfig()
        fewer.trainCount = 10
        let val = try SyntheticScenes(config: SyntheticSceneConfig(), split: .val).sample(2)
        #expect(try SyntheticScenes(config: fewer, split: .val).sample(2) == val)
    }

    @Test func groundTruthMatchesSamples() throws {
        var config = SyntheticSceneConfig()
        config.trainCount = 12
        let small = SyntheticScenes(config: config)
        let truth = small.groundTruth()
        #expect(truth.images.count == 12)
        #expect(truth.categories.map(\.id) == Array(1...12))
        let objects = try (0..<12).flatMap { try small.sample($0).objects }
        #expect(truth.annotations.count == objects.count)
        for (annotation, object) in zip(truth.annotations, objects) {
            #expect(annotation.categoryID == object.label + 1)
            #expect(Float(annotation.bbox.x) == object.box.x1 && Float(annotation.bbox.x + annotation.bbox.width) == object.box.x2)
        }
    }

    /// The transcendental functions the generator uses instead of libm's.
    @Test func deterministicMathAgreesWithLibm() {
        for x in stride(from: -20.0, through: 20.0, by: 0.37) {
            #expect(abs(DeterministicMath.sinCos(x).sin - _sin(x)) < 1e-12)
            #expect(abs(DeterministicMath.sinCos(x).cos - _cos(x)) < 1e-12)
            #expect(abs(DeterministicMath.exp(x) - _exp(x)) <= 1e-12 * _exp(x))
            if x > 0 { #expect(abs(DeterministicMath.log(x) - _log(x)) < 1e-12) }
        }
    }
}

import Foundation
private func _sin(_ x: Double) -> Double { Foundation.sin(x) }
private func _cos(_ x: Double) -> Double { Foundation.cos(x) }
private func _exp(_ x: Double) -> Double { Foundation.exp(x) }
private func _log(_ x: Double) -> Double { Foundation.log(x) }
