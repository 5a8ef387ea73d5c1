import Detection
import Tensor

/// Everything random about one image, drawn from its RNG before any pixel is drawn. Rendering is
/// then a pure function of the plan (plus the pixel noise, drawn last from the same stream).
struct ScenePlan {
    var background: BackgroundPlan
    var clutter: [ClutterItem]
    /// In depth order: later objects are drawn over earlier ones.
    var objects: [PlannedObject]
    var brightness: Float, contrast: Float, noiseStd: Float
}

struct PlannedObject {
    var kind: ObjectKind
    /// The class, or nil for an unlabelled distractor.
    var label: Int?
    var centerX: Float, centerY: Float
    var geometry: ShapeGeometry
    var angle: Float
    var cosAngle: Float, sinAngle: Float
    var colour: Colour, secondColour: Colour
    var pattern: TexturePattern
    /// 0 for a sharp edge.
    var blurSigma: Float
    /// 1, or the fraction of its colour difference from the background a low-contrast object keeps.
    var contrastKept: Float

    var extent: (x1: Float, y1: Float, x2: Float, y2: Float) {
        geometry.extent(centerX: centerX, centerY: centerY, cos: cosAngle, sin: sinAngle)
    }
}

struct BackgroundPlan {
    /// The colour ramps from `colourA` to `colourB` along `(gradientX, gradientY)` across the image.
    var colourA: Colour, colourB: Colour
    var gradientX: Float, gradientY: Float
    /// Low-frequency brightness noise: lattice cell in pixels, amplitude, hash key.
    var noiseCell: Float, noiseAmplitude: Float, noiseSalt: UInt64
    var patch: BackgroundPatch?
}

/// A textured half-plane of the background: texture that belongs to no object.
struct BackgroundPatch {
    /// Points with normalX·x + normalY·y > offset are inside.
    var normalX: Float, normalY: Float, offset: Float
    var colour: Colour, secondColour: Colour
    var pattern: TexturePattern
    var cosAngle: Float, sinAngle: Float
}

/// A thin line segment or a small blob drawn into the background.
struct ClutterItem {
    var x1: Float, y1: Float, x2: Float, y2: Float
    /// Half the line width, or for a blob (x1 == x2, y1 == y2) its radius.
    var radius: Float
    var colour: Colour
    var opacity: Float
}

extension ScenePlan {
    init(config: SyntheticSceneConfig, vocabulary: SceneVocabulary, rng: inout RNG) {
        let width = Float(config.imageWidth), height = Float(config.imageHeight)
        let shortSide = min(width, height)
        background = BackgroundPlan(config: config, rng: &rng)
        clutter = (0..<rng.int(in: config.clutterPerImage)).map { _ in
            ClutterItem(width: width, height: height, rng: &rng)
        }

        // Which objects, in which depth order: labelled ones and look-alike distractors shuffled together.
        let labelledCount = rng.int(in: config.objectsPerImage)
        let distractorCount = vocabulary.distractors.isEmpty
            ? 0 : rng.stochasticRound(Float(labelledCount) * config.distractorsPerObject)
        var slots: [(kind: ObjectKind, label: Int?)] = (0..<labelledCount).map { _ in
            let label = rng.int(below: vocabulary.labelled.count)
            return (vocabulary.labelled[label], label)
        }
        for _ in 0..<distractorCount {
            slots.append((vocabulary.distractors[rng.int(below: vocabulary.distractors.count)], nil))
        }
        rng.shuffle(&slots)

        objects = []
        for slot in slots {
            var object = PlannedObject(kind: slot.kind, label: slot.label, config: config,
                                       shortSide: shortSide, rng: &rng)
            object.place(after: objects, config: config, width: width, height: height, rng: &rng)
            objects.append(object)
        }
        brightness = rng.uniform(in: -config.photometricJitter...config.photometricJitter)
        contrast = 1 + rng.uniform(in: -config.photometricJitter...config.photometricJitter)
        noiseStd = rng.uniform(in: config.noiseStd)
    }
}

