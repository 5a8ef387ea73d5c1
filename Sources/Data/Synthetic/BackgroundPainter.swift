/// Draws a scene's background into channel-major RGB planes: a colour ramp, low-frequency
/// brightness noise, an optional textured half-plane, and clutter (thin lines, small blobs).
/// Loops call nothing from other files per pixel (see `TexturePattern` on why that matters).
struct BackgroundPainter {
    let width: Int, height: Int

    func paint(_ plan: BackgroundPlan, clutter: [ClutterItem], into pixels: inout [Float]) {
        paintRampAndNoise(plan, into: &pixels)
        if let patch = plan.patch { paint(patch, into: &pixels) }
        for item in clutter { paint(item, into: &pixels) }
    }

    private func paintRampAndNoise(_ plan: BackgroundPlan, into pixels: inout [Float]) {
        let n = width * height, w = width
        // Value noise with the lattice evaluated once per lattice point, and the smoothstep
        // interpolation weights once per column and per row.
        let inverseCell = 1 / plan.noiseCell
        let latticeWidth = Int(Float(width) * inverseCell) + 2, latticeHeight = Int(Float(height) * inverseCell) + 2
        var lattice = [Float](repeating: 0, count: latticeWidth * latticeHeight)
        for j in 0..<latticeHeight {
            for i in 0..<latticeWidth { lattice[j * latticeWidth + i] = ValueNoise.lattice(i, j, plan.noiseSalt) }
        }
        func cells(_ count: Int) -> (index: [Int], weight: [Float]) {
            var index = [Int](repeating: 0, count: count), weight = [Float](repeating: 0, count: count)
            for k in 0..<count {
                let position = (Float(k) + 0.5) * inverseCell
                index[k] = Int(position)
                let t = position - Float(index[k])
                weight[k] = t * t * (3 - 2 * t)
            }
            return (index, weight)
        }
        let columns = cells(width), rows = cells(height)
        let scale = 1 / Float(max(width, height))
        let amplitude = 2 * plan.noiseAmplitude
        let a = plan.colourA, delta = plan.colourB - plan.colourA
        var latticeRow = [Float](repeating: 0, count: latticeWidth), noise = [Float](repeating: 0, count: width)
        pixels.withUnsafeMutableBufferPointer { rgb in
            for y in 0..<height {
                // The two lattice rows around y interpolated once, then along x: two lookups a pixel.
                let row0 = rows.index[y] * latticeWidth, wy = rows.weight[y]
                for i in 0..<latticeWidth {
                    latticeRow[i] = lattice[row0 + i] + (lattice[row0 + latticeWidth + i] - lattice[row0 + i]) * wy
                }
                for x in 0..<w {
                    let i = columns.index[x]
                    noise[x] = (latticeRow[i] + (latticeRow[i + 1] - latticeRow[i]) * columns.weight[x] - 0.5) * amplitude
                }
                // The colour ramp, vectorisable.
                let fy = Float(y) + 0.5 - Float(height) / 2
                for x in 0..<w {
                    let fx = Float(x) + 0.5 - Float(width) / 2
                    let t = min(max(0.5 + (plan.gradientX * fx + plan.gradientY * fy) * scale, 0), 1)
                    let p = y * w + x
                    rgb[p] = a.x + delta.x * t + noise[x]
                    rgb[n + p] = a.y + delta.y * t + noise[x]
                    rgb[2 * n + p] = a.z + delta.z * t + noise[x]
                }
            }
        }
    }

    /// The half-plane's anti-aliased coverage, then its texture blended in where it covers, row
    /// by row over the covered span only (the texture is the expensive part).
    private func paint(_ patch: BackgroundPatch, into pixels: inout [Float]) {
        let n = width * height
        var coverage = [Float](repeating: 0, count: width)
        pixels.withUnsafeMutableBufferPointer { planes in
            guard let planeBase = planes.baseAddress else { return }
            for y in 0..<height {
                let fy = Float(y) + 0.5
                var first = width, last = -1
                for x in 0..<width {
                    let d = patch.normalX * (Float(x) + 0.5) + patch.normalY * fy - patch.offset
                    coverage[x] = min(max(d + 0.5, 0), 1)
                    if coverage[x] > 0 { first = min(first, x); last = x }
                }
                guard first <= last else { continue }
                coverage.withUnsafeBufferPointer { covered in
                    guard let coverageBase = covered.baseAddress else { return }
                    patch.pattern.paint(planeBase + y * width + first, planeStride: n, rowStride: width,
                                        coverage: coverageBase + first, left: first, top: y, width: last - first + 1,
                                        height: 1, centerX: 0, centerY: 0, cos: patch.cosAngle, sin: patch.sinAngle,
                                        first: patch.colour, second: patch.secondColour, mode: .blend)
                }
            }
        }
    }

    /// A capsule: distance to the segment minus the radius, anti-aliased like the objects.
    private func paint(_ item: ClutterItem, into pixels: inout [Float]) {
        let n = width * height, w = width
        let reach = item.radius + 1
        let xs = max(0, Int((min(item.x1, item.x2) - reach).rounded(.down)))
        let xe = min(width, Int((max(item.x1, item.x2) + reach).rounded(.up)))
        let ys = max(0, Int((min(item.y1, item.y2) - reach).rounded(.down)))
        let ye = min(height, Int((max(item.y1, item.y2) + reach).rounded(.up)))
        guard xs < xe, ys < ye else { return }
        let dx = item.x2 - item.x1, dy = item.y2 - item.y1
        let lengthSquared = dx * dx + dy * dy
        let inverseLengthSquared: Float = lengthSquared > 0 ? 1 / lengthSquared : 0
        pixels.withUnsafeMutableBufferPointer { rgb in
            for y in ys..<ye {
                let py = Float(y) + 0.5 - item.y1
                for x in xs..<xe {
                    let px = Float(x) + 0.5 - item.x1
                    let t = min(max((px * dx + py * dy) * inverseLengthSquared, 0), 1)
                    let ex = px - t * dx, ey = py - t * dy
                    let covered = min(max(0.5 - ((ex * ex + ey * ey).squareRoot() - item.radius), 0), 1) * item.opacity
                    guard covered > 0 else { continue }
                    let i = y * w + x
                    rgb[i] += (item.colour.x - rgb[i]) * covered
                    rgb[n + i] += (item.colour.y - rgb[n + i]) * covered
                    rgb[2 * n + i] += (item.colour.z - rgb[2 * n + i]) * covered
                }
            }
        }
    }
}
