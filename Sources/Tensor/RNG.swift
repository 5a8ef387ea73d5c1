import Foundation

/// Seeded pseudo-random generator (xoshiro256**, seeded through SplitMix64).
/// Every random draw in the project comes from one of these, passed explicitly.
public struct RNG: Codable, Equatable, Sendable {
    public private(set) var state: [UInt64]

    public init(seed: UInt64) {
        var s = seed
        func splitMix() -> UInt64 {
            s &+= 0x9E37_79B9_7F4A_7C15
            var z = s
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = [splitMix(), splitMix(), splitMix(), splitMix()]
    }

    /// An independent stream derived from this one (e.g. one per data worker or per module).
    public mutating func fork() -> RNG { RNG(seed: next()) }

    @inline(__always)
    public mutating func next() -> UInt64 {
        let result = rotl(state[1] &* 5, 7) &* 9
        let t = state[1] << 17
        state[2] ^= state[0]
        state[3] ^= state[1]
        state[1] ^= state[2]
        state[0] ^= state[3]
        state[2] ^= t
        state[3] = rotl(state[3], 45)
        return result
    }

    @inline(__always) private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// Uniform in [0, 1) with 24 random bits.
    public mutating func uniform() -> Float { Float(next() >> 40) * (1.0 / 16_777_216.0) }

    /// Uniform in [0, 1) with 53 random bits.
    public mutating func uniformDouble() -> Double { Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0) }

    /// Uniform integer in 0..<bound.
    public mutating func int(below bound: Int) -> Int {
        precondition(bound > 0)
        return Int(next() % UInt64(bound))
    }

    /// Standard normal draw (Box–Muller).
    public mutating func normal() -> Float {
        let u1 = max(uniformDouble(), 1e-300), u2 = uniformDouble()
        return Float((-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2))
    }

    /// Fisher–Yates shuffle.
    public mutating func shuffle<T>(_ array: inout [T]) {
        guard array.count > 1 else { return }
        for i in stride(from: array.count - 1, to: 0, by: -1) {
            array.swapAt(i, int(below: i + 1))
        }
    }
}
