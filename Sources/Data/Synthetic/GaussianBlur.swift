import Detection

/// Separable Gaussian blur of planes with zero outside, truncated at 3σ. The caller leaves a
/// margin of `radius(sigma)` pixels so that nothing is cut off at the plane's edge.
enum GaussianBlur {
    static func radius(sigma: Float) -> Int { Int((3 * sigma).rounded(.up)) }

    /// Normalised weights for offsets −radius...radius.
    static func kernel(sigma: Float) -> [Float] {
        let r = radius(sigma: sigma)
        var weights = (-r...r).map { DeterministicMath.exp(-Float($0 * $0) / (2 * sigma * sigma)) }
        let total = weights.reduce(0, +)
        for i in weights.indices { weights[i] /= total }
        return weights
    }

    /// Blurs `planes` consecutive width×height planes of `values` in place. Rows outside
    /// `nonzeroRows` must be zero; the horizontal pass skips them.
    static func blur(_ values: inout [Float], planes: Int, width: Int, height: Int, sigma: Float,
                     nonzeroRows: Range<Int>? = nil) {
        let rows = nonzeroRows ?? 0..<height
        var weights = kernel(sigma: sigma)
        let r = weights.count / 2
        // Padded to a multiple of 4 taps with zero weights, for the unrolled loops below.
        while weights.count % 4 != 0 { weights.append(0) }
        let planeSize = width * height
        // Rows are padded by the kernel on both sides so that every tap reads inside the buffer.
        let paddedWidth = width + 2 * r + 4
        let padded = UnsafeMutablePointer<Float>.allocate(capacity: paddedWidth)
        let columns = UnsafeMutablePointer<Float>.allocate(capacity: (height + 2 * r + 4) * width)
        defer { padded.deallocate(); columns.deallocate() }
        padded.initialize(repeating: 0, count: paddedWidth)
        columns.initialize(repeating: 0, count: (height + 2 * r + 4) * width)
        values.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            for plane in 0..<planes {
                let p = base + plane * planeSize
                // Horizontal pass into the middle rows of `columns` (r zero rows above and below).
                for y in 0..<height {
                    guard rows.contains(y) else {
                        (columns + (y + r) * width).update(repeating: 0, count: width)
                        continue
                    }
                    let line = p + y * width
                    (padded + r).update(from: line, count: width)
                    let out = columns + (y + r) * width
                    out.update(repeating: 0, count: width)
                    // Four taps per sweep: a quarter of the loads and stores of the output.
                    var k = 0
                    while k < weights.count {
                        let w0 = weights[k], w1 = weights[k + 1], w2 = weights[k + 2], w3 = weights[k + 3]
                        let s = padded + k
                        for x in 0..<width { out[x] += w0 * s[x] + w1 * s[x + 1] + w2 * s[x + 2] + w3 * s[x + 3] }
                        k += 4
                    }
                }
                // Vertical pass back into the plane, a whole row of outputs per four taps.
                for y in 0..<height {
                    let out = p + y * width
                    out.update(repeating: 0, count: width)
                    var k = 0
                    while k < weights.count {
                        let w0 = weights[k], w1 = weights[k + 1], w2 = weights[k + 2], w3 = weights[k + 3]
                        let s0 = columns + (y + k) * width, s1 = s0 + width, s2 = s1 + width, s3 = s2 + width
                        for x in 0..<width { out[x] += w0 * s0[x] + w1 * s1[x] + w2 * s2[x] + w3 * s3[x] }
                        k += 4
                    }
                }
            }
        }
    }
}
