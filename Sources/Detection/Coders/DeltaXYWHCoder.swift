import Foundation

/// The R-CNN box parameterisation as mmdetection 2.x's `DeltaXYWHBBoxCoder` (`bbox2delta`,
/// `delta2bbox`), used by RetinaNet (means 0, stds 1) and ATSS (stds 0.1, 0.1, 0.2, 0.2):
///
///     dx = ((gx − px) / pw − mean₀) / std₀     dw = (log(gw / pw) − mean₂) / std₂
///     dy = ((gy − py) / ph − mean₁) / std₁     dh = (log(gh / ph) − mean₃) / std₃
///
/// with (px, py, pw, ph) the prior's centre and size, (gx, gy, gw, gh) the target's. Decoding
/// clamps dw, dh (after de-normalising) to ±|log(whRatioClip)| = ±4.135 for the default 16/1000,
/// so a box grows or shrinks at most 62.5× per side, and, with `clipBorder` and a `maxShape`,
/// clips the result to the image (x in [0, W], y in [0, H]). Deltas are rows of 4 floats
/// (dx, dy, dw, dh), the layout of an (n, 4) tensor.
public struct DeltaXYWHCoder: Sendable {
    public typealias Delta = (dx: Float, dy: Float, dw: Float, dh: Float)

    public let means: [Float]
    public let stds: [Float]
    /// Kept in double precision: mmdet evaluates `abs(log(wh_ratio_clip))` with numpy.
    public let whRatioClip: Double
    public let clipBorder: Bool

    public init(means: [Float] = [0, 0, 0, 0], stds: [Float] = [1, 1, 1, 1], whRatioClip: Double = 16.0 / 1000, clipBorder: Bool = true) {
        precondition(means.count == 4 && stds.count == 4, "DeltaXYWHCoder: means and stds need 4 values each")
        self.means = means; self.stds = stds; self.whRatioClip = whRatioClip; self.clipBorder = clipBorder
    }

    /// RetinaNet (mmdet v2 configs): means 0, stds 1.
    public static let retinaNet = DeltaXYWHCoder()
    /// ATSS: means 0, stds (0.1, 0.1, 0.2, 0.2).
    public static let atss = DeltaXYWHCoder(stds: [0.1, 0.1, 0.2, 0.2])

    /// The largest |dw|, |dh| decoding allows.
    public var maxRatio: Float { Float(Swift.abs(Foundation.log(whRatioClip))) }

    /// mmdet `bbox2delta` for one pair.
    public func encode(prior p: Box, gt g: Box) -> Delta {
        let px = (p.x1 + p.x2) * 0.5, py = (p.y1 + p.y2) * 0.5, pw = p.x2 - p.x1, ph = p.y2 - p.y1
        let gx = (g.x1 + g.x2) * 0.5, gy = (g.y1 + g.y2) * 0.5, gw = g.x2 - g.x1, gh = g.y2 - g.y1
        let dx = (gx - px) / pw, dy = (gy - py) / ph
        let dw = Foundation.log(gw / pw), dh = Foundation.log(gh / ph)
        return ((dx - means[0]) / stds[0], (dy - means[1]) / stds[1], (dw - means[2]) / stds[2], (dh - means[3]) / stds[3])
    }

    /// Aligned encoding: row i of the n × 4 result encodes gts[i] against priors[i].
    public func encode(priors: [Box], gts: [Box]) -> [Float] {
        precondition(priors.count == gts.count, "DeltaXYWHCoder.encode: \(priors.count) priors for \(gts.count) gts")
        var out = [Float](repeating: 0, count: priors.count * 4)
        for i in 0..<priors.count {
            let d = encode(prior: priors[i], gt: gts[i])
            out[4 * i] = d.dx; out[4 * i + 1] = d.dy; out[4 * i + 2] = d.dw; out[4 * i + 3] = d.dh
        }
        return out
    }

    /// mmdet `delta2bbox` for one prior.
    public func decode(prior p: Box, delta: Delta, maxShape: ImageSize? = nil) -> Box {
        decode(p, delta.dx, delta.dy, delta.dw, delta.dh, maxRatio: maxRatio, maxShape: maxShape)
    }

    /// Decodes row i of `deltas` (n × 4) against priors[i].
    public func decode(priors: [Box], deltas: [Float], maxShape: ImageSize? = nil) -> [Box] {
        precondition(deltas.count == priors.count * 4, "DeltaXYWHCoder.decode: \(deltas.count) deltas for \(priors.count) priors")
        let r = maxRatio
        return (0..<priors.count).map { i in
            decode(priors[i], deltas[4 * i], deltas[4 * i + 1], deltas[4 * i + 2], deltas[4 * i + 3], maxRatio: r, maxShape: maxShape)
        }
    }

    @inline(__always)
    private func decode(_ p: Box, _ dx0: Float, _ dy0: Float, _ dw0: Float, _ dh0: Float, maxRatio: Float, maxShape: ImageSize?) -> Box {
        let dx = dx0 * stds[0] + means[0], dy = dy0 * stds[1] + means[1]
        let dw = Swift.min(Swift.max(dw0 * stds[2] + means[2], -maxRatio), maxRatio)
        let dh = Swift.min(Swift.max(dh0 * stds[3] + means[3], -maxRatio), maxRatio)
        let px = (p.x1 + p.x2) * 0.5, py = (p.y1 + p.y2) * 0.5, pw = p.x2 - p.x1, ph = p.y2 - p.y1
        let gw = pw * Foundation.exp(dw), gh = ph * Foundation.exp(dh)
        let gx = px + pw * dx, gy = py + ph * dy
        let box = Box(x1: gx - gw * 0.5, y1: gy - gh * 0.5, x2: gx + gw * 0.5, y2: gy + gh * 0.5)
        if clipBorder, let shape = maxShape { return box.clipped(to: shape) }
        return box
    }
}
