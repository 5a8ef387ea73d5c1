import Testing
@testable import Tensor

/// NumPy's rule for empty operands: a size-1 dimension broadcasts to 0 as to any other size, so
/// an empty batch (a detector batch without positives) stays empty instead of becoming one
/// uninitialised row.
@Suite("Broadcasting empty operands") struct EmptyBroadcastTests {
    @Test func sizeOneBroadcastsToZero() {
        #expect(broadcastShape([0, 1], [1, 4]) == [0, 4])
        #expect(broadcastShape([1, 4], [0, 1]) == [0, 4])
        #expect(broadcastShape([0, 4], [4]) == [0, 4])
        #expect(broadcastShape([3, 1], [1, 4]) == [3, 4])
    }

    @Test func emptyArithmeticIsEmptyAndItsGradientZero() {
        let x = Tensor(zeros: [0, 1]), y = Tensor(filled: 2, shape: [1, 4])
        x.requiresGrad = true; y.requiresGrad = true
        let z = x * y + x
        #expect(z.shape == [0, 4] && z.count == 0)
        z.sum().backward()
        #expect(x.grad ?? [] == [] && (y.grad ?? [0, 0, 0, 0]) == [0, 0, 0, 0])
    }
}
