import Tensor

/// The ImageNet analogue of the synthetic world: square crops, each centred on one object, labelled
/// with its shape × texture conjunction among all 32 (`ObjectKind.all`), so that a backbone
/// pretrained on them has seen every class and every look-alike before detection training starts.
///
/// Crops share the scene generator's appearance (backgrounds, clutter, textures, colours, soft and
/// low-contrast edges, photometric jitter and noise) from `scene`; an occluder of another kind
/// sometimes covers part of the object. Crop `index` comes from its own seeded stream, like scenes.
public struct ObjectCrops: Sendable {
    public var scene: SyntheticSceneConfig
    public var cropSize: Int
    public var seed: UInt64
    /// Object size √(w·h) as a fraction of the crop side (uniform).
    public var objectSide: ClosedRange<Float> = 0.3...0.75
    /// Probability that a second object of another kind is drawn partly over the first.
    public var occluderProbability: Float = 0.3

    public init(scene: SyntheticSceneConfig = SyntheticSceneConfig(), cropSize: Int = 64, seed: UInt64) {
        self.scene = scene
        self.scene.imageWidth = cropSize
        self.scene.imageHeight = cropSize
        self.scene.minVisibleFraction = 0  // the labelled object is never removed
        self.cropSize = cropSize
        self.seed = seed
    }

    public static var classCount: Int { ObjectKind.all.count }

    /// Channel-major RGB in [0, 1] (`3 × cropSize × cropSize`) and the conjunction's index.
    public func crop(_ index: Int) -> (pixels: [Float], label: Int) {
        var rng = RNG(seed: SyntheticScenes.sceneSeed(seed: seed, split: .train, index: index))
        let side = Float(cropSize)
        let label = rng.int(below: Self.classCount)
        var object = PlannedObject(kind: ObjectKind.all[label], label: label, config: scene, shortSide: side, rng: &rng)
        // Rescale the drawn geometry to this crop's size range, keeping its proportions.
        let target = rng.uniform(in: objectSide) * side
        let scale = min(target / (2 * (object.geometry.a * object.geometry.b).squareRoot()), 0.45 * side / max(object.geometry.a, object.geometry.b))
        object.geometry = ShapeGeometry(shape: object.kind.shape, halfWidth: max(object.geometry.a * scale, 0.8),
                                        halfHeight: max(object.geometry.b * scale, 0.8))
        object.blurSigma = min(object.blurSigma, 0.4 * 2 * min(object.geometry.a, object.geometry.b))
        let jitter = 0.1 * side
        object.centerX = side / 2 + rng.uniform(in: -jitter...jitter)
        object.centerY = side / 2 + rng.uniform(in: -jitter...jitter)

        var objects = [object]
        if rng.chance(occluderProbability) {
            var kind = ObjectKind.all[rng.int(below: Self.classCount)]
            if kind == object.kind { kind = ObjectKind.all[(label + 1) % Self.classCount] }
            var occluder = PlannedObject(kind: kind, label: nil, config: scene, shortSide: side, rng: &rng)
            occluder.place(after: objects, config: scene, width: side, height: side, rng: &rng)
            objects.append(occluder)
        }
        let plan = ScenePlan(background: BackgroundPlan(config: scene, rng: &rng),
                             clutter: (0..<rng.int(in: 0...3)).map { _ in ClutterItem(width: side, height: side, rng: &rng) },
                             objects: objects,
                             brightness: rng.uniform(in: -scene.photometricJitter...scene.photometricJitter),
                             contrast: 1 + rng.uniform(in: -scene.photometricJitter...scene.photometricJitter),
                             noiseStd: rng.uniform(in: scene.noiseStd))
        return (SceneRenderer(config: scene).render(plan, rng: &rng).pixels, label)
    }

    /// Crops `indices` rendered on all cores, normalised as detector inputs are:
    /// images `[N, 3, cropSize, cropSize]` and labels.
    public func batch(_ indices: [Int], normalization: Normalization) -> (images: Tensor, labels: [Int]) {
        let n = cropSize * cropSize
        let rendered = parallelMap(indices.count) { crop(indices[$0]) }
        var data = [Float](repeating: 0, count: indices.count * 3 * n)
        for (i, crop) in rendered.enumerated() {
            for c in 0..<3 {
                let base = (i * 3 + c) * n, mean = normalization.mean[c], std = normalization.std[c]
                for p in 0..<n { data[base + p] = (crop.pixels[c * n + p] - mean) / std }
            }
        }
        return (Tensor(shape: [indices.count, 3, cropSize, cropSize], data: data), rendered.map(\.label))
    }
}
