@testable import Detection

/// |a − b| ≤ tol.
func close(_ a: Float, _ b: Float, _ tol: Float = 1e-5) -> Bool { Swift.abs(a - b) <= tol }

func close(_ a: Box, _ b: Box, _ tol: Float = 1e-4) -> Bool {
    close(a.x1, b.x1, tol) && close(a.y1, b.y1, tol) && close(a.x2, b.x2, tol) && close(a.y2, b.y2, tol)
}

func close(_ a: [Float], _ b: [Float], _ tol: Float = 1e-5) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { close($0, $1, tol) }
}

/// Box(x1, y1, x2, y2) without labels, for compact fixtures.
func box(_ x1: Float, _ y1: Float, _ x2: Float, _ y2: Float) -> Box { Box(x1: x1, y1: y1, x2: x2, y2: y2) }
