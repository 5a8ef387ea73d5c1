import Foundation

/// Multi-level anchors exactly as mmdetection 2.x's `AnchorGenerator` (`mmdet/core/anchor/
/// anchor_generator.py`), with its v2 conventions:
/// - base anchors of a level are centred at `centerOffset · baseSize` (0 by default, so the
///   anchors of location (x, y) are centred on the pixel corner (x·s, y·s), not (x + 0.5)·s);
/// - size: w = baseSize · (1/√ratio) · scale, h = baseSize · √ratio · scale, ratio = h / w;
/// - order of the A base anchors: ratio outer, scale inner (`scale_major = true`);
/// - scales from the octave: `octaveBaseScale · 2^(i / scalesPerOctave)`, i = 0..<scalesPerOctave;
/// - no "+1" and no rounding (that was the v1 `LegacyAnchorGenerator`).
/// The arithmetic is done in Float in mmdet's order, so the anchors match PyTorch's float32 bits.
public struct AnchorGenerator: Sendable {
    public let strides: [Int]
    /// Aspect ratios h / w.
    public let ratios: [Float]
    public let scales: [Float]
    /// Base size per level (the stride unless given).
    public let baseSizes: [Int]
    public let scaleMajor: Bool
    public let centerOffset: Float
    /// The A anchors of one location at (0, 0), per level.
    public let baseAnchors: [[Box]]

    /// Anchors with explicit scales (mmdet `scales=`).
    public init(strides: [Int], ratios: [Float], scales: [Float], baseSizes: [Int]? = nil,
                scaleMajor: Bool = true, centerOffset: Float = 0) {
        precondition(!strides.isEmpty && !ratios.isEmpty && !scales.isEmpty, "AnchorGenerator: empty strides, ratios or scales")
        precondition((0...1).contains(centerOffset), "AnchorGenerator: centerOffset \(centerOffset) outside [0, 1]")
        self.strides = strides; self.ratios = ratios; self.scales = scales
        self.baseSizes = baseSizes ?? strides
        precondition(self.baseSizes.count == strides.count, "AnchorGenerator: \(self.baseSizes.count) base sizes for \(strides.count) strides")
        self.scaleMajor = scaleMajor; self.centerOffset = centerOffset
        baseAnchors = self.baseSizes.map { Self.baseAnchors(baseSize: $0, ratios: ratios, scales: scales, scaleMajor: scaleMajor, centerOffset: centerOffset) }
    }

    /// Anchors with octave scales (mmdet `octave_base_scale`, `scales_per_octave`).
    public init(strides: [Int], ratios: [Float], octaveBaseScale: Float, scalesPerOctave: Int,
                baseSizes: [Int]? = nil, scaleMajor: Bool = true, centerOffset: Float = 0) {
        precondition(scalesPerOctave >= 1, "AnchorGenerator: scalesPerOctave \(scalesPerOctave) < 1")
        // numpy computes the octave factors in double precision; torch then stores them as float32.
        let scales = (0..<scalesPerOctave).map { Float(pow(2.0, Double($0) / Double(scalesPerOctave)) * Double(octaveBaseScale)) }
        self.init(strides: strides, ratios: ratios, scales: scales, baseSizes: baseSizes, scaleMajor: scaleMajor, centerOffset: centerOffset)
    }

    /// RetinaNet (mmdet `retinanet_r50_fpn`): octave base scale 4, 3 scales per octave, ratios
    /// 0.5, 1, 2, strides 8–128: A = 9 anchors of sizes 4s·2^(k/3) per location.
    public static func retinaNet(strides: [Int] = [8, 16, 32, 64, 128]) -> AnchorGenerator {
        AnchorGenerator(strides: strides, ratios: [0.5, 1.0, 2.0], octaveBaseScale: 4, scalesPerOctave: 3)
    }

    /// ATSS and GFL (mmdet `atss_r50_fpn`, `gfl_r50_fpn`): one square anchor of side
    /// `octaveBaseScale · s` per location (8 in the papers' configs).
    public static func atss(strides: [Int] = [8, 16, 32, 64, 128], octaveBaseScale: Float = 8) -> AnchorGenerator {
        AnchorGenerator(strides: strides, ratios: [1.0], octaveBaseScale: octaveBaseScale, scalesPerOctave: 1)
    }