extension PlannedObject {
    /// Draws size, shape proportions, angle, look and softness; the centre is set by `place`.
    init(kind: ObjectKind, label: Int?, config: SyntheticSceneConfig, shortSide: Float, rng: inout RNG) {
        self.kind = kind
        self.label = label
        // Split log-normal size: the 5th/50th/95th percentiles are ±1.645 σ on either side.
        let q = config.objectSide
        let z = rng.approximatelyNormal()
        let sigma = z < 0 ? DeterministicMath.log(q.p50 / q.p5) / 1.645 : DeterministicMath.log(q.p95 / q.p50) / 1.645
        let side = min(max(q.p50 * shortSide * DeterministicMath.exp(sigma * z), 3), 0.9 * shortSide)
        let aspect: Float
        if rng.chance(config.elongatedFraction) {
            aspect = rng.uniform(in: config.elongation)
        } else {
            let logRange = DeterministicMath.log(config.compactAspect.lowerBound)...DeterministicMath.log(config.compactAspect.upperBound)
            aspect = DeterministicMath.exp(rng.uniform(in: logRange))
        }
        let root = aspect.squareRoot()
        // The longer side at most 95 % of the image's shorter side (elongated objects would reach
        // far outside), and at least 1.6 px thick so that thin objects still cover pixels.
        let fit = min(1, 0.95 * shortSide / (side * max(root, 1 / root)))
        geometry = ShapeGeometry(shape: kind.shape, halfWidth: max(fit * side * root / 2, 0.8),
                                 halfHeight: max(fit * side / root / 2, 0.8))
        angle = rng.uniform(in: -config.maxRotation...config.maxRotation)
        cosAngle = DeterministicMath.cos(angle)
        sinAngle = DeterministicMath.sin(angle)

        let hue = rng.chance(config.colourInformativeness)
            ? kind.preferredHue + rng.uniform(in: -config.hueJitter...config.hueJitter) : rng.uniform()
        let value = rng.uniform(in: 0.35...0.95)
        colour = colourFromHSV(hue: hue, saturation: rng.uniform(in: 0.3...0.9), value: value)
        // The second colour is darker on bright objects and brighter on dark ones.
        let shift = rng.uniform(in: config.textureContrast) * (value > 0.6 ? -1 : 1)
        secondColour = (colour + Colour(repeating: shift)).clamped01
        let period = rng.uniform(in: config.texturePeriod)
        pattern = TexturePattern(texture: kind.texture, period: period, phaseU: rng.uniform() * period,
                                 phaseV: rng.uniform() * period, salt: rng.next())
        contrastKept = rng.chance(config.lowContrastFraction) ? rng.uniform(in: config.lowContrast) : 1
        // Soft edges on objects of normal contrast only, and no wider than the object is thin: a
        // blurred low-contrast or thin object is not ambiguous but invisible, i.e. label noise.
        let thickness = 2 * min(geometry.a, geometry.b)
        blurSigma = contrastKept == 1 && rng.chance(config.blurFraction)
            ? min(rng.uniform(in: config.blurSigma), 0.25 * side, 0.4 * thickness) : 0
        centerX = 0
        centerY = 0
    }

