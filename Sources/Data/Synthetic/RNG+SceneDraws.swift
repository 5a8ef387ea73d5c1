import Detection
import Tensor

// The few kinds of draw the scene planner makes, all from the image's own `RNG` stream.
extension RNG {
    mutating func uniform(in range: ClosedRange<Float>) -> Float {
        range.lowerBound + (range.upperBound - range.lowerBound) * uniform()
    }

    mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + int(below: range.upperBound - range.lowerBound + 1)
    }

    mutating func chance(_ probability: Float) -> Bool { uniform() < probability }

    /// Irwin–Hall sum of four uniforms rescaled to mean 0 and variance 1 (range ±3.46): close
    /// enough to a normal for size distributions, and free of `log`/`cos` (see `DeterministicMath`).
    mutating func approximatelyNormal() -> Float {
        let sum = uniform() + uniform() + uniform() + uniform()
        return (sum - 2) * 1.7320508
    }

    /// `x` rounded down or up at random so that the mean is `x` (for expected counts).
    mutating func stochasticRound(_ x: Float) -> Int {
        let whole = x.rounded(.down)
        return Int(whole) + (chance(x - whole) ? 1 : 0)
    }
}

/// An RGB colour in [0, 1].
typealias Colour = SIMD3<Float>

/// HSV to RGB, hue in [0, 1) turns.
func colourFromHSV(hue: Float, saturation s: Float, value v: Float) -> Colour {
    var h = (hue - hue.rounded(.down)) * 6
    if h >= 6 { h = 0 }
    let sector = Int(h), f = h - Float(sector)
    let p = v * (1 - s), q = v * (1 - s * f), t = v * (1 - s * (1 - f))
    switch sector {
    case 0: return Colour(v, t, p)
    case 1: return Colour(q, v, p)
    case 2: return Colour(p, v, t)
    case 3: return Colour(p, q, v)
    case 4: return Colour(t, p, v)
    default: return Colour(v, p, q)
    }
}

extension SIMD3 where Scalar == Float {
    var clamped01: SIMD3<Float> { pointwiseMin(pointwiseMax(self, SIMD3(repeating: 0)), SIMD3(repeating: 1)) }
}
