import Testing
@testable import Detection

@Suite("Box conversions") struct BoxConversionTests {
    /// COCO [x, y, w, h] = [10, 20, 30, 40] is the corners (10, 20)–(40, 60).
    @Test func cocoRoundTrip() {
        let b = Box(cocoX: 10, y: 20, width: 30, height: 40)
        #expect(b == box(10, 20, 40, 60))
        let c = b.cocoXYWH
        #expect(c.x == 10 && c.y == 20 && c.width == 30 && c.height == 40)
        #expect(b.center == Point(x: 25, y: 40))
    }

    /// mmdet clips x to [0, W] and y to [0, H] (W, H themselves, no −1).
    @Test func clipping() {
        let size = ImageSize(width: 100, height: 50)
        #expect(box(-5, -1, 120, 60).clipped(to: size) == box(0, 0, 100, 50))
        #expect(box(10, 10, 20, 20).clipped(to: size) == box(10, 10, 20, 20))
        #expect(box(150, 70, 160, 80).clipped(to: size) == box(100, 50, 100, 50))
    }

    @Test func flatRoundTripAndScaling() {
        let boxes = [box(1, 2, 3, 4), box(5, 6, 7, 8)]
        #expect(Box.flatten(boxes) == [1, 2, 3, 4, 5, 6, 7, 8])
        #expect(Box.unflatten(Box.flatten(boxes)) == boxes)
        #expect(box(2, 4, 6, 8).scaled(x: 0.5, y: 0.25) == box(1, 1, 3, 2))
    }
}
