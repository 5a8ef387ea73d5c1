/// A procedural surface pattern: a value in [0, 1] at each point of an object's frame that mixes
/// its two colours. Edges inside the pattern are anti-aliased over about one pixel, like outlines.
///
/// The per-pixel loop is in this file, specialised per texture: debug builds compile the module
/// file by file and only inline within a file, and a switch per pixel keeps the loop from being
/// vectorised. As calls and branches the patterns cost a third of the generation time.
struct TexturePattern {
    let texture: SceneTexture
    /// Pixels per repeat.
    let period: Float
    /// Offsets of the pattern in the object frame, so that patterns do not all start at the centre.
    let phaseU: Float, phaseV: Float
    /// Keys the hash lattice of the `.noise` texture.
    let salt: UInt64

    /// How `paint` combines the pattern's colour with the target.
    enum PaintMode {
        /// target = colour × coverage (an object layer's premultiplied colour).
        case premultiply
        /// target += (colour − target) × coverage (drawing over the background).
        case blend
    }

    /// Evaluates the pattern at the centres of a rectangle of pixels and writes its colours into
    /// three planes. `planes` and `coverage` address the rectangle's top-left pixel, rows
    /// `rowStride` apart, planes `planeStride` apart; `left`/`top` are its image coordinates.
    /// The frame is centred at (centerX, centerY) with its u axis along (cos, sin).
    func paint(_ planes: UnsafeMutablePointer<Float>, planeStride: Int, rowStride: Int,
               coverage: UnsafePointer<Float>, left: Int, top: Int, width: Int, height: Int,
               centerX: Float, centerY: Float, cos c: Float, sin s: Float,
               first: Colour, second: Colour, mode: PaintMode) {
        let target = PaintTarget(planes: planes, planeStride: planeStride, rowStride: rowStride, coverage: coverage,
                                 left: left, top: top, width: width, height: height, centerX: centerX,
                                 centerY: centerY, cos: c, sin: s, first: first, second: second)
        let inverse = 1 / period
        switch (texture, mode) {
        case (.stripes, .premultiply): target.paint(Stripes(inverse: inverse, period: period, phase: phaseU), blend: false)
        case (.stripes, .blend): target.paint(Stripes(inverse: inverse, period: period, phase: phaseU), blend: true)
        case (.dots, .premultiply): target.paint(Dots(inverse: inverse, period: period, phaseU: phaseU, phaseV: phaseV), blend: false)
        case (.dots, .blend): target.paint(Dots(inverse: inverse, period: period, phaseU: phaseU, phaseV: phaseV), blend: true)
        case (.checks, .premultiply): target.paint(Checks(inverse: inverse, period: period, phaseU: phaseU, phaseV: phaseV), blend: false)
        case (.checks, .blend): target.paint(Checks(inverse: inverse, period: period, phaseU: phaseU, phaseV: phaseV), blend: true)
        case (.noise, _):
            // The lattice values the rectangle can reach, hashed once instead of four times a pixel.
            let table = LatticeTable(target, inverse: inverse, phaseU: phaseU, phaseV: phaseV, salt: salt)
            table.values.withUnsafeBufferPointer { values in
                guard let base = values.baseAddress else { return }
                target.paint(Blotches(inverse: inverse, phaseU: phaseU, phaseV: phaseV, table: table, values: base),
                             blend: mode == .blend)
            }
        }
    }
}

private protocol PatternFunction {
    func value(_ u: Float, _ v: Float) -> Float
}

/// Bands across u.
private struct Stripes: PatternFunction {
    let inverse: Float, period: Float, phase: Float
    @inline(__always) func value(_ u: Float, _ v: Float) -> Float { squareWave((u + phase) * inverse, period) }
}

/// Discs of radius 0.3 period on a square lattice.
private struct Dots: PatternFunction {
    let inverse: Float, period: Float, phaseU: Float, phaseV: Float
    @inline(__always) func value(_ u: Float, _ v: Float) -> Float {
        let fu = fraction((u + phaseU) * inverse) - 0.5, fv = fraction((v + phaseV) * inverse) - 0.5
        return clamp01(0.3 * period - (fu * fu + fv * fv).squareRoot() * period + 0.5)
    }
}

/// A checkerboard: the soft exclusive-or of bands across u and across v.
private struct Checks: PatternFunction {
    let inverse: Float, period: Float, phaseU: Float, phaseV: Float
    @inline(__always) func value(_ u: Float, _ v: Float) -> Float {
        let p = squareWave((u + phaseU) * inverse, period), q = squareWave((v + phaseV) * inverse, period)
        return p + q - 2 * p * q
    }
}

/// `ValueNoise.lattice` over the lattice points a paint rectangle reaches: columns i0..<i0+columns
/// and rows j0..<j0+rows, row-major.
private struct LatticeTable {
    let i0: Int, j0: Int, columns: Int
    let values: [Float]

