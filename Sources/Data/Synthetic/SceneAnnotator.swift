import Detection

/// Decides, from the top of the depth order down, how much of each object is visible, removes
/// labelled objects that are too hidden, and writes the annotations of the rest.
///
/// Visibility: an object's visible coverage at a pixel is its sharp coverage times the
/// transmittance of everything drawn over it, Π(1 − alpha), with blurred alphas for soft occluders.
/// `visibleFraction` is visible coverage inside the image over the shape's whole coverage.
///
/// Boxes: a side is the exact geometric extent of the shape (clipped to the image) unless
/// occlusion, the image border or a sub-pixel tip moved that side of the visible region; then it
/// is the edge of the outermost pixel that is at least half visible. Blurred objects are annotated
/// by their sharp shape: for a blurred straight edge the true edge is where the soft ramp crosses
/// half its height.
struct SceneAnnotator {
    let config: SyntheticSceneConfig

    /// One object's visibility, kept for tests when asked for.
    struct Record {
        var label: Int?
        var kept: Bool
        var x0: Int, y0: Int, width: Int, height: Int
        /// Visible coverage over the layer rectangle (0 outside the image).
        var visible: [Float]
        /// Visible coverage over the whole shape's coverage.
        var visibleFraction: Float
        /// Index into the annotations, for kept labelled objects.
        var annotationIndex: Int?
    }

    /// Returns which objects to draw, the annotations in depth order, and optional records.
    func annotate(_ objects: [PlannedObject], layers: [ObjectLayer], keepRecords: Bool)
        -> (kept: [Bool], annotations: [ObjectAnnotation], records: [Record]) {
        let width = config.imageWidth, height = config.imageHeight
        var transmittance = [Float](repeating: 1, count: width * height)
        var kept = [Bool](repeating: true, count: objects.count)
        var annotationsTopDown: [ObjectAnnotation] = []
        var records: [Record] = []

        for index in objects.indices.reversed() {
            let object = objects[index], layer = layers[index]
            let visibility = measure(layer, under: transmittance, mask: object.label != nil && config.variant == .masks,
                                     record: keepRecords)
            var annotationIndex: Int?
            if let label = object.label {
                if visibility.fraction < config.minVisibleFraction || visibility.seen.isEmpty {
                    kept[index] = false
                } else {
                    annotationIndex = annotationsTopDown.count
                    annotationsTopDown.append(annotation(object, label: label, visibility))
                }
            }
            if keepRecords {
                records.append(Record(label: object.label, kept: kept[index], x0: layer.x0, y0: layer.y0,
                                      width: layer.width, height: layer.height, visible: visibility.visible,
                                      visibleFraction: visibility.fraction, annotationIndex: annotationIndex))
            }
            if kept[index] { cover(&transmittance, with: layer) }
        }
        // Annotations and records bottom-up (drawing order) reads more naturally.
        let count = annotationsTopDown.count
        for i in records.indices { records[i].annotationIndex = records[i].annotationIndex.map { count - 1 - $0 } }
        return (kept, annotationsTopDown.reversed(), records.reversed())
    }

    private struct Visibility {
        var fraction: Float = 0
        /// Visible coverage summed: the object's visible area in pixels.
        var area: Float = 0
        /// Pixels at least half visible, and pixels at least half covered ignoring occlusion.
        var seen = PixelExtent(), unoccluded = PixelExtent()
        var mask: [UInt8] = []
        var visible: [Float] = []
    }

    private func measure(_ layer: ObjectLayer, under transmittance: [Float], mask wantsMask: Bool,
                         record: Bool) -> Visibility {
        let width = config.imageWidth, height = config.imageHeight
        var result = Visibility()
        if wantsMask { result.mask = [UInt8](repeating: 0, count: width * height) }
        if record { result.visible = [Float](repeating: 0, count: layer.width * layer.height) }
        var total: Float = 0
        for value in layer.sharp { total += value }
        let xs = max(layer.x0, 0), xe = min(layer.x0 + layer.width, width)
        let ys = max(layer.y0, 0), ye = min(layer.y0 + layer.height, height)
        guard xs < xe, ys < ye, total > 0 else { return result }
        for y in ys..<ye {
            for x in xs..<xe {
                let li = (y - layer.y0) * layer.width + (x - layer.x0)
                let s = layer.sharp[li]
                guard s > 0 else { continue }
                let v = s * transmittance[y * width + x]
                result.area += v
                if s >= 0.5 { result.unoccluded.add(x, y) }
                if v >= 0.5 {
                    result.seen.add(x, y)
                    if wantsMask { result.mask[y * width + x] = 1 }
                }
                if record { result.visible[li] = v }
            }
        }
        result.fraction = result.area / total
        return result
    }

