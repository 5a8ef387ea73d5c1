import Testing
@testable import Detection

@Suite("Dense head post-processing") struct DensePostprocessTests {
    // Two classes, two levels. Level 0 priors p0, p1, p2; level 1 priors p3, p4 (flat indices 0–4).
    //   p0 (0,0,10,10)      scores (0.9, 0.1)
    //   p1 (50,50,60,60)    scores (0.04, 0.03)   — below score_thr 0.05
    //   p2 (100,0,110,10)   scores (0.3, 0.7)
    //   p3 (0,0,10,10)      scores (0.2, 0.06)    — p0's box: IoU 1 with it
    //   p4 (30,30,40,40)    scores (0.5, 0.02)
    let scores: [[Float]] = [[0.9, 0.1, 0.04, 0.03, 0.3, 0.7], [0.2, 0.06, 0.5, 0.02]]
    let boxes: [[Box]] = [[box(0, 0, 10, 10), box(50, 50, 60, 60), box(100, 0, 110, 10)], [box(0, 0, 10, 10), box(30, 30, 40, 40)]]

    /// mmdet ≤ 2.17 / LD repo, nms_pre 2, score_thr 0.05, IoU 0.5:
    /// level 0 has 3 > 2 priors → keep the 2 best by max score: p0 (0.9), p2 (0.7); level 1 keeps both.
    /// Pairs > 0.05, prior-major: p0c0 .9, p0c1 .1, p2c0 .3, p2c1 .7, p3c0 .2, p3c1 .06, p4c0 .5.
    /// Class 0 by score: p0 .9, p4 .5, p2 .3 kept (disjoint), p3 .2 dropped (IoU 1 with p0).
    /// Class 1: p2 .7, p0 .1 kept (disjoint), p3 .06 dropped (IoU 1 with p0's class-1 box).
    /// All by score: p0c0 .9, p2c1 .7, p4c0 .5, p2c0 .3, p0c1 .1; max_per_img 3 keeps the first three.
    @Test func maxScorePerPrior() {
        var config = DensePostprocessConfig(nmsPre: 2, iouThreshold: 0.5)
        var requested: [[Int]] = []
        let all = densePostprocess(levelScores: scores, numClasses: 2, config: config) { l, priors in
            requested.append(priors)
            return priors.map { boxes[l][$0] }
        }
        #expect(requested == [[0, 2], [0, 1]])
        #expect(all.priorIndices == [0, 2, 4, 2, 0] && all.labels == [0, 1, 0, 0, 1])
        #expect(close(all.scores, [0.9, 0.7, 0.5, 0.3, 0.1]))
        #expect(all.boxes == [boxes[0][0], boxes[0][2], boxes[1][1], boxes[0][2], boxes[0][0]])
        config.maxPerImage = 3
        let top3 = densePostprocess(levelScores: scores, levelBoxes: boxes, numClasses: 2, config: config)
        #expect(top3.priorIndices == [0, 2, 4] && top3.labels == [0, 1, 0])
    }

    /// With centerness factors (level 0: 0.5, 1, 1; level 1: 1, 0.1):
    /// nms_pre ranks level 0 by max(score·factor): p0 .45, p1 .04, p2 .7 → p2, p0.
    /// The threshold applies to the raw score, the factor after it:
    /// p2c0 .3, p2c1 .7, p0c0 .45, p0c1 .05, p3c0 .2, p3c1 .06, p4c0 .05 (0.5 · 0.1, kept though < 0.05 now).
    /// Class 0: p0 .45, p2 .3, p3 .2 dropped (IoU 1 with p0), p4 .05. Class 1: p2 .7, p3 .06, p0 .05
    /// dropped (IoU 1 with p3). Result: p2c1 .7, p0c0 .45, p2c0 .3, p3c1 .06, p4c0 .05.
    @Test func scoreFactorsAfterThreshold() {
        let factors: [[Float]] = [[0.5, 1, 1], [1, 0.1]]
        let d = densePostprocess(levelScores: scores, levelBoxes: boxes, levelScoreFactors: factors, numClasses: 2,
                                 config: DensePostprocessConfig(nmsPre: 2, iouThreshold: 0.5))
        #expect(d.priorIndices == [2, 0, 2, 3, 4] && d.labels == [1, 0, 0, 1, 0])
        #expect(close(d.scores, [0.7, 0.45, 0.3, 0.06, 0.05]))
    }

    /// mmdet ≥ 2.18 (`filter_scores_and_topk`), nms_pre 2 over (prior, class) pairs:
    /// level 0 pairs > 0.05: .9 (p0c0), .1, .3, .7 (p2c1) → p0c0, p2c1; level 1: .2 (p3c0), .06, .5 (p4c0)
    /// → p4c0, p3c0. Class 0: p0 .9, p4 .5, p3 dropped (IoU 1 with p0). Result p0c0, p2c1, p4c0 —
    /// p2c0 and p0c1, kept by the per-prior rule, lose to the pair top-k here.
    @Test func scoreClassPairs() {
        var requested: [[Int]] = []
        let d = densePostprocess(levelScores: scores, numClasses: 2,
                                 config: DensePostprocessConfig(nmsPre: 2, iouThreshold: 0.5, preselection: .scoreClassPairs)) { l, priors in
            requested.append(priors)
            return priors.map { boxes[l][$0] }
        }
        #expect(requested == [[0, 2], [1, 0]])
        #expect(d.priorIndices == [0, 2, 4] && d.labels == [0, 1, 0])
        #expect(close(d.scores, [0.9, 0.7, 0.5]))
    }

    /// multiclassNMS directly: the threshold is strict (a score equal to it is dropped).
    @Test func multiclassThresholdStrict() {
        let d = multiclassNMS(boxes: [box(0, 0, 1, 1)], scores: [0.05, 0.06], numClasses: 2, scoreThreshold: 0.05,
                              iouThreshold: 0.5, maxPerImage: 100)
        #expect(d.labels == [1] && d.priorIndices == [0])
        #expect(DensePostprocessConfig.retinaNet.iouThreshold == 0.5 && DensePostprocessConfig.gfl.iouThreshold == 0.6)
    }
}
