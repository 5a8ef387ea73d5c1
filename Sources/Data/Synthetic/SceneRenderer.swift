import Tensor

/// One generated image with its annotations (and, for tests, each object's visibility record).
struct RenderedScene {
    var pixels: [Float]
    var objects: [ObjectAnnotation]
    var records: [SceneAnnotator.Record]
}

/// Turns a plan into pixels: background, then objects as layers composited bottom-up with their
/// (possibly blurred) coverage as alpha, then photometric jitter and pixel noise.
struct SceneRenderer {
    let config: SyntheticSceneConfig

    func render(_ plan: ScenePlan, rng: inout RNG, keepRecords: Bool = false) -> RenderedScene {
        let width = config.imageWidth, height = config.imageHeight, n = width * height
        var pixels = [Float](repeating: 0, count: 3 * n)
        BackgroundPainter(width: width, height: height).paint(plan.background, clutter: plan.clutter, into: &pixels)

        let layers = plan.objects.map { object -> ObjectLayer in
            // Low-contrast objects blend towards what is behind their centre.
            let x = min(max(Int(object.centerX), 0), width - 1), y = min(max(Int(object.centerY), 0), height - 1)
            let behind = Colour(pixels[y * width + x], pixels[n + y * width + x], pixels[2 * n + y * width + x])
            return ObjectLayer(object, background: behind)
        }
        let (kept, annotations, records) = SceneAnnotator(config: config)
            .annotate(plan.objects, layers: layers, keepRecords: keepRecords)
        for (layer, isKept) in zip(layers, kept) where isKept {
            composite(layer, into: &pixels)
        }
        finish(&pixels, plan: plan, rng: &rng)
        return RenderedScene(pixels: pixels, objects: annotations, records: records)
    }

    /// pixel ← pixel · (1 − alpha) + premultiplied colour, inside the image.
    private func composite(_ layer: ObjectLayer, into pixels: inout [Float]) {
        let width = config.imageWidth, height = config.imageHeight, n = width * height
        let xs = max(layer.x0, 0), xe = min(layer.x0 + layer.width, width)
        let ys = max(layer.y0, 0), ye = min(layer.y0 + layer.height, height)
        guard xs < xe, ys < ye else { return }
        let ln = layer.width * layer.height
        pixels.withUnsafeMutableBufferPointer { rgb in
            for y in ys..<ye {
                for x in xs..<xe {
                    let li = (y - layer.y0) * layer.width + (x - layer.x0)
                    let a = layer.alpha[li]
                    let i = y * width + x
                    rgb[i] = rgb[i] * (1 - a) + layer.colour[li]
                    rgb[n + i] = rgb[n + i] * (1 - a) + layer.colour[ln + li]
                    rgb[2 * n + i] = rgb[2 * n + i] * (1 - a) + layer.colour[2 * ln + li]
                }
            }
        }
    }

    /// Contrast and brightness jitter, then noise, then clamping to [0, 1]. The noise is
    /// triangular (a sum of two random bytes), one `RNG` draw per four values: a Gaussian per
    /// value would cost more than the whole rest of the image.
    private func finish(_ pixels: inout [Float], plan: ScenePlan, rng: inout RNG) {
        let count = pixels.count
        let contrast = plan.contrast, offset = 0.5 - 0.5 * plan.contrast + plan.brightness
        // Two uniform bytes summed have standard deviation 255·√(1/6); scale that to noiseStd.
        let noiseScale = plan.noiseStd / (255 * (1.0 / 6.0 as Float).squareRoot())
        var noise = [Float](repeating: 0, count: count)
        if noiseScale > 0 {
            noise.withUnsafeMutableBufferPointer { out in
                var i = 0
                while i < count {
                    var bits = rng.next()
                    for _ in 0..<4 where i < count {
                        out[i] = (Float(bits & 0xFF) + Float((bits >> 8) & 0xFF) - 255) * noiseScale
                        bits >>= 16
                        i += 1
                    }
                }
            }
        }
        pixels.withUnsafeMutableBufferPointer { values in
            noise.withUnsafeBufferPointer { noise in
                for i in 0..<count { values[i] = min(max(values[i] * contrast + offset + noise[i], 0), 1) }
            }
        }
    }
}
