/// One object drawn on its own: coverage and premultiplied colour over a rectangle of image
/// pixels that holds the whole shape, its anti-aliasing and its blur. The rectangle may reach
/// outside the image, so that the share of the object cut off by the border can be measured.
struct ObjectLayer {
    /// Image coordinates of the layer's top-left pixel, and its size.
    let x0: Int, y0: Int, width: Int, height: Int
    /// Anti-aliased coverage of the sharp shape: what annotations are measured on.
    let sharp: [Float]
    /// Coverage as composited: `sharp`, blurred when the object has a soft edge.
    let alpha: [Float]
    /// Colour premultiplied by `alpha`, three planes.
    let colour: [Float]

    /// `background` is the image's colour behind the object's centre, which low-contrast objects blend towards.
    init(_ object: PlannedObject, background: Colour) {
        let e = object.extent
        let margin = 1 + (object.blurSigma > 0 ? GaussianBlur.radius(sigma: object.blurSigma) : 0)
        let left = Int(e.x1.rounded(.down)) - margin, top = Int(e.y1.rounded(.down)) - margin
        let w = Int(e.x2.rounded(.up)) + margin - left, h = Int(e.y2.rounded(.up)) + margin - top
        // Shape and texture are evaluated only on the inner rectangle the shape can cover; the blur
        // margin around it stays zero until the blur spreads the shape into it.
        let inner = margin - 1, innerW = w - 2 * inner, innerH = h - 2 * inner
        let innerCoverage = object.geometry.coverage(left: left + inner, top: top + inner, width: innerW, height: innerH,
                                                     centerX: object.centerX, centerY: object.centerY,
                                                     cos: object.cosAngle, sin: object.sinAngle)
        var sharp = [Float](repeating: 0, count: w * h)
        for y in 0..<innerH {
            sharp.replaceSubrange(((y + inner) * w + inner)..<((y + inner) * w + inner + innerW),
                                  with: innerCoverage[(y * innerW)..<((y + 1) * innerW)])
        }
        var colour = [Float](repeating: 0, count: 3 * w * h)
        let keep = object.contrastKept
        sharp.withUnsafeBufferPointer { coverage in
            colour.withUnsafeMutableBufferPointer { planes in
                guard let coverageBase = coverage.baseAddress, let planeBase = planes.baseAddress else { return }
                let offset = inner * w + inner
                object.pattern.paint(planeBase + offset, planeStride: w * h, rowStride: w, coverage: coverageBase + offset,
                                     left: left + inner, top: top + inner, width: innerW, height: innerH,
                                     centerX: object.centerX, centerY: object.centerY,
                                     cos: object.cosAngle, sin: object.sinAngle,
                                     first: background + (object.colour - background) * keep,
                                     second: background + (object.secondColour - background) * keep,
                                     mode: .premultiply)
            }
        }
        var alpha = sharp
        if object.blurSigma > 0 {
            let rows = inner..<(h - inner)
            GaussianBlur.blur(&alpha, planes: 1, width: w, height: h, sigma: object.blurSigma, nonzeroRows: rows)
            GaussianBlur.blur(&colour, planes: 3, width: w, height: h, sigma: object.blurSigma, nonzeroRows: rows)
        }
        (x0, y0, width, height) = (left, top, w, h)
        self.sharp = sharp
        self.alpha = alpha
        self.colour = colour
    }
}
