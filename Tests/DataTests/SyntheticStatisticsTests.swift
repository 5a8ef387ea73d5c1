import Foundation
import Testing
@testable import Data

/// Class, scale and occlusion statistics of the default small configuration. Prints them
/// (`swift test --filter SyntheticStatistics`); `DATA_STATISTICS_IMAGES` sets how many images.
@Suite struct SyntheticStatisticsTests {
    @Test func smallProfileStatistics() throws {
        let scenes = SyntheticScenes(config: SyntheticSceneConfig())
        let count = ProcessInfo.processInfo.environment["DATA_STATISTICS_IMAGES"].flatMap(Int.init) ?? 400
        let stats = try DatasetStatistics.measure(scenes, indices: 0..<count, areaRanges: scenes.areaRanges)
        print("synthetic standard, \(count) train images:\n\(stats.summary)")
        let n = Double(stats.objects)
        #expect(stats.perClass.allSatisfy { Double($0) > 0.4 * n / 12 }, "every class is common: \(stats.perClass)")
        for (name, share) in [("small", stats.small), ("medium", stats.medium), ("large", stats.large)] {
            #expect(Double(share) > 0.08 * n, "\(name) objects are \(share) of \(stats.objects)")
        }
        let perImage = n / Double(stats.images)
        #expect(perImage > 3.5 && perImage < 6)
        #expect(Double(stats.occluded) > 0.1 * n)
        #expect(Double(stats.elongated) > 0.03 * n)          // boxes of turned thin objects are squarer
        #expect(stats.meanVisibleFraction > 0.8)
    }

    /// COCO's 32² / 96² thresholds scaled by shorter side / 480.
    @Test func areaRangesScaleWithTheImage() {
        let ranges = SyntheticScenes.areaRanges(imageWidth: 128, imageHeight: 128)
        #expect(abs(ranges[1].upper - 72.818) < 0.01)
        #expect(abs(ranges[2].upper - 655.36) < 0.01)
        let coco = SyntheticScenes.areaRanges(imageWidth: 640, imageHeight: 480)
        #expect(coco[1].upper == 1024 && coco[2].upper == 9216)
    }
}