    /// What lies below this layer now shows through only where it does not cover.
    private func cover(_ transmittance: inout [Float], with layer: ObjectLayer) {
        let width = config.imageWidth
        let xs = max(layer.x0, 0), xe = min(layer.x0 + layer.width, width)
        let ys = max(layer.y0, 0), ye = min(layer.y0 + layer.height, config.imageHeight)
        guard xs < xe, ys < ye else { return }
        for y in ys..<ye {
            for x in xs..<xe {
                transmittance[y * width + x] *= 1 - layer.alpha[(y - layer.y0) * layer.width + (x - layer.x0)]
            }
        }
    }

    private func annotation(_ object: PlannedObject, label: Int, _ visibility: Visibility) -> ObjectAnnotation {
        let width = Float(config.imageWidth), height = Float(config.imageHeight)
        let e = object.extent
        let full = Box(x1: max(e.x1, 0), y1: max(e.y1, 0), x2: min(e.x2, width), y2: min(e.y2, height))
        // A side keeps the exact geometry when neither occlusion nor the image border moved the
        // pixels there: the image can cut a turned shape so that its part inside ends well short
        // of the clipped geometric box, and a tip thinner than a pixel is never half covered.
        func side(_ seenEdge: Int, _ unoccludedEdge: Int, _ geometric: Float) -> Float {
            seenEdge == unoccludedEdge && abs(Float(seenEdge) - geometric) <= 1 ? geometric : Float(seenEdge)
        }
        let seen = visibility.seen, unoccluded = visibility.unoccluded
        let visible = Box(x1: side(seen.minX, unoccluded.minX, full.x1), y1: side(seen.minY, unoccluded.minY, full.y1),
                          x2: side(seen.maxX + 1, unoccluded.maxX + 1, full.x2),
                          y2: side(seen.maxY + 1, unoccluded.maxY + 1, full.y2))
        var result = ObjectAnnotation(box: visible, label: label, area: visibility.area,
                                      visibleFraction: visibility.fraction)
        switch config.variant {
        case .standard, .vocLike:
            break
        case .masks:
            result.mask = InstanceMask(width: config.imageWidth, height: config.imageHeight, values: visibility.mask)
        case .crowded:
            result.box = full
            result.visibleBox = visible
        case .oriented:
            // Every shape touches all four sides of its frame, so (2a, 2b) at the object's angle is
            // its tight oriented box. The axis-aligned box is that box's hull, as DOTA derives its
            // horizontal boxes from the oriented ones.
            let rotated = RotatedBox(centerX: object.centerX, centerY: object.centerY, width: 2 * object.geometry.a,
                                     height: 2 * object.geometry.b, angle: object.angle).normalized()
            let hull = rotated.enclosingBox
            result.rotatedBox = rotated
            result.box = Box(x1: max(hull.x1, 0), y1: max(hull.y1, 0), x2: min(hull.x2, width), y2: min(hull.y2, height))
        }
        let shortSide = min(width, height)
        if (config.difficultBelowVisibleFraction > 0 && visibility.fraction < config.difficultBelowVisibleFraction)
            || min(result.box.width, result.box.height) < config.difficultBelowSide * shortSide {
            result.isDifficult = true
        }
        return result
    }
}

/// Inclusive pixel bounds of a set of pixels.
struct PixelExtent {
    var minX = Int.max, minY = Int.max, maxX = Int.min, maxY = Int.min
    var isEmpty: Bool { minX > maxX }

    @inline(__always)
    mutating func add(_ x: Int, _ y: Int) {
        minX = min(minX, x); maxX = max(maxX, x)
        minY = min(minY, y); maxY = max(maxY, y)
    }
}
