import Foundation
import Testing
@testable import Detection

/// mmrotate's le90 `DeltaXYWHAOBBoxCoder` (edge swap, projected centre offsets).
@Suite("Rotated delta coder") struct RotatedDeltaCoderTests {
    let coder = RotatedDeltaCoder.le90
    let prior = RotatedBox(centerX: 10, centerY: 10, width: 8, height: 4, angle: 0)

    static func close(_ a: Float, _ b: Float, _ tol: Float = 1e-5) -> Bool { Swift.abs(a - b) <= tol }

    /// Δ = (2, −1) over (8, 4): (0.25, −0.25); turns 0.3 and norm(0.3 + π/2) = −1.2708: the
    /// first is shorter, so sides stay: log(16/8), log(2/4), 0.3.
    @Test func encodesTheShorterTurn() {
        let d = coder.encode(prior: prior, gt: RotatedBox(centerX: 12, centerY: 9, width: 16, height: 2, angle: 0.3))
        let ln2 = Float(Foundation.log(2.0))
        #expect(Self.close(d.dx, 0.25) && Self.close(d.dy, -0.25) && Self.close(d.dw, ln2) && Self.close(d.dh, -ln2) && Self.close(d.da, 0.3))
        // A box at −1.4 is reached by turning +0.1708 with its sides swapped: (4, 8).
        let e = coder.encode(prior: prior, gt: RotatedBox(centerX: 10, centerY: 10, width: 8, height: 4, angle: -1.4))
        #expect(Self.close(e.da, -1.4 + .pi / 2) && Self.close(e.dw, -ln2) && Self.close(e.dh, ln2))
    }

    /// Decoding swaps to width ≥ height and normalises the angle: both gts come back as given
    /// (the second as the same rectangle: a 2 × 16 box at 0.2 is a 16 × 2 box at 0.2 − π/2).
    @Test func roundTrips() {
        let gts = [RotatedBox(centerX: 12, centerY: 9, width: 16, height: 2, angle: 0.3),
                   RotatedBox(centerX: 7, centerY: 13, width: 8, height: 4, angle: -1.4),
                   RotatedBox(centerX: 10, centerY: 10, width: 2, height: 16, angle: 0.2)]
        let expected = [gts[0], gts[1], RotatedBox(centerX: 10, centerY: 10, width: 16, height: 2, angle: 0.2 - .pi / 2)]
        for (g, want) in zip(gts, expected) {
            let back = coder.decode(prior: prior, delta: coder.encode(prior: prior, gt: g))
            #expect(Self.close(back.centerX, want.centerX, 1e-4) && Self.close(back.centerY, want.centerY, 1e-4)
                    && Self.close(back.width, want.width, 1e-4) && Self.close(back.height, want.height, 1e-4)
                    && Self.close(back.angle, want.angle, 1e-4), "\(g) → \(back)")
        }
        // A turned prior: offsets are projected on its axes and undone on decoding.
        let turned = RotatedBox(centerX: 5, centerY: 6, width: 10, height: 5, angle: 0.7)
        let g = RotatedBox(centerX: 8, centerY: 4, width: 12, height: 3, angle: -0.2)
        let back = coder.decode(prior: turned, delta: coder.encode(prior: turned, gt: g))
        #expect(rotatedIoU(back, g) > 0.9999 && Self.close(back.centerX, 8, 1e-4) && Self.close(back.centerY, 4, 1e-4))
    }

    @Test func decodeClampsSizesAndCentres() {
        let big = coder.decode(prior: prior, delta: (dx: 10, dy: -10, dw: 9, dh: 0, da: 0), maxShape: ImageSize(width: 32, height: 24))
        #expect(Self.close(big.centerX, 31) && Self.close(big.centerY, 0))
        #expect(Self.close(big.width, 8 * Foundation.exp(coder.maxRatio), 1e-2) && Self.close(big.height, 4))
        #expect(Self.close(RotatedBox.normalizedAngle(.pi / 2), -.pi / 2) && Self.close(RotatedBox.normalizedAngle(-2), .pi - 2))
    }
}
