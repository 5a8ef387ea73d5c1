import Testing
@testable import Detection

@Suite("Box overlaps") struct BoxOverlapTests {
    let a = box(0, 0, 10, 10)

    /// Partly overlapping squares a = (0,0,10,10), b = (5,5,15,15):
    /// intersection 5·5 = 25, union 100 + 100 − 25 = 175 → IoU = 1/7 = 0.142857;
    /// IoF over a: 25 / 100 = 0.25;
    /// enclosing box (0,0,15,15), area 225 → GIoU = 1/7 − (225 − 175)/225 = 0.142857 − 0.222222 = −0.079365;
    /// centres (5,5), (10,10): ρ² = 25 + 25 = 50; enclosing diagonal c² = 15² + 15² = 450
    /// → DIoU = 1/7 − 50/450 = 0.142857 − 0.111111 = 0.031746.
    @Test func overlappingSquares() {
        let b = box(5, 5, 15, 15)
        #expect(close(a.iou(b), 1.0 / 7))
        #expect(close(a.iof(b), 0.25))
        #expect(close(a.giou(b), 1.0 / 7 - 50.0 / 225))
        #expect(close(a.diou(b), 1.0 / 7 - 50.0 / 450))
    }

    /// Disjoint a = (0,0,10,10), c = (20,0,30,10): IoU 0; enclosing (0,0,30,10) area 300, union 200
    /// → GIoU = −100/300 = −1/3; centres (5,5), (25,5): ρ² = 400, c² = 30² + 10² = 1000 → DIoU = −0.4.
    @Test func disjointBoxes() {
        let c = box(20, 0, 30, 10)
        #expect(a.iou(c) == 0)
        #expect(close(a.giou(c), -1.0 / 3))
        #expect(close(a.diou(c), -0.4))
    }

    /// d = (2,2,6,6) inside a: intersection 16 → IoU 16/100 = 0.16, IoF(d over d) = 16/16 = 1,
    /// IoF(a over a) = 0.16; the enclosing box is a itself → GIoU = IoU = 0.16; centres (5,5), (4,4):
    /// ρ² = 2, c² = 10² + 10² = 200 → DIoU = 0.16 − 0.01 = 0.15.
    @Test func containedBox() {
        let d = box(2, 2, 6, 6)
        #expect(close(a.iou(d), 0.16))
        #expect(close(d.iof(a), 1))
        #expect(close(a.iof(d), 0.16))
        #expect(close(a.giou(d), 0.16))
        #expect(close(a.diou(d), 0.15))
    }

    /// The example in mmdet's `bbox_overlaps` docstring (IoU and GIoU printed to 4 decimals there).
    @Test func mmdetDocstringExample() {
        let b1 = [box(0, 0, 10, 10), box(10, 10, 20, 20), box(32, 32, 38, 42)]
        let b2 = [box(0, 0, 10, 20), box(0, 10, 10, 19), box(10, 10, 20, 20)]
        let iou = boxOverlaps(b1, b2)
        #expect(iou.rows == 3 && iou.cols == 3)
        #expect(close(iou.values, [0.5, 0, 0, 0, 0, 1, 0, 0, 0]))
        let giou = boxOverlaps(b1, b2, mode: .giou, eps: 1e-7)
        #expect(close(giou.values, [0.5, 0, -0.5, -0.25, -0.05, 1, -0.8371, -0.8766, -0.8214], 1e-4))
        // (0,0,10,10) vs (0,0,10,20): IoU 0.5; centres (5,5), (5,10): ρ² = 25, c² = 10² + 20² = 500 → 0.45.
        #expect(close(boxOverlaps(b1, b2, mode: .diou)[0, 0], 0.45))
    }

    /// The matrix is a.count × b.count, row i against every column j; aligned takes pairs.
    @Test func pairwiseLayoutAndAligned() {
        let rows = [a, box(5, 5, 15, 15)], cols = [box(5, 5, 15, 15), a, box(100, 100, 101, 101)]
        let m = boxOverlaps(rows, cols)
        #expect(m.rows == 2 && m.cols == 3)
        #expect(close(m[0, 0], 1.0 / 7) && m[0, 1] == 1 && m[0, 2] == 0 && m[1, 0] == 1)
        #expect(close(Array(m.row(1)), [1, 1.0 / 7, 0]))
        #expect(m.transposed[2, 1] == m[1, 2] && m.transposed.rows == 3)
        #expect(close(alignedBoxOverlaps(rows, [a, a], mode: .iou), [1, 1.0 / 7]))
        #expect(boxOverlaps([], cols).values.isEmpty && boxOverlaps(rows, []).rows == 2)
    }

    /// Two empty boxes: 0 / max(0, eps) = 0, not NaN.
    @Test func degenerateBoxesGiveZero() {
        let p = box(3, 3, 3, 3)
        #expect(p.iou(p) == 0 && p.giou(p) == 0 && p.diou(p) == 0)
    }
}
