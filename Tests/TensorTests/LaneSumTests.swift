import Testing
@testable import Tensor

/// The eight-lane row sums behind the normalisations' statistics, against double-precision sums
/// over lengths that leave every possible tail after the vector part.
@Suite("Lane sums") struct LaneSumTests {
    @Test(arguments: [0, 1, 7, 8, 9, 16, 23, 64, 257])
    func sumsMatchDoublePrecision(_ count: Int) {
        let a = (0..<count).map { Float(($0 * 37) % 11) - 4.5 }, b = (0..<count).map { Float(($0 * 13) % 7) * 0.25 - 0.5 }
        let (sum, squares) = a.withUnsafeBufferPointer { sumAndSumOfSquares($0.baseAddress!, count) }
        let (sumA, dot) = a.withUnsafeBufferPointer { ap in b.withUnsafeBufferPointer { bp in
            sumAndDot(ap.baseAddress!, bp.baseAddress!, count)
        } }
        let wantSum = a.reduce(0.0) { $0 + Double($1) }
        let wantSquares = a.reduce(0.0) { $0 + Double($1) * Double($1) }
        let wantDot = zip(a, b).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        #expect(Double(sum) == wantSum)         // small integers and halves: exact in float
        #expect(Double(squares) == wantSquares)
        #expect(Double(sumA) == wantSum)
        #expect(Double(dot) == wantDot)
    }
}
