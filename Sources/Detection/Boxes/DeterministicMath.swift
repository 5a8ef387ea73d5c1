/// sin, cos, exp and log from + − × ÷ only, so that generated scenes (and the corners of their
/// oriented boxes) are bit-identical on every machine. glibc picks different implementations of
/// its float functions by CPU (FMA or not), and those may differ in the last bit; a scene that
/// depends on them could differ between machines. Training and inference use Foundation's.
/// Accuracy is about 1e-12 relative (Double arithmetic), far more than rendering needs.
public enum DeterministicMath {
    public static func sin(_ x: Float) -> Float { Float(sinCos(Double(x)).sin) }
    public static func cos(_ x: Float) -> Float { Float(sinCos(Double(x)).cos) }
    public static func exp(_ x: Float) -> Float { Float(exp(Double(x))) }
    public static func log(_ x: Float) -> Float { Float(log(Double(x))) }

    /// Reduces to r = x − k·π/2 with |r| ≤ π/4, then Taylor series (error < 1e-16 there).
    public static func sinCos(_ x: Double) -> (sin: Double, cos: Double) {
        let halfPi = 1.5707963267948966
        let k = (x / halfPi).rounded()
        // fdlibm's two-part π/2 keeps the reduction accurate for the angles used here (|x| < 100).
        let r = (x - k * 1.5707963267341256) - k * 6.077100506506192e-11
        let r2 = r * r
        var s = 1.0, c = 1.0, termS = 1.0, termC = 1.0
        for n in 1...10 {
            termS *= -r2 / Double((2 * n) * (2 * n + 1))
            termC *= -r2 / Double((2 * n - 1) * (2 * n))
            s += termS
            c += termC
        }
        s *= r
        switch Int(k) & 3 {
        case 0: return (s, c)
        case 1: return (c, -s)
        case 2: return (-s, -c)
        default: return (-c, s)
        }
    }

    /// e^x = 2^k · e^r with |r| ≤ ln2/2, Taylor series for e^r.
    public static func exp(_ x: Double) -> Double {
        if x < -700 { return 0 }
        if x > 700 { return .infinity }
        let ln2 = 0.6931471805599453
        let k = (x / ln2).rounded()
        let r = x - k * ln2
        var sum = 1.0, term = 1.0
        for n in 1...18 {
            term *= r / Double(n)
            sum += term
        }
        return sum * power2(Int(k))
    }

    /// ln x = k·ln2 + 2·atanh((m−1)/(m+1)) with m in [1/√2, √2).
    public static func log(_ x: Double) -> Double {
        guard x > 0 else { return x == 0 ? -.infinity : .nan }
        var m = x, k = 0
        while m >= 1.4142135623730951 { m /= 2; k += 1 }
        while m < 0.7071067811865476 { m *= 2; k -= 1 }
        let t = (m - 1) / (m + 1), t2 = t * t
        var sum = 0.0, power = t
        for n in 0..<20 {
            sum += power / Double(2 * n + 1)
            power *= t2
        }
        return Double(k) * 0.6931471805599453 + 2 * sum
    }

    private static func power2(_ k: Int) -> Double {
        var result = 1.0
        let base = k >= 0 ? 2.0 : 0.5
        for _ in 0..<abs(k) { result *= base }
        return result
    }
}
