import Detection
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

    /// Fingerprints of three images, bits and all. A failure on an unchanged generator means this
    /// machine generates different data (the generator must not depend on the machine); after an
    /// intended change to the generator, update the values (and expect different published runs).
    @Test func imagesMatchTheirRecordedFingerprints() throws {
        let fingerprints = try [0, 1, 4999].map { try fingerprint(scenes.sample($0)) }
        print("synthetic fingerprints: \(fingerprints.map { String($0, radix: 16) })")
        #expect(fingerprints == SyntheticDeterminismTests.recordedFingerprints)
    }

    static let recordedFingerprints: [UInt64] = [0xC167_9B18_696C_C740, 0x7A0B_069D_70AB_09D8, 0x2AD1_81BB_6F90_ABED]

    /// FNV-1a over the pixels' and boxes' bit patterns and the labels.
    private func fingerprint(_ sample: DetectionSample) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        func mix(_ value: UInt32) {
            hash = (hash ^ UInt64(value)) &* 0x0000_0100_0000_01B3
        }
        sample.pixels.forEach { mix($0.bitPattern) }
        for object in sample.objects {
            [object.box.x1, object.box.y1, object.box.x2, object.box.y2, object.area].forEach { mix($0.bitPattern) }
            mix(UInt32(object.label))
        }
        return hash
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
