import Testing
@testable import Detection

@Suite("NMS") struct NMSTests {
    // Boxes, scores and classes, with the IoUs by hand:
    // B0 (0,0,10,10) 0.9 c0; B1 (1,0,11,10) 0.8 c0: inter 9·10 = 90, union 110 → IoU(B0,B1) = 0.818
    // B2 (1,0,11,10) 0.7 c1 (B1's box, other class); B3 (5,0,15,10) 0.6 c0: IoU(B0,B3) = 50/150 = 0.333
    // B4 (0,0,10,10) 0.6 c1: IoU(B2,B4) = 0.818; B5 (20,20,30,30) 0.95 c1, disjoint from all.
    let boxes = [box(0, 0, 10, 10), box(1, 0, 11, 10), box(1, 0, 11, 10), box(5, 0, 15, 10), box(0, 0, 10, 10), box(20, 20, 30, 30)]
    let scores: [Float] = [0.9, 0.8, 0.7, 0.6, 0.6, 0.95]
    let classes = [0, 0, 1, 0, 1, 1]

    /// Per class at 0.5: class 0 keeps B0, drops B1 (0.818 > 0.5), keeps B3 (0.333); class 1 keeps
    /// B5 and B2, drops B4 (0.818 against B2). Boxes of different classes never suppress each other
    /// (B2 survives although it is B1's box and overlaps B0). Result by score: B5, B0, B2, B3.
    @Test func batchedPerClass() {
        #expect(batchedNMS(boxes: boxes, scores: scores, classes: classes, iouThreshold: 0.5) == [5, 0, 2, 3])
    }

    /// Class-agnostic: B5, B0; B1 and B2 (0.818 with B0) and B4 (1.0 with B0) go; B3 (0.333) stays.
    @Test func classAgnostic() {
        #expect(batchedNMS(boxes: boxes, scores: scores, classes: classes, iouThreshold: 0.5, classAgnostic: true) == [5, 0, 3])
        #expect(nms(boxes: boxes, scores: scores, iouThreshold: 0.5) == [5, 0, 3])
    }

    /// Suppression needs IoU strictly above the threshold (mmcv `ovr > iou_threshold`): at threshold
    /// 50/150 = 1/3, B3 survives B0.
    @Test func thresholdIsStrict() {
        let pair = [boxes[0], boxes[3]]
        #expect(nms(boxes: pair, scores: [0.9, 0.6], iouThreshold: Float(1) / 3) == [0, 1])
        #expect(nms(boxes: pair, scores: [0.9, 0.6], iouThreshold: 0.33) == [0])
    }

    /// Equal scores are visited in index order: of two identical boxes with equal scores the first
    /// is kept; disjoint equal-score boxes come back in index order.
    @Test func tiesAreStable() {
        #expect(nms(boxes: [boxes[0], boxes[0]], scores: [0.5, 0.5], iouThreshold: 0.5) == [0])
        #expect(nms(boxes: [boxes[5], boxes[0], box(50, 50, 60, 60)], scores: [0.5, 0.5, 0.5], iouThreshold: 0.5) == [0, 1, 2])
        #expect(nms(boxes: [], scores: [], iouThreshold: 0.5).isEmpty)
    }

    /// The top-k helper: largest first, equal values by lower index, NaN never ranked.
    @Test func topK() {
        #expect(topKIndices([0.1, 0.5, 0.3, 0.5, .nan, 0.9], k: 3) == [5, 1, 3])
        #expect(topKIndices([0.2, 0.1], k: 5) == [0, 1])
        #expect(topKIndices([1, 2, 3], k: 0).isEmpty)
        let many = (0..<1000).map { Float(($0 * 7919) % 1000) }
        #expect(topKIndices(many, k: 10) == Array(many.indices).sorted { many[$0] > many[$1] }.prefix(10).map { $0 })
    }

    /// Capping each class at `maxKept` survivors gives exactly the first `maxKept` of the uncapped
    /// result (here on 400 pseudo-random boxes of 5 classes, a cap of 7).
    @Test func maxKeptIsAPrefix() {
        var state: UInt64 = 12345
        func next() -> Float {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(state >> 40) / Float(1 << 24)
        }
        var boxes: [Box] = [], scores: [Float] = [], classes: [Int] = []
        for _ in 0..<400 {
            let x = next() * 100, y = next() * 100
            boxes.append(box(x, y, x + 5 + next() * 30, y + 5 + next() * 30))
            scores.append(next()); classes.append(Int(next() * 5))
        }
        let all = batchedNMS(boxes: boxes, scores: scores, classes: classes, iouThreshold: 0.5)
        #expect(all.count > 7)
        #expect(batchedNMS(boxes: boxes, scores: scores, classes: classes, iouThreshold: 0.5, maxKept: 7) == Array(all.prefix(7)))
    }
}