    /// Either overlapping a random earlier object (occlusion) or anywhere, keeping the centre far
    /// enough inside that at most about a third of the object can fall outside the image.
    mutating func place(after earlier: [PlannedObject], config: SyntheticSceneConfig, width: Float, height: Float,
                        rng: inout RNG) {
        let e = geometry.extent(centerX: 0, centerY: 0, cos: cosAngle, sin: sinAngle)
        let marginX = min(0.35 * (e.x2 - e.x1), width / 2), marginY = min(0.35 * (e.y2 - e.y1), height / 2)
        if !earlier.isEmpty, rng.chance(config.occlusionRate) {
            let other = earlier[rng.int(below: earlier.count)]
            let direction = rng.uniform() * 2 * Float.pi
            let reach = (other.geometry.a * other.geometry.b).squareRoot() + (geometry.a * geometry.b).squareRoot()
            let distance = reach * rng.uniform(in: 0.25...0.85)
            centerX = other.centerX + distance * DeterministicMath.cos(direction)
            centerY = other.centerY + distance * DeterministicMath.sin(direction)
        } else {
            centerX = rng.uniform(in: marginX...(width - marginX))
            centerY = rng.uniform(in: marginY...(height - marginY))
        }
        centerX = min(max(centerX, marginX), width - marginX)
        centerY = min(max(centerY, marginY), height - marginY)
    }
}

extension BackgroundPlan {
    init(config: SyntheticSceneConfig, rng: inout RNG) {
        let variation = config.backgroundVariation
        colourA = colourFromHSV(hue: rng.uniform(), saturation: rng.uniform(in: 0...0.45), value: rng.uniform(in: 0.3...0.8))
        let towardsB = Colour(rng.uniform(in: -1...1), rng.uniform(in: -1...1), rng.uniform(in: -1...1))
        colourB = (colourA + towardsB * (2 * variation)).clamped01
        let direction = rng.uniform() * 2 * Float.pi
        gradientX = DeterministicMath.cos(direction)
        gradientY = DeterministicMath.sin(direction)
        noiseCell = rng.uniform(in: 12...40)
        noiseAmplitude = variation * rng.uniform(in: 0.5...1)
        noiseSalt = rng.next()
        patch = rng.chance(config.backgroundPatchProbability)
            ? BackgroundPatch(base: colourA, width: Float(config.imageWidth), height: Float(config.imageHeight), rng: &rng)
            : nil
    }
}

extension BackgroundPatch {
    init(base: Colour, width: Float, height: Float, rng: inout RNG) {
        let direction = rng.uniform() * 2 * Float.pi
        normalX = DeterministicMath.cos(direction)
        normalY = DeterministicMath.sin(direction)
        let px = rng.uniform(in: 0.2...0.8) * width, py = rng.uniform(in: 0.2...0.8) * height
        offset = normalX * px + normalY * py
        colour = (base + Colour(rng.uniform(in: -0.15...0.15), rng.uniform(in: -0.15...0.15),
                                rng.uniform(in: -0.15...0.15))).clamped01
        secondColour = (colour + Colour(repeating: rng.uniform(in: 0.05...0.2) * (rng.chance(0.5) ? 1 : -1))).clamped01
        let period = rng.uniform(in: 4...10)
        pattern = TexturePattern(texture: SceneTexture(rawValue: rng.int(below: 4)) ?? .stripes, period: period,
                                 phaseU: 0, phaseV: 0, salt: rng.next())
        let angle = rng.uniform() * Float.pi
        cosAngle = DeterministicMath.cos(angle)
        sinAngle = DeterministicMath.sin(angle)
    }
}

extension ClutterItem {
    init(width: Float, height: Float, rng: inout RNG) {
        let cx = rng.uniform() * width, cy = rng.uniform() * height
        colour = colourFromHSV(hue: rng.uniform(), saturation: rng.uniform(in: 0...0.6), value: rng.uniform(in: 0.15...0.9))
        opacity = rng.uniform(in: 0.5...1)
        if rng.chance(0.6) {
            let halfLength = rng.uniform(in: 0.04...0.25) * min(width, height)
            let angle = rng.uniform() * Float.pi
            let dx = halfLength * DeterministicMath.cos(angle), dy = halfLength * DeterministicMath.sin(angle)
            (x1, y1, x2, y2) = (cx - dx, cy - dy, cx + dx, cy + dy)
            radius = rng.uniform(in: 0.35...1)
        } else {
            (x1, y1, x2, y2) = (cx, cy, cx, cy)
            radius = rng.uniform(in: 1...3.5)
        }
    }
}
