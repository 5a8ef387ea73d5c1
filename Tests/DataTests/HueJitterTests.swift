import Testing
@testable import Data
import Tensor

/// `hueJitter` bounds how far an object's hue strays from its class's preferred hue, which is
/// what decides whether the hue alone can tell the labelled classes apart.
@Suite struct HueJitterTests {
    /// Circular distance between two hues in turns.
    func hueDistance(_ a: Float, _ b: Float) -> Float {
        let d = abs(a - b).truncatingRemainder(dividingBy: 1)
        return min(d, 1 - d)
    }

    /// Hue of an RGB colour in turns (the inverse of `colourFromHSV` for saturated colours).
    func hue(of c: SIMD3<Float>) -> Float {
        let mx = max(c.x, c.y, c.z), mn = min(c.x, c.y, c.z), d = mx - mn
        var h: Float
        if mx == c.x { h = ((c.y - c.z) / d).truncatingRemainder(dividingBy: 6) }
        else if mx == c.y { h = (c.z - c.x) / d + 2 }
        else { h = (c.x - c.y) / d + 4 }
        h /= 6
        return h < 0 ? h + 1 : h
    }

    @Test func twelveClassesPreferredHuesAreFarEnoughApartForTheSmallProfilesJitter() {
        let hues = ObjectKind.all.prefix(12).map(\.preferredHue)
        var closest: Float = 1
        for i in hues.indices { for j in hues.indices where j > i { closest = min(closest, hueDistance(hues[i], hues[j])) } }
        #expect(abs(closest - 0.0557) < 0.001, "closest pair \(closest)")
        #expect(closest > 2 * 0.02)  // bands of ±0.02 never overlap
        #expect(closest < 2 * 0.06)  // the default ±0.06 bands do
    }

    @Test func objectHuesStayWithinTheJitterOfTheirClassHue() {
        var config = SyntheticSceneConfig()
        config.colourInformativeness = 1
        config.hueJitter = 0.02
        var rng = RNG(seed: 5)
        for (label, kind) in ObjectKind.all.prefix(12).enumerated() {
            for _ in 0..<20 {
                let object = PlannedObject(kind: kind, label: label, config: config, shortSide: 64, rng: &rng)
                #expect(hueDistance(hue(of: object.colour), kind.preferredHue) <= 0.02 + 1e-4)
            }
        }
    }
}