    init(_ target: PaintTarget, inverse: Float, phaseU: Float, phaseV: Float, salt: UInt64) {
        // Lattice coordinates of the rectangle's corners in the pattern frame bound every pixel's.
        var lowU = Float.infinity, highU = -Float.infinity, lowV = Float.infinity, highV = -Float.infinity
        for (x, y) in [(0, 0), (target.width, 0), (0, target.height), (target.width, target.height)] {
            let px = Float(target.left + x) - target.centerX, py = Float(target.top + y) - target.centerY
            let u = (target.cos * px + target.sin * py + phaseU) * inverse
            let v = (target.cos * py - target.sin * px + phaseV) * inverse
            (lowU, highU, lowV, highV) = (min(lowU, u), max(highU, u), min(lowV, v), max(highV, v))
        }
        i0 = Int(lowU.rounded(.down)) - 1
        j0 = Int(lowV.rounded(.down)) - 1
        let columns = Int(highU.rounded(.down)) + 3 - i0, rows = Int(highV.rounded(.down)) + 3 - j0
        var values = [Float](repeating: 0, count: columns * rows)
        for j in 0..<rows {
            for i in 0..<columns { values[j * columns + i] = ValueNoise.lattice(i0 + i, j0 + j, salt) }
        }
        self.columns = columns
        self.values = values
    }
}

/// Value noise at the period, thresholded steeply into blotches.
private struct Blotches: PatternFunction {
    let inverse: Float, phaseU: Float, phaseV: Float
    let table: LatticeTable
    /// `table.values`, pinned by the caller for the duration of the paint.
    let values: UnsafePointer<Float>

    @inline(__always) func value(_ u: Float, _ v: Float) -> Float {
        let x = (u + phaseU) * inverse, y = (v + phaseV) * inverse
        var ix = Int(x), iy = Int(y)
        if Float(ix) > x { ix -= 1 }
        if Float(iy) > y { iy -= 1 }
        // Smoothstep weights hide the lattice's grid lines.
        var tx = x - Float(ix), ty = y - Float(iy)
        tx = tx * tx * (3 - 2 * tx)
        ty = ty * ty * (3 - 2 * ty)
        let columns = table.columns
        let p = values + ((iy - table.j0) * columns + (ix - table.i0))
        let top = p[0] + (p[1] - p[0]) * tx, bottom = p[columns] + (p[columns + 1] - p[columns]) * tx
        return clamp01((top + (bottom - top) * ty - 0.5) * 4 + 0.5)
    }
}

/// The rectangle `TexturePattern.paint` writes, with its loop generic over the pattern so that
/// each pattern gets its own branch-free loop.
private struct PaintTarget {
    let planes: UnsafeMutablePointer<Float>, planeStride: Int, rowStride: Int
    let coverage: UnsafePointer<Float>
    let left: Int, top: Int, width: Int, height: Int
    let centerX: Float, centerY: Float, cos: Float, sin: Float
    let first: Colour, second: Colour

    @inline(__always)
    func paint<P: PatternFunction>(_ pattern: P, blend: Bool) {
        let r0 = first.x, g0 = first.y, b0 = first.z
        let dr = second.x - r0, dg = second.y - g0, db = second.z - b0
        let red = planes, green = planes + planeStride, blue = planes + 2 * planeStride
        for y in 0..<height {
            let py = Float(top + y) + 0.5 - centerY
            let row = y * rowStride
            // Pixels without coverage are evaluated too: a branch per pixel costs more than the pattern.
            for x in 0..<width {
                let i = row + x
                let px = Float(left + x) + 0.5 - centerX
                let t = pattern.value(cos * px + sin * py, cos * py - sin * px)
                let covered = coverage[i]
                if blend {
                    red[i] += (r0 + dr * t - red[i]) * covered
                    green[i] += (g0 + dg * t - green[i]) * covered
                    blue[i] += (b0 + db * t - blue[i]) * covered
                } else {
                    red[i] = (r0 + dr * t) * covered
                    green[i] = (g0 + dg * t) * covered
                    blue[i] = (b0 + db * t) * covered
                }
            }
        }
    }
}

@inline(__always)
private func clamp01(_ x: Float) -> Float { min(max(x, 0), 1) }

/// x − ⌊x⌋ without a libm call (`rounded(.down)` is one on baseline x86-64).
@inline(__always)
private func fraction(_ x: Float) -> Float {
    let whole = Float(Int32(x))
    return x - (whole > x ? whole - 1 : whole)
}

/// 0/1 bands of half a period each (x in periods), with a one-pixel ramp between them.
@inline(__always)
private func squareWave(_ x: Float, _ period: Float) -> Float {
    let triangle = abs(2 * fraction(x) - 1)      // 1 at band centres of one colour, 0 of the other
    return clamp01((triangle - 0.5) * period * 0.5 + 0.5)
}

/// Value noise: hash values on the integer lattice, interpolated with smoothstep weights by its
/// users (`Blotches`, the background). The hash is keyed by a salt drawn from the image's RNG, so
/// it is as reproducible as the RNG.
enum ValueNoise {
    /// A value in [0, 1) for a lattice point (SplitMix64's finaliser over the packed coordinates).
    @inline(__always)
    static func lattice(_ x: Int, _ y: Int, _ salt: UInt64) -> Float {
        var z = salt &+ UInt64(bitPattern: Int64(x)) &* 0x9E37_79B9_7F4A_7C15
            &+ UInt64(bitPattern: Int64(y)) &* 0xC2B2_AE3D_27D4_EB4F
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Float(z >> 40) * (1.0 / 16_777_216.0)
    }
}
