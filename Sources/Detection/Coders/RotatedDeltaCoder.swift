import Foundation

/// mmrotate's `DeltaXYWHAOBBoxCoder` with `angle_range='le90'`, `edge_swap=True`,
/// `proj_xy=True`, means 0, stds 1 (Rotated RetinaNet and GWD on DOTA, le90 configs):
///
///     dx = ( cos pa·Δx + sin pa·Δy) / pw      dw = log(gw′ / pw)
///     dy = (−sin pa·Δx + cos pa·Δy) / ph      dh = log(gh′ / ph)
///     da = the smaller of norm(ga − pa) and norm(ga − pa + π/2); with the second, (gw′, gh′) =
///          (gh, gw), so a box is reached by the shorter turn with its sides named accordingly.
///
/// norm is le90's (a + π/2) mod π − π/2, into [−π/2, π/2). Decoding clamps dw, dh to
/// ±|log(16/1000)|, projects (dx, dy) back along the prior's axes, normalises the angle and
/// swaps sides so that width ≥ height (turning the angle by π/2), as the coder does with
/// `edge_swap`. With `maxShape` the centre is clamped to [0, W − 1] × [0, H − 1] (test time).
public struct RotatedDeltaCoder: Sendable {
    public typealias Delta = (dx: Float, dy: Float, dw: Float, dh: Float, da: Float)

    public static let le90 = RotatedDeltaCoder()
    /// mmdet's `wh_ratio_clip` 16/1000, as the axis-aligned coder's.
    public var maxRatio = DeltaXYWHCoder.retinaNet.maxRatio

    public init() {}

    public func encode(prior p: RotatedBox, gt g: RotatedBox) -> Delta {
        let c = Foundation.cos(p.angle), s = Foundation.sin(p.angle)
        let ex = g.centerX - p.centerX, ey = g.centerY - p.centerY
        let dx = (c * ex + s * ey) / p.width, dy = (-s * ex + c * ey) / p.height
        let turn1 = RotatedBox.normalizedAngle(g.angle - p.angle), turn2 = RotatedBox.normalizedAngle(g.angle - p.angle + .pi / 2)
        let (w, h, da) = Swift.abs(turn1) < Swift.abs(turn2) ? (g.width, g.height, turn1) : (g.height, g.width, turn2)
        return (dx, dy, Foundation.log(w / p.width), Foundation.log(h / p.height), da)
    }

    /// Row i of the n × 5 result encodes gts[i] against priors[i].
    public func encode(priors: [RotatedBox], gts: [RotatedBox]) -> [Float] {
        precondition(priors.count == gts.count, "RotatedDeltaCoder.encode: \(priors.count) priors for \(gts.count) gts")
        return zip(priors, gts).flatMap { p, g -> [Float] in
            let d = encode(prior: p, gt: g)
            return [d.dx, d.dy, d.dw, d.dh, d.da]
        }
    }

    public func decode(prior p: RotatedBox, delta d: Delta, maxShape: ImageSize? = nil) -> RotatedBox {
        let dw = Swift.min(Swift.max(d.dw, -maxRatio), maxRatio), dh = Swift.min(Swift.max(d.dh, -maxRatio), maxRatio)
        let c = Foundation.cos(p.angle), s = Foundation.sin(p.angle)
        var x = p.centerX + d.dx * p.width * c - d.dy * p.height * s
        var y = p.centerY + d.dx * p.width * s + d.dy * p.height * c
        if let maxShape {
            x = Swift.min(Swift.max(x, 0), Float(maxShape.width) - 1)
            y = Swift.min(Swift.max(y, 0), Float(maxShape.height) - 1)
        }
        let w = p.width * Foundation.exp(dw), h = p.height * Foundation.exp(dh)
        let angle = RotatedBox.normalizedAngle(p.angle + d.da)
        // Edge swap: the longer side is the width (ties swap, as `torch.where(w > h, …)`).
        return w > h ? RotatedBox(centerX: x, centerY: y, width: w, height: h, angle: angle)
            : RotatedBox(centerX: x, centerY: y, width: h, height: w, angle: RotatedBox.normalizedAngle(angle + .pi / 2))
    }
}
