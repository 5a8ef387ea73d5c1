import Foundation
import Tensor
import Testing
@testable import Data

/// Generation time per image. The Data module is compiled optimised in every configuration, so
/// this measures the same code in `swift test` and `swift test -c release`. It prints the figure
/// (thread CPU time, which other processes on a shared machine disturb less than wall time); the
/// bound asserted is loose, since machines are shared and some are up to 3× slower.
@Suite struct GenerationSpeedTests {
    @Test func generatesSmallProfileImagesQuickly() throws {
        let scenes = SyntheticScenes(config: SyntheticSceneConfig())
        let count = ProcessInfo.processInfo.environment["DATA_TIMING_IMAGES"].flatMap(Int.init) ?? 300
        _ = try scenes.sample(0)                                          // warm-up
        let wallStart = DispatchTime.now().uptimeNanoseconds, cpuStart = threadCPUSeconds()
        var objects = 0
        for index in 0..<count { objects += try scenes.sample(index).objects.count }
        let cpu = (threadCPUSeconds() - cpuStart) / Double(count) * 1000
        let wall = Double(DispatchTime.now().uptimeNanoseconds - wallStart) / 1e6 / Double(count)
        print("synthetic generation: \(String(format: "%.3f", cpu)) ms CPU (\(String(format: "%.3f", wall)) ms wall) "
              + "per 128×128 image on one thread (\(count) images, \(objects) objects)")
        #expect(cpu < 5)
    }

    /// Batches of 32 through the training transform (flip, normalise, pad) on all cores.
    @Test func loadsTrainingBatchesQuickly() throws {
        let loader = BatchLoader(dataset: SyntheticScenes(), transform: DetectionTransform())
        let batches = ProcessInfo.processInfo.environment["DATA_TIMING_BATCHES"].flatMap(Int.init) ?? 5
        var rng = RNG(seed: 0)
        let sampler = BatchSampler(count: 6000, batchSize: 32)
        let epoch = sampler.epoch(rng: &rng)
        let start = DispatchTime.now().uptimeNanoseconds
        for b in 0..<batches { _ = try loader.batch(epoch[b], rng: &rng) }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        print("batch loading: \(String(format: "%.0f", Double(batches * 32) / seconds)) images/s wall with "
              + "\(Parallelism.workers) workers (\(batches) batches of 32)")
    }
}

func threadCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}