    /// A: anchors per location (ratios × scales), the same on every level.
    public var numBaseAnchors: Int { ratios.count * scales.count }

    public var numLevels: Int { strides.count }

    /// mmdet `gen_single_level_base_anchors`: [cx − w/2, cy − h/2, cx + w/2, cy + h/2] with
    /// h_ratio = √ratio, w_ratio = 1 / h_ratio, ws = baseSize · w_ratio · scale (left to right).
    static func baseAnchors(baseSize: Int, ratios: [Float], scales: [Float], scaleMajor: Bool, centerOffset: Float) -> [Box] {
        let size = Float(baseSize)
        let cx = centerOffset * size, cy = centerOffset * size
        func anchor(ratio: Float, scale: Float) -> Box {
            let hRatio = ratio.squareRoot(), wRatio = 1 / hRatio
            let ws = scaleMajor ? size * wRatio * scale : size * scale * wRatio
            let hs = scaleMajor ? size * hRatio * scale : size * scale * hRatio
            return Box(x1: cx - 0.5 * ws, y1: cy - 0.5 * hs, x2: cx + 0.5 * ws, y2: cy + 0.5 * hs)
        }
        // scale_major: ratio outer, scale inner; otherwise scale outer, ratio inner.
        return scaleMajor ? ratios.flatMap { r in scales.map { anchor(ratio: r, scale: $0) } }
                          : scales.flatMap { s in ratios.map { anchor(ratio: $0, scale: s) } }
    }

    /// The layout of the priors for these feature sizes (one per level, finest first).
    public func layout(featureSizes: [FeatureSize]) -> PriorLayout {
        PriorLayout(featureSizes: featureSizes, strides: strides, priorsPerLocation: numBaseAnchors)
    }

    /// mmdet `single_level_grid_priors`: base anchors shifted by (x·s, y·s) for every location,
    /// locations row-major, the A anchors of a location consecutive.
    public func singleLevelGridPriors(_ size: FeatureSize, level: Int) -> [Box] {
        let base = baseAnchors[level], stride = strides[level]
        var out: [Box] = []
        out.reserveCapacity(size.height * size.width * base.count)
        for y in 0..<size.height {
            let sy = Float(y * stride)
            for x in 0..<size.width {
                let sx = Float(x * stride)
                for b in base { out.append(Box(x1: b.x1 + sx, y1: b.y1 + sy, x2: b.x2 + sx, y2: b.y2 + sy)) }
            }
        }
        return out
    }

    /// mmdet `grid_priors` concatenated over levels.
    public func gridPriors(featureSizes: [FeatureSize]) -> Anchors {
        precondition(featureSizes.count == numLevels, "AnchorGenerator: \(featureSizes.count) feature sizes for \(numLevels) levels")
        var boxes: [Box] = []
        for (l, size) in featureSizes.enumerated() { boxes += singleLevelGridPriors(size, level: l) }
        return Anchors(boxes: boxes, layout: layout(featureSizes: featureSizes))
    }
}

/// Anchors of all levels, flat in `PriorLayout` order.
public struct Anchors: Equatable, Sendable {
    public let boxes: [Box]
    public let layout: PriorLayout

    public init(boxes: [Box], layout: PriorLayout) {
        precondition(boxes.count == layout.count, "Anchors: \(boxes.count) boxes for a layout of \(layout.count)")
        self.boxes = boxes; self.layout = layout
    }

    public var count: Int { boxes.count }
    /// Anchors per level (mmdet `num_level_anchors`).
    public var levelCounts: [Int] { layout.levelCounts }
    /// Level index of every anchor.
    public var levelIndices: [Int] { layout.levelIndices }
    /// The anchors of one level.
    public func level(_ l: Int) -> ArraySlice<Box> { boxes[layout.levels[l].range] }
    /// Anchor centres (mmdet `anchor_center`): the points GFL regresses distances from (built on
    /// each access).
    public var centers: [Point] { boxes.map(\.center) }
}
