/// Every knob of the synthetic scene generator. The defaults are the `small` profile's
/// `.standard` scenes; `init(variant:)` sets each variant's own defaults, and any field can then be
/// overridden. Lengths are in pixels of the generated image unless said otherwise.
///
/// The difficulty is meant to sit in localization as much as in recognition (calibration notes,
/// lesson 4): soft (blurred) and low-contrast edges, occlusion with visible-extent boxes, and thin
/// elongated objects whose box is decided by their faint ends.
public struct SyntheticSceneConfig: Equatable, Sendable, Codable {
    public enum Variant: String, CaseIterable, Sendable, Codable {
        /// COCO-like: 12 shape × texture classes, distractors, clutter, occlusion, blur.
        case standard
        /// CrowdHuman-like: one class, many overlapping upright objects; `box` is the full extent,
        /// `visibleBox` the visible part.
        case crowded
        /// DOTA-like: elongated objects at any angle, little occlusion, each with a `rotatedBox`.
        case oriented
        /// `.standard` plus a visible-pixel `mask` per object.
        case masks
        /// VOC-like: 6 classes, fewer and larger objects, `difficult` flags, trainval/test split.
        case vocLike
    }

    /// Object size: the side of the square with the object's un-rotated box area, √(w·h), drawn
    /// from a split log-normal with these quantiles, as fractions of the image's shorter side.
    public struct SideQuantiles: Equatable, Sendable, Codable {
        public var p5: Float, p50: Float, p95: Float
        public init(p5: Float, p50: Float, p95: Float) { self.p5 = p5; self.p50 = p50; self.p95 = p95 }
    }

    public var variant: Variant
    /// With the image index and split, decides every image (see `SyntheticScenes.sceneSeed`).
    public var seed: UInt64 = 0
    public var imageWidth = 128
    public var imageHeight = 128
    /// Labelled classes: the first `numClasses` conjunctions of `ObjectKind.all`; the rest are distractors.
    public var numClasses = 12
    public var trainCount = 6000
    public var valCount = 1000
    /// Labelled objects planned per image (uniform). Objects hidden below `minVisibleFraction`
    /// are removed before rendering, so an image can end up with fewer.
    public var objectsPerImage: ClosedRange<Int> = 3...8
    /// Expected unlabelled look-alikes (other conjunctions) per labelled object.
    public var distractorsPerObject: Float = 0.4
    /// Default 8 / 20 / 64 px at 128 px (the reference study's boxes: 10 / 25 / 76 px).
    public var objectSide = SideQuantiles(p5: 0.0625, p50: 0.156, p95: 0.5)
    /// Width / height of ordinary objects (log-uniform), before rotation.
    public var compactAspect: ClosedRange<Float> = 0.67...1.5
    /// Probability that an object is thin and elongated instead, with long / short side in `elongation`.
    public var elongatedFraction: Float = 0.25
    public var elongation: ClosedRange<Float> = 3...6
    /// Rotation angles are uniform in [-maxRotation, maxRotation] radians.
    public var maxRotation: Float = .pi
    /// Probability that an object of normal contrast gets a soft edge: a Gaussian blur of its own
    /// layer (low-contrast objects stay sharp, so about blurFraction × (1 − lowContrastFraction)
    /// of all objects are soft).
    public var blurFraction: Float = 0.4
    /// Blur σ in pixels (uniform), capped at a quarter of the object's size √(w·h) and at 0.4 of
    /// its thickness.
    public var blurSigma: ClosedRange<Float> = 1.5...4
    /// Probability that an object's colours are pulled towards the background behind it...
    public var lowContrastFraction: Float = 0.2
    /// ...keeping this fraction of their difference from it.
    public var lowContrast: ClosedRange<Float> = 0.3...0.6
    /// Probability that an object is placed overlapping an earlier one (drawn on top of it).
    public var occlusionRate: Float = 0.35
    /// Labelled objects with less than this fraction of their shape visible (occluded or outside
    /// the image) are removed from the scene, never left in unlabelled.
    public var minVisibleFraction: Float = 0.45
    /// Marks objects `isDifficult` below this visible fraction (0 disables).
    public var difficultBelowVisibleFraction: Float = 0
    /// Marks objects `isDifficult` when the shorter side of their box is below this fraction of the
    /// image's shorter side (0 disables).
    public var difficultBelowSide: Float = 0
    /// Background clutter items: thin lines and small blobs that are not objects.
    public var clutterPerImage: ClosedRange<Int> = 2...8
    /// Probability of a large textured background region (a half-plane), texture without an object.
    public var backgroundPatchProbability: Float = 0.5
    /// Amplitude of the background's low-frequency brightness noise and of its colour gradient.
    public var backgroundVariation: Float = 0.12
    /// Probability that an object's hue is its class's preferred hue (± `hueJitter`) rather than any hue.
    public var colourInformativeness: Float = 0.35
    /// Half-width of the hue band around a class's preferred hue. Twelve classes' preferred hues
    /// lie at least 0.056 apart, so at the default ±0.06 neighbouring classes share hues and only
    /// shape and texture tell them apart; below ±0.028 the hue alone separates them.
    public var hueJitter: Float = 0.06
    /// Brightness difference between a texture's two colours.
    public var textureContrast: ClosedRange<Float> = 0.3...0.6
    /// Texture period in pixels: small objects show only a few periods, large ones many.
    public var texturePeriod: ClosedRange<Float> = 3...6
    /// Per-image pixel noise standard deviation (uniform), added to every channel.
    public var noiseStd: ClosedRange<Float> = 0...0.04
    /// Per-image brightness offset and contrast change, each uniform in ±photometricJitter.
    public var photometricJitter: Float = 0.1

    public init(variant: Variant = .standard) {
        self.variant = variant
        switch variant {
        case .standard, .masks:
            break
        case .crowded:
            numClasses = 1
            objectsPerImage = 6...24
            distractorsPerObject = 0.15
            objectSide = SideQuantiles(p5: 0.09, p50: 0.17, p95: 0.32)
            compactAspect = 0.33...0.5          // upright, pedestrian-like
            elongatedFraction = 0
            maxRotation = 0.12
            occlusionRate = 0.85
            minVisibleFraction = 0.15
        case .oriented:
            objectsPerImage = 4...14
            distractorsPerObject = 0.25
            objectSide = SideQuantiles(p5: 0.06, p50: 0.12, p95: 0.3)
            compactAspect = 1.5...3              // never square: the angle must be defined
            elongatedFraction = 0.3
            occlusionRate = 0.03
        case .vocLike:
            numClasses = 6
            trainCount = 5000                    // VOC07+12 trainval : VOC07 test ≈ 3.3 : 1
            valCount = 1500
            objectsPerImage = 1...4
            distractorsPerObject = 0.3
            objectSide = SideQuantiles(p5: 0.12, p50: 0.3, p95: 0.7)
            difficultBelowVisibleFraction = 0.6
            difficultBelowSide = 0.05
        }
    }

    /// The names of the two splits: train/val, or trainval/test for `.vocLike`.
    public func splitName(_ split: SceneSplit) -> String {
        switch (variant, split) {
        case (.vocLike, .train): "trainval"
        case (.vocLike, .val): "test"
        case (_, .train): "train"
        case (_, .val): "val"
        }
    }

    public func count(_ split: SceneSplit) -> Int { split == .train ? trainCount : valCount }
}

/// The two halves of a synthetic dataset. Their images come from disjoint RNG streams, so changing
/// one split's size never changes the other's images.
public enum SceneSplit: String, CaseIterable, Sendable, Codable {
    case train, val
}
