import Detection
import Foundation

/// DeFeat's neck imitation (Guo et al. 2021, official code; methods.md B4). The LD repo's
/// "decouple" path compares student background vectors with teacher foreground ones (a bug),
/// so this follows DeFeat itself:
/// - each gt goes to one FPN level by the RoI level rule ⌊log2(√((w+1)(h+1)) / 56)⌋ (clamped);
/// - on that level the mask is 1 on the cells [⌊x1/s⌋, ⌊x2/s⌋) × [⌊y1/s⌋, ⌊y2/s⌋) (one cell for
///   a box thinner than a stride), 0 elsewhere and on the other levels;
/// - L = (1/L) Σ_l [λ_fg Σ M·d² / max(1, 2·ΣM) + λ_bg Σ (1−M)·d² / max(1, 2·Σ(1−M))], the sums
///   over channel-expanded masks; λ_fg = 3, λ_bg = 12 (the released VOC config).
/// `finestScale` is the rule's 56 px (mmdet's RoI extractor); at small input sizes nearly every
/// gt falls on P3 unless it is scaled with the images.
public struct DeFeatMask: Sendable, Equatable {
    public var foregroundWeight: Float
    public var backgroundWeight: Float
    public var finestScale: Float

    public init(foregroundWeight: Float = 3, backgroundWeight: Float = 12, finestScale: Float = 56) {
        self.foregroundWeight = foregroundWeight; self.backgroundWeight = backgroundWeight; self.finestScale = finestScale
    }

    /// The level a gt box is imitated on.
    public func level(of box: Box, levels: Int) -> Int {
        let scale = ((box.width + 1) * (box.height + 1)).squareRoot()
        let l = Int(Foundation.floor(Foundation.log2(scale / finestScale + 1e-6)))
        return Swift.min(Swift.max(l, 0), levels - 1)
    }

    /// Per level, B·H·W foreground masks.
    public func foregroundMasks(layout: PriorLayout, truth: [GroundTruth]) -> [[Float]] {
        let batch = truth.count
        var masks = layout.levels.map { [Float](repeating: 0, count: batch * $0.featureSize.height * $0.featureSize.width) }
        for (b, gt) in truth.enumerated() {
            for box in gt.boxes {
                let l = level(of: box, levels: layout.levels.count), lv = layout.levels[l]
                let h = lv.featureSize.height, w = lv.featureSize.width, s = Float(lv.stride)
                func cells(_ a: Float, _ z: Float, _ n: Int) -> Range<Int> {
                    let lo = Int(Foundation.floor(a / s)), hi = Swift.max(Int(Foundation.floor(z / s)), lo + 1)
                    return Swift.min(Swift.max(lo, 0), n)..<Swift.min(Swift.max(hi, 0), n)
                }
                for y in cells(box.y1, box.y2, h) { for x in cells(box.x1, box.x2, w) { masks[l][(b * h + y) * w + x] = 1 } }
            }
        }
        return masks
    }
}
