import Detection
import Evaluation
import Testing
import Tensor
@testable import Data

/// A dataset of given images, for batching tests.
private struct FixedDataset: DetectionDataset {
    var samples: [DetectionSample]
    var name: String { "fixed" }
    var classNames: [String] { ["thing"] }
    var count: Int { samples.count }
    func sample(_ index: Int) throws -> DetectionSample { samples[index] }
    func groundTruth() -> COCOGroundTruth { makeGroundTruth([], classNames: classNames) }
}

private func ramp(width: Int, height: Int, objects: [ObjectAnnotation] = []) -> DetectionSample {
    let pixels = (0..<(3 * width * height)).map { (i: Int) -> Float in Float(i % width) / Float(width) }
    return DetectionSample(imageID: width * 1000 + height, width: width, height: height, pixels: pixels, objects: objects)
}

@Suite struct TransformTests {
    /// mmcv.rescale_size: 640×480 into (1333, 800) → factor min(1333/640, 800/480) = 5/3 → 1067×800.
    @Test func keepRatioSizeAsMMCV() {
        let size = ImageResizing.keepRatioSize(width: 640, height: 480, scale: ImageScale(1333, 800))
        #expect(size.width == 1067 && size.height == 800)
        #expect(size.scaleX == Float(1067) / 640 && size.scaleY == Float(800) / 480)
        // Portrait: the long edge limits. 300×600 into (1333, 800): min(1333/600, 800/300) = 2.2217 → 667×1333.
        let portrait = ImageResizing.keepRatioSize(width: 300, height: 600, scale: ImageScale(800, 1333))
        #expect(portrait.width == 667 && portrait.height == 1333)
    }

    /// OpenCV INTER_LINEAR: source x = (x + 0.5)/2 − 0.5, clamped: [0, 1] → [0, 0.25, 0.75, 1].
    @Test func bilinearResizeAsOpenCV() {
        let out = ImageResizing.bilinear([0, 1], channels: 1, width: 2, height: 1, newWidth: 4, newHeight: 1)
        #expect(out == [0, 0.25, 0.75, 1])
    }

    /// Box (10, 20, 110, 220) in a 200×300 image resized into (400, 300): factor min(400/300, 300/200)
    /// = 4/3 → 267×400, scales 267/200 = 1.335 and 400/300; flipped: x1' = 267 − x2, x2' = 267 − x1.
    @Test func resizeAndFlipMoveBoxesAsWorkedByHand() {
        let object = ObjectAnnotation(box: Box(x1: 10, y1: 20, x2: 110, y2: 220), label: 0)
        let transform = DetectionTransform(scales: [ImageScale(400, 300)], flipProbability: 1, normalization: .identity)
        let (pixels, objects, meta) = transform.apply(ramp(width: 200, height: 300, objects: [object]),
                                                      choice: .init(scaleIndex: 0, flip: true))
        #expect(meta.width == 267 && meta.height == 400 && meta.flipped)
        #expect(pixels.count == 3 * 267 * 400)
        let b = objects[0].box
        let expected = Box(x1: 267 - 110 * 1.335, y1: 20 * Float(400) / 300, x2: 267 - 10 * 1.335, y2: 220 * Float(400) / 300)
        for (a, e) in [(b.x1, expected.x1), (b.y1, expected.y1), (b.x2, expected.x2), (b.y2, expected.y2)] {
            #expect(abs(a - e) < 1e-3, "\(b) vs \(expected)")
        }
        let back = meta.toOriginal(b)
        for (a, e) in [(back.x1, Float(10)), (back.y1, 20), (back.x2, 110), (back.y2, 220)] { #expect(abs(a - e) < 1e-3) }
        #expect(abs(objects[0].area - object.area * 1.335 * Float(400) / 300) < 0.5)
    }

    @Test func flipMirrorsPixelsMasksAndRotatedBoxes() {
        let mask = InstanceMask(width: 4, height: 1, values: [1, 1, 0, 0])
        let rotated = RotatedBox(centerX: 1, centerY: 0.5, width: 2, height: 1, angle: 0.3)
        let sample = DetectionSample(imageID: 1, width: 4, height: 1, pixels: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
                                     objects: [ObjectAnnotation(box: Box(x1: 0, y1: 0, x2: 2, y2: 1), label: 0,
                                                                rotatedBox: rotated, mask: mask)])
        let transform = DetectionTransform(flipProbability: 1, normalization: .identity)
        let (pixels, objects, _) = transform.apply(sample, choice: .init(scaleIndex: 0, flip: true))
        #expect(pixels == [3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8])
        #expect(objects[0].box == Box(x1: 2, y1: 0, x2: 4, y2: 1))
        #expect(objects[0].mask?.values == [0, 0, 1, 1])
        #expect(objects[0].rotatedBox == RotatedBox(centerX: 3, centerY: 0.5, width: 2, height: 1, angle: -0.3))
    }

    /// `toOriginal` undoes `transform` for oriented boxes: scale 1.5 both ways, flipped; the
    /// angle comes back normalised (−1.3 flips to 1.3, and back to −1.3).
    @Test func rotatedBoxesMapBackToTheOriginalImage() {
        let meta = ImageMeta(imageID: 1, originalWidth: 40, originalHeight: 30, width: 60, height: 45, scaleX: 1.5, scaleY: 1.5, flipped: true)
        let original = RotatedBox(centerX: 12, centerY: 9, width: 10, height: 4, angle: -1.3)
        let input = meta.transform(ObjectAnnotation(box: original.enclosingBox, label: 0, rotatedBox: original)).rotatedBox!
        #expect(abs(input.centerX - (60 - 18)) < 1e-5 && abs(input.centerY - 13.5) < 1e-5 && abs(input.angle - 1.3) < 1e-6)
        let back = meta.toOriginal(input)
        #expect(abs(back.centerX - 12) < 1e-5 && abs(back.centerY - 9) < 1e-5 && abs(back.width - 10) < 1e-5
                && abs(back.height - 4) < 1e-5 && abs(back.angle - -1.3) < 1e-6)
    }

