import Testing
@testable import Detection

@Suite("FCOS assigner") struct FCOSAssignerTests {
    // Two levels on a 64 × 64 image: stride 8 (8 × 8 points at 4, 12, …, 60; indices 0–63,
    // index = 8·row + col) and stride 16 (4 × 4 points at 8, 24, 40, 56; indices 64–79).
    // Regress ranges [−1, 32] and [32, INF]; centre radius 1.5 → 12 px on level 0, 24 px on level 1.
    let points = PointGenerator(strides: [8, 16]).gridPriors(featureSizes: [FeatureSize(height: 8, width: 8), FeatureSize(height: 4, width: 4)])
    let assigner = FCOSAssigner(regressRanges: [-1...32, 32...FCOSAssigner.infinity])
    // Ga (0,0,34,16), area 544, centre (17, 8); level-0 centre region x 5..29, y 0..16 (clipped).
    // Gb (16,16,64,64), area 2304, centre (40, 40); level-0 region 28..52, level-1 region 16..64.
    // Gc (32,32,48,48), area 256, inside Gb; level-0 region = Gc.
    // Gd (40,32,56,48), area 256 = Gc's; level-0 region x 40..56, y 32..48.
    let gts = [box(0, 0, 34, 16), box(16, 16, 64, 64), box(32, 32, 48, 48), box(40, 32, 56, 48)]

    /// By hand:
    /// - Ga on level 0: points with x ∈ {12, 20, 28}, y ∈ {4, 12} are strictly inside the region and
    ///   their max side distance ≤ 32 (e.g. (12,4): l 12, t 4, r 22, b 12) → indices 1, 2, 3, 9, 10, 11.
    ///   (4,4) is inside Ga but 4 − 5 < 0 puts it outside the centre region (centre sampling at work:
    ///   its max distance 30 is in range, so without sampling it would be positive).
    /// - Level 0 around (40,40): (36,36) [36] and (36,44) [44] are candidates of Gb (max distance 28)
    ///   and Gc → smaller area Gc (2). (44,36) [37] and (44,44) [45] are candidates of Gb, Gc and Gd;
    ///   Gc and Gd tie at area 256 → lower index Gc (2). (52,36) [38] and (52,44) [46]: outside Gb's
    ///   region (52 − 52 = 0 is not > 0) and outside Gc → Gd (3).
    /// - Level 1: Gb's points (24|40|56)² except the centre (40,40), whose max distance 24 < 32:
    ///   indices 64 + 4·row + col = 69, 70, 71, 73, 75, 77, 78, 79. (8,8) is in Ga but its max
    ///   distance 26 < 32; Ga is too small for level 1.
    /// Everything else is negative. (Cross-checked against a transcription of mmdet's
    /// `_get_target_single` in PyTorch.)
    @Test func twoLevelToyWithCenterSamplingAndTies() {
        let a = assigner.assign(points: points, gts: gts)
        let expected: [Int: Int] = [1: 0, 2: 0, 3: 0, 9: 0, 10: 0, 11: 0, 36: 2, 37: 2, 38: 3, 44: 2, 45: 2, 46: 3,
                                    69: 1, 70: 1, 71: 1, 73: 1, 75: 1, 77: 1, 78: 1, 79: 1]
        #expect(a.count == 80 && a.numGTs == 4)
        #expect(a.gtIndices == (0..<80).map { expected[$0] ?? Assignment.negative })
        #expect(a.ignoredIndices.isEmpty)
    }

    /// Without centre sampling the inside-gt test replaces the region: (4,4) [0] and (4,12) [8]
    /// join Ga; nothing else changes.
    @Test func withoutCenterSampling() {
        var plain = assigner
        plain.centerSampling = false
        let a = plain.assign(points: points, gts: gts)
        #expect(a.gtIndices[0] == 0 && a.gtIndices[8] == 0)
        #expect(a.numPositives == 22)
    }

    /// Range ends are inclusive: a point whose max side distance equals the bound is in both levels'
    /// ranges. Point (4,4) of a single-level layout, gt (0,0,36,8): distances (4,4,32,4), max 32 ≤ 32.
    @Test func regressRangeBoundsAreInclusive() {
        let one = PointGenerator(strides: [8]).gridPriors(featureSizes: [FeatureSize(height: 1, width: 1)])
        let a = FCOSAssigner(regressRanges: [-1...32], centerSampling: false).assign(points: one, gts: [box(0, 0, 36, 8)])
        #expect(a.gtIndices == [0])
        let b = FCOSAssigner(regressRanges: [32...64], centerSampling: false).assign(points: one, gts: [box(0, 0, 36, 8)])
        #expect(b.gtIndices == [0])
    }

    /// Scaled defaults for 128-px images (factor 128/800 = 0.16): (−1, 10.24), (10.24, 20.48), …, (81.92, INF).
    @Test func scaledRegressRanges() {
        let r = FCOSAssigner.regressRanges(scaledBy: 0.16)
        #expect(r.count == 5 && r[0].lowerBound == -1 && r[4].upperBound == FCOSAssigner.infinity)
        #expect(close(r[0].upperBound, 10.24) && close(r[1].lowerBound, 10.24) && close(r[4].lowerBound, 81.92))
        #expect(FCOSAssigner.regressRanges(scaledBy: 1) == FCOSAssigner.defaultRegressRanges)
    }

    @Test func noGTsAllNegative() {
        #expect(assigner.assign(points: points, gts: []).gtIndices.allSatisfy { $0 == Assignment.negative })
    }
}
