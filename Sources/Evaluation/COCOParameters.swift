/// pycocotools' `Params.setDetParams()` for iouType "bbox".
public enum COCOParameters {
    /// 0.5, 0.55, ..., 0.95 exactly as `np.linspace(.5, .95, 10)` (index 8 is 0.8999999999999999).
    public static let iouThresholds: [Double] = numpyLinspace(0.5, 0.95, count: 10)
    /// 0, 0.01, ..., 1 exactly as `np.linspace(0, 1, 101)` (index 57 is 0.5700000000000001).
    public static let recallThresholds: [Double] = numpyLinspace(0.0, 1.0, count: 101)
    public static let maxDetections: [Int] = [1, 10, 100]
    public static let areaLabels: [String] = ["all", "small", "medium", "large"]
    /// Inclusive at both ends, as pycocotools tests `area < lo or area > hi` for "outside".
    public static let areaRanges: [(lower: Double, upper: Double)] = [
        (0, 1e10), (0, 32 * 32), (32 * 32, 96 * 96), (96 * 96, 1e10),
    ]

    /// Index of `threshold` in `iouThresholds`, tolerant of decimal spelling (0.9 finds 0.8999999999999999).
    public static func iouIndex(of threshold: Double) -> Int? {
        iouThresholds.firstIndex { abs($0 - threshold) < 1e-9 }
    }

    /// numpy's linspace: `start + i * ((stop - start) / (count - 1))`, last element forced to `stop`.
    /// Reproducing its arithmetic (not the decimal values) is what makes thresholds bit-identical.
    static func numpyLinspace(_ start: Double, _ stop: Double, count: Int) -> [Double] {
        let step = (stop - start) / Double(count - 1)
        var values = (0..<count).map { Double($0) * step + start }
        values[count - 1] = stop
        return values
    }
}

/// `np.mean` of a float64 array, bit for bit: numpy sums with 8-way unrolled pairwise summation
/// (blocks of at most 128, split at multiples of 8), starting from the additive identity.
/// Summation order changes the last bits, and the stats are meant to equal pycocotools exactly.
func numpyMean(_ values: [Double]) -> Double {
    guard !values.isEmpty else { return .nan }
    return values.withUnsafeBufferPointer { numpyPairwiseSum($0.baseAddress!, $0.count) } / Double(values.count)
}

private func numpyPairwiseSum(_ a: UnsafePointer<Double>, _ n: Int) -> Double {
    if n < 8 {
        var sum = 0.0
        for i in 0..<n { sum += a[i] }
        return sum
    }
    if n <= 128 {
        var r0 = a[0], r1 = a[1], r2 = a[2], r3 = a[3], r4 = a[4], r5 = a[5], r6 = a[6], r7 = a[7]
        let blocked = n - n % 8
        var i = 8
        while i < blocked {
            r0 += a[i]; r1 += a[i + 1]; r2 += a[i + 2]; r3 += a[i + 3]
            r4 += a[i + 4]; r5 += a[i + 5]; r6 += a[i + 6]; r7 += a[i + 7]
            i += 8
        }
        var sum = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
        for j in blocked..<n { sum += a[j] }
        return sum
    }
    var half = n / 2
    half -= half % 8
    return numpyPairwiseSum(a, half) + numpyPairwiseSum(a + half, n - half)
}
