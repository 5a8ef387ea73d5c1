import Testing
@testable import Detection

@Suite("Box coders") struct CoderTests {
    /// prior (0,0,10,10): centre (5,5), size 10 × 10; gt (2,3,12,18): centre (7, 10.5), size 10 × 15.
    /// dx = (7 − 5)/10 = 0.2, dy = (10.5 − 5)/10 = 0.55, dw = log(10/10) = 0, dh = log(15/10) = 0.405465.
    /// ATSS stds (0.1, 0.1, 0.2, 0.2): (2, 5.5, 0, 2.027326).
    @Test func deltaKnownValuesAndRoundTrip() {
        let p = box(0, 0, 10, 10), g = box(2, 3, 12, 18)
        let d = DeltaXYWHCoder.retinaNet.encode(prior: p, gt: g)
        #expect(close(d.dx, 0.2) && close(d.dy, 0.55) && close(d.dw, 0) && close(d.dh, 0.405465))
        let e = DeltaXYWHCoder.atss.encode(priors: [p], gts: [g])
        #expect(close(e, [2, 5.5, 0, 2.027326]))
        #expect(close(DeltaXYWHCoder.atss.decode(priors: [p], deltas: e)[0], g))
        #expect(close(DeltaXYWHCoder.retinaNet.decode(prior: p, delta: d), g))
    }

    /// wh_ratio_clip 16/1000: |dw| ≤ |log 0.016| = 4.135167, i.e. at most e^4.135167 = 62.5×.
    /// prior (0,0,10,10), dw = dh = 10 → w = h = 10·62.5 = 625 around (5,5): (−307.5, −307.5, 317.5, 317.5);
    /// with max shape 100 × 50 (W × H) clipped to (0, 0, 100, 50). dw = −10 → 10/62.5 = 0.16.
    @Test func deltaClamps() {
        let coder = DeltaXYWHCoder.retinaNet
        #expect(close(coder.maxRatio, 4.135167))
        let p = box(0, 0, 10, 10)
        #expect(close(coder.decode(prior: p, delta: (0, 0, 10, 10)), box(-307.5, -307.5, 317.5, 317.5), 1e-2))
        #expect(coder.decode(prior: p, delta: (0, 0, 10, 10), maxShape: ImageSize(width: 100, height: 50)) == box(0, 0, 100, 50))
        #expect(close(coder.decode(prior: p, delta: (0, 0, -10, -10)), box(4.92, 4.92, 5.08, 5.08)))
        let unclipped = DeltaXYWHCoder(clipBorder: false)
        #expect(unclipped.decode(prior: p, delta: (0, 0, 10, 10), maxShape: ImageSize(width: 100, height: 50)).x1 < 0)
    }

    /// The example in mmdet's `delta2bbox` docstring (max_shape (32, 32)), printed to 4 decimals:
    /// e.g. row 2: roi (0,0,1,1), deltas (1,1,1,1) → centre 0.5 + 1 = 1.5, size e = 2.718282
    /// → (1.5 − 1.359141, …) = (0.1409, 0.1409, 2.8591, 2.8591).
    @Test func deltaMmdetDocstring() {
        let rois = [box(0, 0, 1, 1), box(0, 0, 1, 1), box(0, 0, 1, 1), box(5, 5, 5, 5)]
        let deltas: [Float] = [0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 2, -1, 0.7, -1.9, -0.5, 0.3]
        let out = DeltaXYWHCoder().decode(priors: rois, deltas: deltas, maxShape: ImageSize(width: 32, height: 32))
        let expected = [box(0, 0, 1, 1), box(0.1409, 0.1409, 2.8591, 2.8591), box(0, 0.3161, 4.1945, 0.6839), box(5, 5, 5, 5)]
        #expect(zip(out, expected).allSatisfy { close($0, $1, 1e-4) })
    }

    /// point (10, 20), gt (4, 12, 30, 26): l = 6, t = 8, r = 20, b = 6. With max distance 16 (eps 0.1)
    /// r clamps to 15.9. GFL with stride 8: point/8 = (1.25, 2.5), gt/8 = (0.5, 1.5, 3.75, 3.25)
    /// → (0.75, 1, 2.5, 0.75). FCOS norm_on_bbox: (6, 8, 20, 6)/8, the same numbers here.
    @Test func distanceKnownValues() {
        let coder = DistanceCoder()
        let p = Point(x: 10, y: 20), g = box(4, 12, 30, 26)
        let d = coder.encode(point: p, gt: g)
        #expect(d.left == 6 && d.top == 8 && d.right == 20 && d.bottom == 6)
        #expect(coder.encode(points: [p], gts: [g], maxDistance: 16) == [6, 8, 15.9, 6])
        #expect(coder.encode(points: [p], gts: [g], stride: 8) == [0.75, 1, 2.5, 0.75])
        #expect(coder.encode(points: [p], gts: [g], stride: 8, normalization: .divideDistances) == [0.75, 1, 2.5, 0.75])
        // A point outside the box: negative sides clamp to 0 only when a max distance is given.
        #expect(coder.encode(point: Point(x: 2, y: 20), gt: g).left == -2)
        #expect(coder.encode(points: [Point(x: 2, y: 20)], gts: [g], maxDistance: 16)[0] == 0)
    }

    @Test func distanceRoundTripAndClip() {
        let coder = DistanceCoder()
        let pts = [Point(x: 10, y: 20), Point(x: 60, y: 4)], gts = [box(4, 12, 30, 26), box(50, 0, 70, 10)]
        #expect(coder.decode(points: pts, distances: coder.encode(points: pts, gts: gts)) == gts)
        // Stride units: decode multiplies by the stride first.
        #expect(coder.decode(points: pts, distances: coder.encode(points: pts, gts: gts, stride: 8), stride: 8) == gts)
        // Clipped to 64 × 16 (W × H): x2 70 → 64.
        #expect(coder.decode(point: pts[1], distances: (10, 4, 10, 6), maxShape: ImageSize(width: 64, height: 16)) == box(50, 0, 64, 10))
    }
}
