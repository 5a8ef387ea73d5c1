/// A dense rows × cols matrix of pairwise box overlaps, row-major: `values[r * cols + c]` is the
/// overlap of row box r with column box c. `boxOverlaps(a, b)` returns a.count × b.count.
public struct OverlapMatrix: Equatable, Sendable {
    public let rows: Int, cols: Int
    public var values: [Float]

    public init(rows: Int, cols: Int, values: [Float]) {
        precondition(values.count == rows * cols, "OverlapMatrix: \(values.count) values for \(rows)×\(cols)")
        self.rows = rows; self.cols = cols; self.values = values
    }

    public init(rows: Int, cols: Int, repeating value: Float = 0) {
        self.init(rows: rows, cols: cols, values: [Float](repeating: value, count: rows * cols))
    }

    public subscript(row: Int, col: Int) -> Float {
        get { values[row * cols + col] }
        set { values[row * cols + col] = newValue }
    }

    /// Row r as a contiguous slice (all column boxes against row box r).
    public func row(_ r: Int) -> ArraySlice<Float> { values[(r * cols)..<((r + 1) * cols)] }

    public var transposed: OverlapMatrix {
        var t = [Float](repeating: 0, count: values.count)
        for r in 0..<rows { for c in 0..<cols { t[c * rows + r] = values[r * cols + c] } }
        return OverlapMatrix(rows: cols, cols: rows, values: t)
    }
}
