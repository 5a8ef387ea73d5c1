/// Row sums with eight independent accumulators. One float accumulator serialises every add on
/// the previous one (the compiler may not reorder float sums), so the normalisations' statistics
/// ran at a quarter of an add per cycle; eight lanes let the adds overlap.

/// (Σ x[p], Σ x[p]²) over count values.
@inline(__always)
func sumAndSumOfSquares(_ x: UnsafePointer<Float>, _ count: Int) -> (Float, Float) {
    var s = SIMD8<Float>(), s2 = SIMD8<Float>(), p = 0
    let raw = UnsafeRawPointer(x)
    while p + 8 <= count {
        let v = raw.loadUnaligned(fromByteOffset: p * 4, as: SIMD8<Float>.self)
        s += v; s2 += v * v
        p += 8
    }
    var sum = s.sum(), squares = s2.sum()
    while p < count { let v = x[p]; sum += v; squares += v * v; p += 1 }
    return (sum, squares)
}

/// (Σ a[p], Σ a[p]·b[p]) over count values.
@inline(__always)
func sumAndDot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ count: Int) -> (Float, Float) {
    var s = SIMD8<Float>(), d = SIMD8<Float>(), p = 0
    let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
    while p + 8 <= count {
        let va = ra.loadUnaligned(fromByteOffset: p * 4, as: SIMD8<Float>.self)
        let vb = rb.loadUnaligned(fromByteOffset: p * 4, as: SIMD8<Float>.self)
        s += va; d += va * vb
        p += 8
    }
    var sum = s.sum(), dot = d.sum()
    while p < count { sum += a[p]; dot += a[p] * b[p]; p += 1 }
    return (sum, dot)
}
