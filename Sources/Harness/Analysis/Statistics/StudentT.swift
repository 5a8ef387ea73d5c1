import Foundation

/// Student's t distribution: the distribution of a mean's standardised error when the standard
/// deviation is estimated from the same few seeds. Computed exactly (through the regularised
/// incomplete beta function) rather than from a df table, so any confidence level and any number
/// of seeds work, and large df converge to the normal distribution by themselves.
public enum StudentT {
    /// P(T ≤ t) for `degreesOfFreedom` > 0.
    public static func cdf(_ t: Double, degreesOfFreedom df: Double) -> Double {
        precondition(df > 0, "degrees of freedom must be positive")
        if t.isNaN { return .nan }
        if t == .infinity { return 1 }
        if t == -.infinity { return 0 }
        // P(|T| > |t|) = I_x(df/2, 1/2) with x = df / (df + t²).
        let x = df / (df + t * t)
        let tail = 0.5 * RegularizedIncompleteBeta.value(x: x, a: df / 2, b: 0.5)
        return t > 0 ? 1 - tail : tail
    }

    /// The p-quantile: the t with cdf(t) = p, for 0 < p < 1.
    public static func quantile(_ p: Double, degreesOfFreedom df: Double) -> Double {
        precondition(p > 0 && p < 1, "a quantile needs 0 < p < 1")
        if p == 0.5 { return 0 }
        // The distribution is symmetric: solve for the upper tail and mirror.
        let upper = max(p, 1 - p)
        var low = 0.0, high = 1.0
        while cdf(high, degreesOfFreedom: df) < upper { low = high; high *= 2 }
        // Bisection: the cdf is monotone, so this cannot fail to converge, and 200 halvings are
        // far more than a Double's 52 bits of mantissa need.
        for _ in 0..<200 {
            let middle = (low + high) / 2
            if middle == low || middle == high { break }
            if cdf(middle, degreesOfFreedom: df) < upper { low = middle } else { high = middle }
        }
        let q = (low + high) / 2
        return p > 0.5 ? q : -q
    }

    /// The two-sided critical value: a `confidence` (0.95) interval for a mean is
    /// mean ± criticalValue · s / √n with df = n − 1.
    public static func criticalValue(confidence: Double, degreesOfFreedom df: Int) -> Double {
        quantile((1 + confidence) / 2, degreesOfFreedom: Double(df))
    }
}

/// The standard normal distribution, the df → ∞ limit of Student's t.
public enum StandardNormal {
    public static func cdf(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }

    /// The p-quantile, by bisection on the cdf (accurate to Double precision; speed is irrelevant
    /// for a few dozen verdicts).
    public static func quantile(_ p: Double) -> Double {
        precondition(p > 0 && p < 1, "a quantile needs 0 < p < 1")
        var low = -40.0, high = 40.0
        for _ in 0..<200 {
            let middle = (low + high) / 2
            if middle == low || middle == high { break }
            if cdf(middle) < p { low = middle } else { high = middle }
        }
        return (low + high) / 2
    }
}

/// I_x(a, b), the regularised incomplete beta function, by Lentz's continued fraction
/// (Numerical Recipes §6.4): converges fast for x < (a + 1)/(a + b + 2), and the symmetry
/// I_x(a, b) = 1 − I_{1−x}(b, a) covers the rest.
enum RegularizedIncompleteBeta {
    static func value(x: Double, a: Double, b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let logBeta: Double = lgamma(a + b) - lgamma(a) - lgamma(b)
        let logPowers: Double = a * log(x) + b * log(1 - x)
        let logFront = logBeta + logPowers
        let front = exp(logFront)
        if x < (a + 1) / (a + b + 2) {
            return front * continuedFraction(x: x, a: a, b: b) / a
        }
        return 1 - front * continuedFraction(x: 1 - x, a: b, b: a) / b
    }

    private static func continuedFraction(x: Double, a: Double, b: Double) -> Double {
        let tiny = 1e-300, epsilon = 1e-16
        var c = 1.0
        var d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var result = d
        for m in 1...10_000 {
            let m = Double(m)
            // Even step.
            var numerator = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
            d = 1 + numerator * d
            if abs(d) < tiny { d = tiny }
            c = 1 + numerator / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            result *= d * c
            // Odd step.
            numerator = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
            d = 1 + numerator * d
            if abs(d) < tiny { d = tiny }
            c = 1 + numerator / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let step = d * c
            result *= step
            if abs(step - 1) < epsilon { break }
        }
        return result
    }
}