    @Test func normalisationUsesMeanAndStd() {
        let transform = DetectionTransform(flipProbability: 0)
        let sample = DetectionSample(imageID: 1, width: 1, height: 1, pixels: [0.485, 0.456 + 0.224, 0], objects: [])
        let (pixels, _, _) = transform.apply(sample, choice: .init(scaleIndex: 0, flip: false))
        #expect(abs(pixels[0]) < 1e-6 && abs(pixels[1] - 1) < 1e-5 && abs(pixels[2] + 0.406 / 0.225) < 1e-5)
    }

    @Test func choicesAreRandomButReproducible() {
        let transform = DetectionTransform(scales: [ImageScale(1333, 640), ImageScale(1333, 800)])
        var a = RNG(seed: 5), b = RNG(seed: 5)
        let first = (0..<200).map { _ in transform.draw(&a) }
        #expect(first == (0..<200).map { _ in transform.draw(&b) })
        let flips = first.filter(\.flip).count, large = first.filter { $0.scaleIndex == 1 }.count
        #expect(flips > 70 && flips < 130 && large > 70 && large < 130)
        var c = RNG(seed: 5)
        #expect(transform.evaluation.draw(&c) == .init(scaleIndex: 0, flip: false))
    }

    @Test func batchesArePaddedToTheDivisor() throws {
        let dataset = FixedDataset(samples: [ramp(width: 100, height: 60), ramp(width: 70, height: 90)])
        let loader = BatchLoader(dataset: dataset, transform: DetectionTransform(flipProbability: 0, normalization: .identity))
        var rng = RNG(seed: 1)
        let batch = try loader.batch([0, 1], rng: &rng)
        #expect(batch.images.shape == [2, 3, 96, 128])
        #expect(batch.imageIDs == [100_060, 70_090] && batch.metas.map(\.width) == [100, 70])
        // Image 1's first row is its ramp, then zero padding.
        let row = Array(batch.images.data[(3 * 96 * 128)..<(3 * 96 * 128 + 128)])
        #expect(row[69] == Float(69) / 70 && row[70] == 0 && row[127] == 0)
        // Synthetic scenes at network size: 128 is already a multiple of 32.
        let scenes = BatchLoader(dataset: SyntheticScenes(), transform: DetectionTransform())
        let synthetic = try scenes.batch([0, 1, 2, 3], rng: &rng)
        #expect(synthetic.images.shape == [4, 3, 128, 128] && synthetic.objects.count == 4)
        #expect(synthetic.scaleFactors.allSatisfy { $0.x == 1 && $0.y == 1 })
    }

    @Test func samplerShufflesWholeEpochsReproducibly() {
        let sampler = BatchSampler(count: 10, batchSize: 3)
        var rng = RNG(seed: 9), again = RNG(seed: 9)
        let epoch = sampler.epoch(rng: &rng)
        #expect(epoch == sampler.epoch(rng: &again))
        #expect(epoch.count == 3 && epoch.allSatisfy { $0.count == 3 })
        #expect(Set(epoch.joined()).count == 9)
        #expect(sampler.epoch(rng: &rng) != epoch)                        // the next epoch is a new permutation
        let keepLast = BatchSampler(count: 10, batchSize: 3, shuffle: false, dropLast: false)
        #expect(keepLast.epoch(rng: &rng) == [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]])
    }
}
