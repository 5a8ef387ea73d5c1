import Testing
@testable import Detection

@Suite("Anchor and point generators") struct PriorGeneratorTests {
    /// RetinaNet level 0 (stride 8 = base size, octave base scale 4, 3 scales per octave, ratios
    /// 0.5, 1, 2), by hand from mmdet's `gen_single_level_base_anchors`:
    /// scales 4·2^(k/3) = 4, 5.039684, 6.349604;
    /// h_ratio = √ratio = 0.707107, 1, 1.414214; w_ratio = 1 / h_ratio = 1.414214, 1, 0.707107;
    /// w = 8·w_ratio·scale, h = 8·h_ratio·scale, anchor = (−w/2, −h/2, w/2, h/2) (centre offset 0);
    /// order ratio-major, scale-minor:
    ///   r 0.5: w = 11.313708·s = 45.254834, 57.017517, 71.837570; h = 5.656854·s = 22.627417, 28.508759, 35.918785
    ///   r 1:   w = h = 8·s = 32, 40.317474, 50.796833
    ///   r 2:   w = 5.656854·s, h = 11.313708·s (r 0.5 transposed).
    /// The expected values are those halves; they are also what PyTorch float32 gives bit for bit
    /// (checked with a transcription of mmdet's code), so the comparison is exact.
    @Test func retinaNetBaseAnchorsLevel0() {
        let gen = AnchorGenerator.retinaNet()
        #expect(gen.numBaseAnchors == 9)
        #expect(gen.scales == [4, 5.039684295654297, 6.34960412979126])
        let expected: [Box] = [
            box(-22.6274166, -11.3137083, 22.6274166, 11.3137083),
            box(-28.5087585, -14.2543793, 28.5087585, 14.2543793),
            box(-35.9187851, -17.9593925, 35.9187851, 17.9593925),
            box(-16, -16, 16, 16),
            box(-20.1587372, -20.1587372, 20.1587372, 20.1587372),
            box(-25.3984165, -25.3984165, 25.3984165, 25.3984165),
            box(-11.3137083, -22.6274166, 11.3137083, 22.6274166),
            box(-14.2543793, -28.5087585, 14.2543793, 28.5087585),
            box(-17.9593925, -35.9187851, 17.9593925, 35.9187851),
        ]
        #expect(gen.baseAnchors[0] == expected)
        // Level 1 (stride 16) is level 0 doubled: 16·1.414214·4 / 2 = 45.254834.
        #expect(close(gen.baseAnchors[1][0], box(-45.254834, -22.627417, 45.254834, 22.627417)))
    }

    /// Grid shifts: the anchors of location (x, y) are the base anchors + (8x, 8y, 8x, 8y); flat index
    /// (y·W + x)·A + k. On a 3 × 2 (H × W) map, location (x 1, y 2) is cell 5, so its first anchor is
    /// prior 45 = (−22.627417 + 8, −11.313708 + 16, 22.627417 + 8, 11.313708 + 16).
    @Test func gridShiftsAndOrder() {
        let gen = AnchorGenerator.retinaNet(strides: [8])
        let anchors = gen.gridPriors(featureSizes: [FeatureSize(height: 3, width: 2)])
        #expect(anchors.count == 54)
        #expect(anchors.boxes[45] == box(-14.627416610717773, 4.686291694641113, 30.627416610717773, 27.313709259033203))
        #expect(anchors.boxes[53] == box(-9.959392547607422, -19.918785095214844, 25.959392547607422, 51.918785095214844))
        #expect(anchors.layout.location(ofPrior: 45) == (level: 0, y: 2, x: 1, k: 0))
    }

    /// ATSS/GFL: one square of side 8s per location, centred on the grid corner (x·s, y·s).
    @Test func atssAnchorsAndLayout() {
        let gen = AnchorGenerator.atss(strides: [8, 16])
        let anchors = gen.gridPriors(featureSizes: [FeatureSize(height: 2, width: 2), FeatureSize(height: 1, width: 1)])
        #expect(anchors.boxes == [box(-32, -32, 32, 32), box(-24, -32, 40, 32), box(-32, -24, 32, 40), box(-24, -24, 40, 40), box(-64, -64, 64, 64)])
        #expect(anchors.levelCounts == [4, 1])
        #expect(anchors.levelIndices == [0, 0, 0, 0, 1])
        #expect(anchors.layout.levels[1].start == 4)
        #expect(anchors.centers[3] == Point(x: 8, y: 8))
        #expect(Array(anchors.level(1)) == [box(-64, -64, 64, 64)])
    }

    /// MlvlPointGenerator, offset 0.5: point (x, y) of stride s is ((x + 0.5)s, (y + 0.5)s).
    /// Stride 8 on 2 × 3: (4,4) (12,4) (20,4) (4,12) (12,12) (20,12); stride 16 on 1 × 1: (8, 8).
    @Test func points() {
        let gen = PointGenerator.fcos(strides: [8, 16])
        let pts = gen.gridPriors(featureSizes: [FeatureSize(height: 2, width: 3), FeatureSize(height: 1, width: 1)])
        #expect(pts.points.map { [$0.x, $0.y] } == [[4, 4], [12, 4], [20, 4], [4, 12], [12, 12], [20, 12], [8, 8]])
        #expect(pts.levelCounts == [6, 1] && pts.levelIndices == [0, 0, 0, 0, 0, 0, 1])
        #expect(pts.strides == [8, 8, 8, 8, 8, 8, 16])
    }

    /// Feature sizes for a 100 × 130 (H × W) image: ceil(100/8) = 13, ceil(130/8) = 17; stride 128 → 1 × 2.
    /// Valid flags for that image inside a batch padded to 128 × 160: stride 32 map is 4 × 5, the
    /// image covers ceil(100/32) = 4 rows and ceil(130/32) = 5 columns → all valid; stride 64 map
    /// 2 × 3 covers ceil(100/64) = 2 rows, ceil(130/64) = 3 columns → all valid; a 60 × 60 image
    /// in the same batch covers 2 × 2 of the stride-32 map.
    @Test func featureSizesAndValidFlags() {
        let img = ImageSize(width: 130, height: 100)
        #expect(FeatureSize.forImage(img, stride: 8) == FeatureSize(height: 13, width: 17))
        #expect(FeatureSize.forImage(img, stride: 128) == FeatureSize(height: 1, width: 2))
        let layout = PriorLayout(featureSizes: [FeatureSize(height: 4, width: 5)], strides: [32], priorsPerLocation: 2)
        #expect(layout.validFlags(imageSize: img).allSatisfy { $0 })
        let small = layout.validFlags(imageSize: ImageSize(width: 60, height: 60))
        // Valid cells: rows 0–1, columns 0–1 → cells 0, 1, 5, 6 → priors 0–3 and 10–13.
        #expect(small.enumerated().filter(\.element).map(\.offset) == [0, 1, 2, 3, 10, 11, 12, 13])
    }
}
