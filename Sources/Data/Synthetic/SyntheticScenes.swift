import Detection
import Evaluation
import Tensor

/// One split of the built-in synthetic detection data (see `SyntheticSceneConfig`).
///
/// Image `index` is generated from its own stream `RNG(seed: sceneSeed(seed, split, index))`, so any
/// image can be regenerated alone, in any order, on any thread, and is bit-identical on every
/// machine (the generator uses only + − × ÷ √ in Float/Double, see `DeterministicMath`). Nothing is
/// cached: generating an image takes a fraction of a millisecond.
public struct SyntheticScenes: DetectionDataset, Sendable {
    public let config: SyntheticSceneConfig
    public let split: SceneSplit
    private let labelledKinds: [ObjectKind]

    public init(config: SyntheticSceneConfig = SyntheticSceneConfig(), split: SceneSplit = .train) {
        self.config = config
        self.split = split
        labelledKinds = SceneVocabulary(numClasses: config.numClasses).labelled
    }

    /// Both splits of one configuration.
    public static func splits(_ config: SyntheticSceneConfig) -> (train: SyntheticScenes, val: SyntheticScenes) {
        (SyntheticScenes(config: config, split: .train), SyntheticScenes(config: config, split: .val))
    }

    public var name: String { "synthetic-\(config.variant.rawValue)-\(config.splitName(split))" }
    public var classNames: [String] { labelledKinds.map(\.name) }
    /// The shape × texture conjunction of each class.
    public var classKinds: [ObjectKind] { labelledKinds }
    public var count: Int { config.count(split) }

    /// Image ids run from 1 (COCO tools treat 0 as suspicious).
    public func imageID(_ index: Int) -> Int { index + 1 }
    public func fileName(_ index: Int) -> String {
        let digits = String(imageID(index))
        return String(repeating: "0", count: max(0, 6 - digits.count)) + digits + ".jpg"
    }

    public func sample(_ index: Int) throws -> DetectionSample {
        let scene = render(index)
        return DetectionSample(imageID: imageID(index), width: config.imageWidth, height: config.imageHeight,
                               pixels: scene.pixels, objects: scene.objects)
    }

    /// Generates every image of the split (on all cores) to collect the annotations.
    public func groundTruth() -> COCOGroundTruth {
        let perImage = parallelMap(count) { index in render(index).objects }
        let images = perImage.enumerated().map { index, objects in
            GroundTruthImage(image: COCOImage(id: imageID(index), width: config.imageWidth,
                                              height: config.imageHeight, fileName: fileName(index)),
                             objects: objects)
        }
        return makeGroundTruth(images, classNames: classNames)
    }

    /// The seed of image `index`'s stream: SplitMix64's finaliser over seed, split and index.
    public static func sceneSeed(seed: UInt64, split: SceneSplit, index: Int) -> UInt64 {
        let splitKey: UInt64 = split == .train ? 0x7472_6169_6E00_0001 : 0x7661_6C00_0000_0002
        return mix(mix(seed ^ splitKey) &+ UInt64(truncatingIfNeeded: index))
    }

    func render(_ index: Int, keepRecords: Bool = false) -> RenderedScene {
        precondition(index >= 0 && index < count, "SyntheticScenes: index \(index) outside 0..<\(count)")
        var rng = RNG(seed: SyntheticScenes.sceneSeed(seed: config.seed, split: split, index: index))
        let plan = ScenePlan(config: config, vocabulary: SceneVocabulary(numClasses: config.numClasses), rng: &rng)
        return SceneRenderer(config: config).render(plan, rng: &rng, keepRecords: keepRecords)
    }

    private static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension SyntheticScenes {
    /// COCO's small/medium/large area ranges scaled to this image size, in the layout of
    /// `COCOParameters.areaRanges` (all, small, medium, large).
    ///
    /// COCO's thresholds (32², 96² px) were set on images of about 640×480. They are scaled by
    /// (shorter image side / 480) in length, so "small" is the same fraction of the image as in
    /// COCO: at 128×128 the thresholds are 8.5² and 25.6² px (72.8 and 655 px²).
    public static func areaRanges(imageWidth: Int, imageHeight: Int) -> [(lower: Double, upper: Double)] {
        let k = Double(min(imageWidth, imageHeight)) / 480
        let small = (32 * k) * (32 * k), medium = (96 * k) * (96 * k)
        return [(0, 1e10), (0, small), (small, medium), (medium, 1e10)]
    }

    public var areaRanges: [(lower: Double, upper: Double)] {
        SyntheticScenes.areaRanges(imageWidth: config.imageWidth, imageHeight: config.imageHeight)
    }
}
